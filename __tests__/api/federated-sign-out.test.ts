import type { NextApiRequest } from 'next';
import { getToken, type JWT } from 'next-auth/jwt';
import type supertest from 'supertest';
import type { Response } from 'supertest';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { readSession, signIn } from '../helpers/sign-in-flow';

/** The session token (Logto's tokens) the sign-in stored in the browser's cookie, decrypted as the app does. */
async function sessionTokenOf(response: Response): Promise<JWT> {
  const setCookie = ([] as string[]).concat((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
  const cookies = Object.fromEntries(
    setCookie
      .map((cookie) => cookie.split(';')[0].split('=') as [string, string])
      .filter(([name, value]) => name.startsWith('next-auth.session-token') && value),
  );
  const req = { headers: {}, cookies } as unknown as NextApiRequest;
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (!token) throw new Error(`The response set no session cookie (${response.status})`);
  return token;
}

/** The claims of a JWT, unverified. */
function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

/** The Set-Cookie lines of a response. */
function setCookiesOf(response: Response): string[] {
  return ([] as string[]).concat((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
}

describe('POST /api/auth/federated-sign-out', () => {
  const harness = setupAuthApp();

  /** A browser signed in at the test issuer, and the tokens its session cookie holds. */
  async function signedInBrowser() {
    const { app, issuer } = harness;
    const browser = app.browser();
    const flow = await signIn(browser, issuer);
    const token = await sessionTokenOf(flow.callbackResponse);
    issuer.resetRequests();
    return { browser, token };
  }

  /** The CSRF token next-auth hands this browser (it sets the matching cookie). */
  async function csrfTokenOf(browser: supertest.Agent): Promise<string> {
    const { body } = await browser.get('/api/auth/csrf').expect(200);
    return (body as { csrfToken: string }).csrfToken;
  }

  const postSignOut = (browser: supertest.Agent, form: Record<string, string>) =>
    browser.post('/api/auth/federated-sign-out').type('form').send(form);

  beforeAll(() => {
    // Registered in the Logto Console as a post sign-out redirect URI; known only once the app listens.
    harness.issuer.postLogoutRedirectUris.push(harness.app.url);
  });

  it('revokes the refresh token, clears the session and sends the browser to Logto’s end_session_endpoint', async () => {
    const { app, issuer } = harness;
    const { browser, token } = await signedInBrowser();

    const response = await postSignOut(browser, { csrfToken: await csrfTokenOf(browser) });

    expect(issuer.count('revocation')).toBe(1);
    const [revocation] = issuer.requests.filter((request) => request.endpoint === 'revocation');
    expect(revocation.params).toMatchObject({ token: token.refreshToken, token_type_hint: 'refresh_token' });
    const credentials = Buffer.from(String(revocation.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(credentials).toBe(`${issuer.clientId}:${issuer.clientSecret}`);
    expect(issuer.revokedGrants()).toBe(1);

    expect(setCookiesOf(response)).toContain('next-auth.session-token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    await expect(readSession(browser)).resolves.toBeNull();

    expect(response.status).toBe(303);
    const endSession = new URL(response.headers.location);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${issuer.issuer}/session/end`);
    const idTokenHint = endSession.searchParams.get('id_token_hint')!;
    expect(idTokenHint).toBe(token.idToken);
    expect(claimsOf(idTokenHint)).toMatchObject({ sub: 'user-1', iss: issuer.issuer, aud: issuer.clientId });
    expect(endSession.searchParams.get('client_id')).toBe(issuer.clientId);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(app.url);

    // The browser follows the redirect: Logto ends its session and sends it back to the app.
    const atLogto = await fetch(endSession, { redirect: 'manual' });
    expect(atLogto.status).toBe(302);
    expect(atLogto.headers.get('location')).toBe(`${app.url}/`);
  });

  it.each([
    ['without a CSRF token', async () => ({})],
    ['with a CSRF token from another browser', async () => ({ csrfToken: await csrfTokenOf(harness.app.browser()) })],
  ])('refuses a sign-out %s: no revocation, the session intact', async (_case, form) => {
    const { app, issuer } = harness;
    const { browser } = await signedInBrowser();
    await csrfTokenOf(browser);

    const response = await postSignOut(browser, await form());

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${app.url}/auth/error?error=SignOutCsrf`);
    expect(setCookiesOf(response)).toEqual([]);
    expect(issuer.count('revocation')).toBe(0);
    await expect(readSession(browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
  });

  it('answers GET with 405, so a link or an image tag cannot sign the user out', async () => {
    const { issuer } = harness;
    const { browser } = await signedInBrowser();

    const response = await browser.get('/api/auth/federated-sign-out');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(issuer.count('revocation')).toBe(0);
    await expect(readSession(browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
  });

  it('still clears the session when Logto is unreachable, and lands on /?signedOut=local with a log line', async () => {
    const { app, issuer } = harness;
    const { browser } = await signedInBrowser();
    const csrfToken = await csrfTokenOf(browser);
    // Discovery is cached from the sign-in: only the revocation request goes out, and fails.
    await issuer.pause();
    let response: Response;
    try {
      response = await postSignOut(browser, { csrfToken });
    } finally {
      await issuer.resume();
    }

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${app.url}/?signedOut=local`);
    expect(setCookiesOf(response)).toContain('next-auth.session-token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    await expect(readSession(browser)).resolves.toBeNull();
    expect(issuer.count('revocation')).toBe(0);
    expect(app.logs).toEqual([expect.stringMatching(/^\[auth\] LOGTO_SIGN_OUT_ERROR: Logto could not be reached.*ECONNREFUSED/)]);
  });

  it('sends a browser without a session home without asking Logto', async () => {
    const { app, issuer } = harness;
    const browser = app.browser();
    issuer.resetRequests();

    const response = await postSignOut(browser, { csrfToken: await csrfTokenOf(browser) });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(app.url);
    expect(issuer.requests).toEqual([]);
  });
});
