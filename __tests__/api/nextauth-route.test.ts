import { startAuthApp, type AuthApp } from '../helpers/auth-app';
import { readSession, setCookieNames, signIn } from '../helpers/sign-in-flow';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer';

describe('GET /api/auth/callback/logto', () => {
  let issuer: TestIssuer;
  let app: AuthApp;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    app = await startAuthApp(issuer);
  });
  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('signs the user in with an ES384 id_token and maps the Logto profile', async () => {
    const browser = app.browser();
    const flow = await signIn(browser, issuer, { callbackUrl: `${app.url}/protected` });

    const auth = flow.authorizationUrl.searchParams;
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(auth.get('nonce')).toBeTruthy();
    expect(auth.get('state')).toBeTruthy();
    expect(auth.get('scope')).toBe('openid offline_access profile email');
    expect(auth.get('prompt')).toBe('consent');
    expect(auth.get('redirect_uri')).toBe(`${app.url}/api/auth/callback/logto`);
    expect(flow.callbackUrl.searchParams.get('iss')).toBe(issuer.issuer);

    expect(flow.callbackResponse.status).toBe(302);
    expect(flow.callbackResponse.headers.location).toBe(`${app.url}/protected`);
    expect(setCookieNames(flow.callbackResponse)).toContain('next-auth.session-token');

    const session = await readSession(browser);
    expect(session?.user).toEqual({ id: 'user-1', name: 'Alice Example', email: 'alice@example.com', image: null });
    expect(Object.keys(session ?? {}).sort()).toEqual(['accessTokenExpiresAt', 'expires', 'user']);
  });
});
