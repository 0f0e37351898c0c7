import { decode, type JWT } from 'next-auth/jwt';
import type { Browser } from '../logto-kit/helpers/browser';
import { startHostApp, type HostApp } from '../logto-kit/helpers/host-app';
import { csrfTokenOf, readSession, signIn, startSignIn } from '../logto-kit/helpers/sign-in-flow';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';

// A host app that changes everything next-auth lets it change (__tests__/fixtures/custom-host-route.ts):
// basePath /app, custom cookie names with a domain, useSecureCookies, custom pages, a password provider
// and a second OpenID provider, each with the host's own jwt/session callbacks.
describe('/api/auth/* of a custom host app', () => {
  let host: HostApp;
  let acme: TestIssuer;

  beforeAll(async () => {
    acme = await startTestIssuer({ clientId: 'acme-client', clientSecret: 'acme-secret' });
    acme.user = { sub: 'dave-acme', name: 'Dave Acme', email: 'dave@acme.example.com' };
    host = await startHostApp({
      route: '__tests__/fixtures/custom-host-route.ts',
      env: { NEXTAUTH_URL: 'http://localhost/app/api/auth', ACME_ISSUER: acme.issuer },
    });
  });
  afterAll(async () => {
    await host.close();
    await acme.close();
  });
  beforeEach(() => {
    host.logs.splice(0);
    host.issuer.accessTokenTtl = 3600;
    host.issuer.denyAuthorization = false;
    host.issuer.resetRequests();
  });

  /** The session token in the browser's custom session cookie, decrypted as the app does. */
  async function sessionToken(browser: Browser): Promise<JWT | null> {
    const cookie = browser.cookies.get('__Secure-host.session');
    return cookie ? decode({ token: cookie, secret: String(process.env.NEXTAUTH_SECRET) }) : null;
  }

  /** Signs in with the host's password provider, as `signIn('password', …)` does. */
  async function signInWithPassword(browser: Browser) {
    const csrfToken = await csrfTokenOf(browser);
    const response = await browser
      .post('/api/auth/callback/password')
      .type('form')
      .send({ csrfToken, username: 'carol', password: 'carol-password', json: 'true' });
    expect(response.status).toBe(200);
  }

  /** Posts next-auth's sign-out as `signOut({ redirect: false })` does and returns the URL it answers with. */
  async function signOut(browser: Browser): Promise<string> {
    const csrfToken = await csrfTokenOf(browser);
    const response = await browser
      .post('/api/auth/signout')
      .type('form')
      .send({ csrfToken, callbackUrl: `${host.url}/`, json: 'true' });
    expect(response.status).toBe(200);
    return (response.body as { url: string }).url;
  }

  describe('with Logto', () => {
    it('signs in under the basePath with the same redirect URI for authorization and token exchange', async () => {
      const browser = host.browser();
      const flow = await signIn(browser, host.issuer, { callbackUrl: `${host.url}/` });

      expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/app$/);
      expect(flow.authorizationUrl.searchParams.get('redirect_uri')).toBe(`${host.url}/api/auth/callback/logto`);
      const [exchange] = host.issuer.requests.filter((request) => request.grantType === 'authorization_code');
      expect(exchange.params.redirect_uri).toBe(`${host.url}/api/auth/callback/logto`);
      expect(flow.callbackResponse.headers.location).toBe(`${host.url}/`);
      expect(await readSession(browser)).toMatchObject({ user: { id: 'user-1' }, hostRole: 'member' });
    });

    it('uses the host’s cookie names and attributes: __Secure-/__Host- prefixes, Secure, and the domain', async () => {
      const browser = host.browser();
      const started = await startSignIn(browser);
      const startCookies = ([] as string[]).concat(started.headers['set-cookie'] ?? []);
      expect(startCookies.map((line) => line.split('=')[0]).sort()).toEqual(
        ['__Secure-host.callback-url', '__Secure-host.pkce', '__Secure-host.state'],
      );
      expect([...browser.cookies.keys()]).toContain('__Host-host.csrf');
      const callback = await host.issuer.authorize(started.headers.location);
      const response = await browser.get(callback.toString());

      const sessionCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((line) => line.startsWith('__Secure-host.session='));
      expect(sessionCookie).toMatch(/Domain=host\.example\.com/);
      expect(sessionCookie).toMatch(/; Secure/);
      expect(await sessionToken(browser)).toMatchObject({ provider: 'logto', sub: 'user-1', hostRole: 'member' });
    });

    it('sends a cancelled sign-in to the host’s error page under the basePath', async () => {
      host.issuer.denyAuthorization = true;
      const browser = host.browser();
      const started = await startSignIn(browser);
      const callback = await host.issuer.authorize(started.headers.location);

      const response = await browser.get(callback.toString());

      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(`${new URL(host.url).origin}/app/oops?error=Cancelled`);
    });

    it('refreshes an expired Logto session once, through the host’s callbacks', async () => {
      host.issuer.accessTokenTtl = 20;
      const browser = host.browser();
      await signIn(browser, host.issuer);
      host.issuer.resetRequests();

      const sessions = await Promise.all([readSession(browser), readSession(browser), readSession(browser)]);

      expect(host.issuer.count('token', 'refresh_token')).toBe(1);
      for (const session of sessions) expect(session).toMatchObject({ user: { id: 'user-1' }, hostRole: 'member' });
      expect(sessions[0]?.error).toBeUndefined();
    });

    it('signs out at Logto with the home under the basePath, clearing the cookie on its domain', async () => {
      const browser = host.browser();
      await signIn(browser, host.issuer);
      const csrfToken = await csrfTokenOf(browser);
      host.issuer.resetRequests();

      const response = await browser
        .post('/api/auth/signout')
        .type('form')
        .send({ csrfToken, json: 'true' });

      const endSession = new URL((response.body as { url: string }).url);
      expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(host.url);
      expect(([] as string[]).concat(response.headers['set-cookie'] ?? [])).toContainEqual(
        expect.stringMatching(/^__Secure-host\.session=; Path=\/; Domain=host\.example\.com; HttpOnly; SameSite=Lax; Max-Age=0; .*; Secure$/),
      );
      expect(host.issuer.count('revocation')).toBe(1);
      await expect(readSession(browser)).resolves.toBeNull();
    });
  });

  describe('with the host’s other providers', () => {
    it('leaves a password session alone: no refresh, no error flag, no Logto tokens', async () => {
      const browser = host.browser();
      await signInWithPassword(browser);

      const session = await readSession(browser);
      expect(session).toMatchObject({ user: { id: 'carol', name: 'Carol Password' }, hostRole: 'staff' });
      expect(session).not.toHaveProperty('error');
      expect(session).not.toHaveProperty('accessTokenExpiresAt');
      await readSession(browser);
      expect(host.issuer.requests).toEqual([]);
      expect(host.logs).toEqual([]);
    });

    it('signs a password session out the plain next-auth way, without asking Logto', async () => {
      const browser = host.browser();
      await signInWithPassword(browser);

      expect(await signOut(browser)).toBe(`${host.url}/`);
      expect(host.issuer.requests).toEqual([]);
      await expect(readSession(browser)).resolves.toBeNull();
    });

    it('signs in with the second OpenID provider and signs out without Logto', async () => {
      const browser = host.browser();
      const csrfToken = await csrfTokenOf(browser);
      const started = await browser.post('/api/auth/signin/acme').type('form').send({ csrfToken, callbackUrl: `${host.url}/` });
      const callback = await acme.authorize(started.headers.location);
      await browser.get(callback.toString());

      expect(await readSession(browser)).toMatchObject({ user: { id: 'dave-acme', name: 'Dave Acme' }, hostRole: 'member' });
      expect(await sessionToken(browser)).toMatchObject({ provider: 'acme' });
      expect(await signOut(browser)).toBe(`${host.url}/`);
      expect(host.issuer.requests).toEqual([]);
    });

    it('leaves no Logto tokens behind when the user switches from Logto to a password', async () => {
      const browser = host.browser();
      await signIn(browser, host.issuer);
      expect(await sessionToken(browser)).toHaveProperty('refreshToken');

      await signInWithPassword(browser);

      const token = await sessionToken(browser);
      expect(token).toMatchObject({ provider: 'password', sub: 'carol', hostRole: 'staff' });
      for (const field of ['accessToken', 'refreshToken', 'idToken', 'expiresAt', 'sid', 'error']) expect(token).not.toHaveProperty(field);
    });
  });
});
