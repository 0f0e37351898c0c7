import { encode, type JWT } from 'next-auth/jwt';
import supertest from 'supertest';
import type { Browser } from '../logto-kit/helpers/browser';
import type { Response } from 'supertest';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { csrfTokenOf, decodeSessionCookie, readSession, sessionCookieHeader, setCookiesOf, signIn } from '../logto-kit/helpers/sign-in-flow';

const CLEARED = 'Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';

/** The cookies a response sets, by name (empty values included). */
function cookiesSetBy(response: Response): Record<string, string> {
  return Object.fromEntries(setCookiesOf(response).map((cookie) => cookie.split(';')[0].split('=') as [string, string]));
}

/** The session token (Logto's tokens) the sign-in stored in the browser's cookie, decrypted as the app does. */
async function sessionTokenOf(response: Response): Promise<JWT> {
  const token = await decodeSessionCookie(sessionCookieHeader(response));
  if (!token) throw new Error(`The response set no readable session cookie (${response.status})`);
  return { ...token, cookie: cookiesSetBy(response)['next-auth.session-token'] };
}

/** The claims of a JWT, unverified. */
function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

// What `signOut()` from next-auth/react posts: the CSRF token, the callbackUrl and, for its fetch, json=true.
describe('POST /api/auth/signout (next-auth’s own sign-out endpoint)', () => {
  const harness = setupAuthApp();

  /** A browser signed in at the test issuer, the tokens its session cookie holds, and its CSRF token. */
  async function signedInBrowser() {
    const { app, issuer } = harness;
    const browser = app.browser();
    const flow = await signIn(browser, issuer);
    const token = await sessionTokenOf(flow.callbackResponse);
    const csrfToken = await csrfTokenOf(browser);
    issuer.resetRequests();
    return { browser, token, csrfToken };
  }

  const postSignOut = (browser: Browser, form: Record<string, string>) =>
    browser.post('/api/auth/signout').type('form').send(form);

  /** The `Cookie` header the browser sends now: a copy of it outlives the browser's own cookies. */
  const cookieHeaderOf = (browser: Browser) =>
    Array.from(browser.cookies).map(([name, value]) => `${name}=${value}`).join('; ');

  /** `GET /api/auth/session` carrying exactly `cookie`, as another tab or a stolen copy would. */
  const readSessionWith = (cookie: string) => supertest(harness.app.url).get('/api/auth/session').set('Cookie', cookie).expect(200);

  /** The browser's session cookie rewritten as the kit wrote it before it gave sessions a `sessionId`. */
  async function makeLegacyCookie(browser: Browser, token: JWT, changes: Partial<JWT> = {}) {
    const legacy: JWT = { ...token, ...changes };
    delete legacy.cookie;
    delete legacy.sessionId;
    browser.cookies.set('next-auth.session-token', await encode({ token: legacy, secret: process.env.NEXTAUTH_SECRET! }));
    return legacy;
  }

  beforeAll(() => {
    // Registered in the Logto Console as a post sign-out redirect URI; known only once the app listens.
    harness.issuer.postLogoutRedirectUris.push(harness.app.url);
  });

  it('revokes the refresh token, clears the session and answers signOut() with Logto’s end_session URL', async () => {
    const { app, issuer } = harness;
    const { browser, token, csrfToken } = await signedInBrowser();

    const response = await postSignOut(browser, { csrfToken, callbackUrl: `${app.url}/`, json: 'true' });

    expect(issuer.count('revocation')).toBe(1);
    const [revocation] = issuer.requests.filter((request) => request.endpoint === 'revocation');
    expect(revocation.params).toMatchObject({ token: token.refreshToken, token_type_hint: 'refresh_token' });
    const credentials = Buffer.from(String(revocation.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(credentials).toBe(`${issuer.clientId}:${issuer.clientSecret}`);
    expect(issuer.revokedGrants()).toBe(1);

    expect(setCookiesOf(response)).toContain(`next-auth.session-token=; ${CLEARED}`);
    await expect(readSession(browser)).resolves.toBeNull();

    expect(response.status).toBe(200);
    const endSession = new URL((response.body as { url: string }).url);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${issuer.issuer}/session/end`);
    const idTokenHint = endSession.searchParams.get('id_token_hint')!;
    expect(idTokenHint).toBe(token.idToken);
    expect(claimsOf(idTokenHint)).toMatchObject({ sub: 'user-1', iss: issuer.issuer, aud: issuer.clientId });
    expect(endSession.searchParams.get('client_id')).toBe(issuer.clientId);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(app.url);

    // The browser follows the URL: Logto ends its session and sends it back to the app.
    const atLogto = await fetch(endSession, { redirect: 'manual' });
    expect(atLogto.status).toBe(302);
    expect(atLogto.headers.get('location')).toBe(`${app.url}/`);
  });

  it('ends every copy of the session: an old copy of the cookie then reads {}, without a refresh', async () => {
    const { issuer } = harness;
    const { browser, csrfToken } = await signedInBrowser();
    const copy = cookieHeaderOf(browser);

    await postSignOut(browser, { csrfToken, json: 'true' }).expect(200);
    issuer.resetRequests();

    const read = await readSessionWith(copy);
    expect(read.body).toEqual({});
    // next-auth clears the copy's cookie itself (the jwt callback threw LogtoSessionEndedError).
    expect(setCookiesOf(read)).toContainEqual(expect.stringMatching(/^next-auth\.session-token=; .*Max-Age=0/));
    // getLogtoSession reads null: /api/me answers 401.
    await supertest(harness.app.url).get('/api/me').set('Cookie', copy).expect(401);
    expect(issuer.count('token')).toBe(0);
    expect(harness.app.logs.every((line) => line.startsWith('[auth] warning LOGTO_SESSION_ENDED'))).toBe(true);
  });

  it('ends only the session signed out: another session of the same user stays signed in', async () => {
    const signingOut = await signedInBrowser();
    const other = await signedInBrowser();

    await postSignOut(signingOut.browser, { csrfToken: signingOut.csrfToken, json: 'true' }).expect(200);

    await expect(readSession(other.browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
  });

  it('ends an older cookie without a sessionId by its user and sign-in time, and not the user’s other sessions', async () => {
    const signingOut = await signedInBrowser();
    const other = await signedInBrowser();
    const legacy = await makeLegacyCookie(signingOut.browser, signingOut.token);
    // Another older-style session of the same user, signed in a minute before.
    await makeLegacyCookie(other.browser, other.token, { authTime: legacy.authTime! - 60 });
    await expect(readSession(signingOut.browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
    const copy = cookieHeaderOf(signingOut.browser);

    await postSignOut(signingOut.browser, { csrfToken: signingOut.csrfToken, json: 'true' }).expect(200);

    expect((await readSessionWith(copy)).body).toEqual({});
    await expect(readSession(other.browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
  });

  it('ends a cookie with neither sessionId nor sign-in time by its Logto session (sid)', async () => {
    const { browser, token, csrfToken } = await signedInBrowser();
    await makeLegacyCookie(browser, token, { authTime: undefined });
    expect(token.sid).toEqual(expect.any(String));
    const copy = cookieHeaderOf(browser);

    await postSignOut(browser, { csrfToken, json: 'true' }).expect(200);

    expect((await readSessionWith(copy)).body).toEqual({});
  });

  it('asks Logto for its sign-out page in the browser’s languages (ui_locales from Accept-Language)', async () => {
    const { browser, csrfToken } = await signedInBrowser();

    const response = await browser
      .post('/api/auth/signout')
      .set('Accept-Language', 'ko-KR, es;q=0.8, *;q=0.5, en;q=0')
      .type('form')
      .send({ csrfToken, json: 'true' });

    expect(new URL((response.body as { url: string }).url).searchParams.get('ui_locales')).toBe('ko-KR es');
  });

  it('redirects a plain form post (next-auth’s own sign-out page) to Logto’s end_session URL', async () => {
    const { issuer } = harness;
    const { browser, csrfToken } = await signedInBrowser();

    const response = await postSignOut(browser, { csrfToken });

    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(new RegExp(`^${issuer.issuer}/session/end\\?`));
    expect(issuer.count('revocation')).toBe(1);
    await expect(readSession(browser)).resolves.toBeNull();
  });

  it('clears every chunk of a session cookie that next-auth split in two', async () => {
    const { app, issuer } = harness;
    const { token } = await signedInBrowser();
    // A CSRF token and cookie pair of its own: this request carries its cookies by hand.
    const csrf = await supertest(app.url).get('/api/auth/csrf').expect(200);
    const { csrfToken } = csrf.body as { csrfToken: string };
    const cookie = String(token.cookie);
    const half = Math.ceil(cookie.length / 2);
    const cookieHeader = [
      `next-auth.csrf-token=${cookiesSetBy(csrf)['next-auth.csrf-token']}`,
      `next-auth.session-token.0=${cookie.slice(0, half)}`,
      `next-auth.session-token.1=${cookie.slice(half)}`,
    ].join('; ');

    const response = await supertest(app.url)
      .post('/api/auth/signout')
      .set('Cookie', cookieHeader)
      .type('form')
      .send({ csrfToken, json: 'true' });

    expect(response.status).toBe(200);
    expect(setCookiesOf(response)).toEqual(
      expect.arrayContaining([`next-auth.session-token.0=; ${CLEARED}`, `next-auth.session-token.1=; ${CLEARED}`]),
    );
    expect(issuer.count('revocation')).toBe(1);
  });

  it.each([
    ['without a CSRF token', async () => ({})],
    ['with a CSRF token from another browser', async () => {
      const other = harness.app.browser();
      return { csrfToken: await csrfTokenOf(other) };
    }],
  ])('leaves a sign-out %s to next-auth: no revocation, the session intact', async (_case, form) => {
    const { app, issuer } = harness;
    const { browser } = await signedInBrowser();

    const response = await postSignOut(browser, await form());

    // next-auth's answer to a bad CSRF token: back to its confirm page.
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${app.url}/api/auth/signout?csrf=true`);
    expect(setCookiesOf(response).filter((line) => line.startsWith('next-auth.session-token'))).toEqual([]);
    expect(issuer.count('revocation')).toBe(0);
    await expect(readSession(browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
  });

  it('shows next-auth’s confirm page to a GET, so a link or an image tag cannot sign the user out', async () => {
    const { issuer } = harness;
    const { browser } = await signedInBrowser();

    const response = await browser.get('/api/auth/signout');

    expect(response.status).toBe(200);
    expect(response.text).toContain('Are you sure you want to sign out?');
    expect(issuer.count('revocation')).toBe(0);
    await expect(readSession(browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
  });

  it('still clears the session when Logto is unreachable, and lands on /?signedOut=local with a log line', async () => {
    const { app, issuer } = harness;
    const { browser, csrfToken } = await signedInBrowser();
    // Discovery is cached from the sign-in: only the revocation request goes out, and fails.
    await issuer.pause();
    let response: Response;
    try {
      response = await postSignOut(browser, { csrfToken, json: 'true' });
    } finally {
      await issuer.resume();
    }

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ url: `${app.url}/?signedOut=local` });
    expect(setCookiesOf(response)).toContain(`next-auth.session-token=; ${CLEARED}`);
    await expect(readSession(browser)).resolves.toBeNull();
    expect(issuer.count('revocation')).toBe(0);
    expect(app.logs).toEqual([expect.stringMatching(/^\[auth\] LOGTO_SIGN_OUT_ERROR: Logto could not be reached.*ECONNREFUSED/)]);
  });

  it('lets next-auth sign out a browser without a session, without asking Logto', async () => {
    const { app, issuer } = harness;
    const browser = app.browser();
    const csrfToken = await csrfTokenOf(browser);
    issuer.resetRequests();

    const response = await postSignOut(browser, { csrfToken, callbackUrl: `${app.url}/`, json: 'true' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ url: `${app.url}/` });
    expect(issuer.requests).toEqual([]);
  });
});
