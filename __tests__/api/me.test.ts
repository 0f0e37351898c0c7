import { setupAuthApp } from '../helpers/setup-auth-app';
import { signIn } from '../logto-kit/helpers/sign-in-flow';

describe('GET /api/me', () => {
  const harness = setupAuthApp();

  it('answers 401 JSON when signed out', async () => {
    const { app } = harness;
    const response = await app.browser().get('/api/me');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ error: 'unauthorized', message: 'Sign in first: /auth/sign-in' });
  });

  it('answers 401 to a session cookie it cannot decrypt, and logs it', async () => {
    const { app } = harness;
    const response = await app.browser().get('/api/me').set('Cookie', 'next-auth.session-token=forged');

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'unauthorized' });
    expect(app.logs).toEqual(['[auth] JWT_SESSION_ERROR: Invalid Compact JWE ← ERR_JWE_INVALID']);
  });

  it('answers 200 with the session user when signed in, and no tokens', async () => {
    const { app, issuer } = harness;
    const browser = app.browser();
    await signIn(browser, issuer);
    issuer.resetRequests();

    const response = await browser.get('/api/me');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { id: 'user-1', name: 'Alice Example', email: 'alice@example.com', image: null, roles: [], organizations: [] } });
    expect(response.text).not.toMatch(/access_?token|refresh_?token|id_?token/i);
    // A fresh access token: reading the session asks Logto for nothing.
    expect(issuer.requests).toEqual([]);
  });
});
