import type { Browser } from '../logto-kit/helpers/browser';
import type { Response } from 'supertest';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { csrfTokenOf, readSession, setCookieNames, setCookiesOf, signIn, startSignIn } from '../logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../logto-kit/helpers/test-issuer';

const OTHER_ISSUER = 'https://evil.example.com/oidc';
const OTHER_CLIENT = 'another-app-id';

/** The cookie names of next-auth's session (one, or `.0`, `.1`… when chunked) a response sets. */
function sessionCookies(response: Response): string[] {
  return setCookieNames(response).filter((name) => name.startsWith('next-auth.session-token'));
}

/** The `Cookie` header a browser would send back after `response`: every cookie it sets. */
function cookieHeader(response: Response): string {
  return setCookiesOf(response).map((cookie) => cookie.split(';')[0]).join('; ');
}

/** Puts the test issuer back to an honest Logto tenant. */
function resetIssuer(issuer: TestIssuer) {
  issuer.tamper = undefined;
  issuer.tokenFailure = undefined;
  issuer.denyAuthorization = false;
  issuer.clockOffsetSeconds = 0;
}

describe('GET /api/auth/callback/logto', () => {
  // One app for every case: discovery and JWKS stay cached, as in a long-running server.
  const harness = setupAuthApp();
  afterEach(() => resetIssuer(harness.issuer));

  /**
   * Asserts a refused callback: next-auth's redirect to its error route, which sends the browser on to the
   * app's error page, and no session cookie, so the browser stays signed out.
   */
  async function expectRefused(browser: Browser, callback: Response, error: string) {
    const { app } = harness;
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(`${app.url}/api/auth/error?error=${error}`);
    expect(sessionCookies(callback)).toEqual([]);
    const { pathname, search } = new URL(callback.headers.location);
    const errorRoute = await browser.get(pathname + search);
    expect(errorRoute.status).toBe(302);
    expect(errorRoute.headers.location).toBe(`${app.url}/auth/error?error=${error}`);
    expect((await browser.get('/api/auth/session').expect(200)).body).toEqual({});
  }

  /** Asserts that, the issuer honest again, a new browser signs in with this same app and nothing is logged. */
  async function expectSignInStillWorks() {
    const { app, issuer } = harness;
    resetIssuer(issuer);
    const logged = app.logs.length;
    const browser = app.browser();
    const { callbackResponse } = await signIn(browser, issuer);
    expect(callbackResponse.status).toBe(302);
    expect(callbackResponse.headers.location).toBe(`${app.url}/`);
    expect(sessionCookies(callbackResponse)).toEqual(['next-auth.session-token']);
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(app.logs.slice(logged)).toEqual([]);
  }

  describe('validating the id_token', () => {
    it.each<[string, () => void, string]>([
      [
        'signed by a key Logto does not publish',
        () => (harness.issuer.tamper = { foreignKey: true }),
        "the ID token signature does not match any key in Logto's JWKS. Fix: check AUTH_LOGTO_ISSUER points at the tenant that issued the token. (failed to validate JWT signature)",
      ],
      [
        'signed by a key with a kid Logto does not publish',
        () => (harness.issuer.tamper = { foreignKey: true, kid: 'unknown-kid' }),
        "the ID token signature does not match any key in Logto's JWKS",
      ],
      [
        'with alg none (unsigned)',
        () => (harness.issuer.tamper = { alg: 'none' }),
        'Logto signed the ID token with none but this app expects ES384. Fix: nothing to configure',
      ],
      [
        'signed with HS256 and the client secret',
        () => (harness.issuer.tamper = { alg: 'HS256' }),
        'Logto signed the ID token with HS256 but this app expects ES384. Fix: nothing to configure',
      ],
      [
        'signed with ES256',
        () => (harness.issuer.tamper = { alg: 'ES256' }),
        'Logto signed the ID token with ES256 but this app expects ES384. Fix: set AUTH_LOGTO_ID_TOKEN_ALG=ES256',
      ],
      [
        'signed with RS256',
        () => (harness.issuer.tamper = { alg: 'RS256' }),
        'Logto signed the ID token with RS256 but this app expects ES384. Fix: set AUTH_LOGTO_ID_TOKEN_ALG=RS256',
      ],
      [
        'from another issuer (iss claim)',
        () => (harness.issuer.tamper = { claims: { iss: OTHER_ISSUER } }),
        `the token was issued by ${OTHER_ISSUER}, not by `,
      ],
      [
        'for another client (aud claim)',
        () => (harness.issuer.tamper = { claims: { aud: OTHER_CLIENT } }),
        'the ID token was issued for another application. Fix: check that AUTH_LOGTO_ID is the App ID of this Logto application. (aud mismatch, expected test-client, got: another-app-id)',
      ],
      [
        'for this client and another audience, without azp',
        () => (harness.issuer.tamper = { claims: { aud: [harness.issuer.clientId, OTHER_CLIENT] } }),
        'the ID token was issued for another application. Fix: check that AUTH_LOGTO_ID is the App ID of this Logto application. (missing required JWT property azp)',
      ],
      [
        'for this client and another audience, authorized for the other one (azp claim)',
        () => (harness.issuer.tamper = { claims: { aud: [harness.issuer.clientId, OTHER_CLIENT], azp: OTHER_CLIENT } }),
        'the ID token was issued for another application. Fix: check that AUTH_LOGTO_ID is the App ID of this Logto application. (azp mismatch, got: another-app-id)',
      ],
      [
        // exp is a minute ago, well past the 10 s clock tolerance.
        'that expired a minute ago',
        () => (harness.issuer.clockOffsetSeconds = -3660),
        "the ID token is expired or not yet valid. Fix: check that the server's clock is right (NTP). (JWT expired, now ",
      ],
      [
        'without a sub claim',
        () => (harness.issuer.tamper = { claims: { sub: undefined } }),
        'the ID token has no `sub` claim, which OpenID Connect requires',
      ],
      [
        // The route sends no nonce (PKCE binds the code); an id_token carrying one belongs to another sign-in.
        'with the nonce of another sign-in',
        () => (harness.issuer.tamper = { claims: { nonce: 'nonce-of-another-sign-in' } }),
        'the ID token nonce does not match this sign-in. Fix: start the sign-in again. (nonce mismatch, expected ',
      ],
    ])('refuses an id_token %s, logs why, and keeps serving', async (_case, spoil, logged) => {
      const { app, issuer } = harness;
      spoil();
      const browser = app.browser();
      const { callbackResponse } = await signIn(browser, issuer);

      await expectRefused(browser, callbackResponse, 'OAuthCallback');
      expect(app.logs).toEqual([expect.stringContaining(`[auth] OAUTH_CALLBACK_ERROR: ${logged}`)]);
      await expectSignInStillWorks();
    });

    it('accepts an id_token that expired within the 10 s clock tolerance', async () => {
      const { app, issuer } = harness;
      issuer.clockOffsetSeconds = -3605;
      const browser = app.browser();
      const { callbackResponse } = await signIn(browser, issuer);

      expect(callbackResponse.headers.location).toBe(`${app.url}/`);
      expect((await readSession(browser))?.user.id).toBe('user-1');
      expect(app.logs).toEqual([]);
    });
  });

  describe('with a callback that does not belong to the browser', () => {
    it('refuses a callback whose state was tampered with, without redeeming the code', async () => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const started = await startSignIn(browser);
      const callbackUrl = await issuer.authorize(started.headers.location);
      callbackUrl.searchParams.set('state', `${callbackUrl.searchParams.get('state')}x`);
      issuer.resetRequests();

      await expectRefused(browser, await browser.get(callbackUrl.pathname + callbackUrl.search), 'OAuthCallback');
      expect(issuer.count('token')).toBe(0);
      expect(app.logs).toEqual([
        expect.stringContaining(
          '[auth] OAUTH_CALLBACK_ERROR: the callback does not belong to a sign-in started in this browser (state/PKCE/nonce cookie missing or mismatched). Fix: start the sign-in again; if it keeps failing, make NEXTAUTH_URL match the address in the browser. (state mismatch, expected ',
        ),
      ]);
      await expectSignInStillWorks();
    });

    it('refuses a callback opened in a browser that did not start the sign-in (login CSRF)', async () => {
      const { app, issuer } = harness;
      const started = await startSignIn(app.browser());
      const callbackUrl = await issuer.authorize(started.headers.location);
      issuer.resetRequests();

      const victim = app.browser();
      await expectRefused(victim, await victim.get(callbackUrl.pathname + callbackUrl.search), 'OAuthCallback');
      expect(issuer.count('token')).toBe(0);
      expect(app.logs).toEqual([
        expect.stringContaining('the callback does not belong to a sign-in started in this browser'),
      ]);
      expect(app.logs[0]).toContain('(State cookie was missing.)');
      await expectSignInStillWorks();
    });

    it('refuses a callback replayed in the same browser and sets no new session', async () => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const flow = await signIn(browser, issuer);
      expect(flow.callbackResponse.headers.location).toBe(`${app.url}/`);
      expect(sessionCookies(flow.callbackResponse)).toEqual(['next-auth.session-token']);
      issuer.resetRequests();

      const replay = await browser.get(flow.callbackUrl.pathname + flow.callbackUrl.search);
      expect(replay.status).toBe(302);
      expect(replay.headers.location).toBe(`${app.url}/api/auth/error?error=OAuthCallback`);
      expect(sessionCookies(replay)).toEqual([]);
      expect(issuer.count('token')).toBe(0);
      expect(app.logs).toEqual([expect.stringContaining('(State cookie was missing.)')]);
      await expectSignInStillWorks();
    });

    it('refuses a callback replayed with the original cookies: Logto redeems a code once and revokes its grant', async () => {
      const { app, issuer } = harness;
      const started = await startSignIn(app.browser());
      const callbackUrl = await issuer.authorize(started.headers.location);
      const path = callbackUrl.pathname + callbackUrl.search;
      const revokedBefore = issuer.revokedGrants();

      const first = await app.browser().get(path).set('Cookie', cookieHeader(started));
      expect(first.status).toBe(302);
      expect(first.headers.location).toBe(`${app.url}/`);
      expect(sessionCookies(first)).toEqual(['next-auth.session-token']);

      const attacker = app.browser();
      await expectRefused(attacker, await attacker.get(path).set('Cookie', cookieHeader(started)), 'OAuthCallback');
      expect(issuer.revokedGrants()).toBe(revokedBefore + 1);
      expect(app.logs).toEqual([
        expect.stringContaining(
          '[auth] OAUTH_CALLBACK_ERROR: Logto refused the grant (code or refresh token used, expired or revoked). Fix: sign in again. (invalid_grant (code not found or already used))',
        ),
      ]);
      await expectSignInStillWorks();
    });

    it('refuses a callback whose iss parameter names another issuer (RFC 9207 mix-up)', async () => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const started = await startSignIn(browser);
      const callbackUrl = await issuer.authorize(started.headers.location);
      callbackUrl.searchParams.set('iss', OTHER_ISSUER);
      issuer.resetRequests();

      await expectRefused(browser, await browser.get(callbackUrl.pathname + callbackUrl.search), 'OAuthCallback');
      expect(issuer.count('token')).toBe(0);
      expect(app.logs).toEqual([
        expect.stringContaining(`[auth] OAUTH_CALLBACK_ERROR: the token was issued by ${OTHER_ISSUER}, not by ${issuer.issuer}`),
      ]);
      await expectSignInStillWorks();
    });
  });

  describe('when Logto refuses the sign-in', () => {
    it('refuses an error=access_denied callback (the user cancelled at Logto)', async () => {
      const { app, issuer } = harness;
      issuer.denyAuthorization = true;
      issuer.resetRequests();
      const browser = app.browser();
      const { callbackUrl, callbackResponse } = await signIn(browser, issuer);
      expect(callbackUrl.searchParams.get('error')).toBe('access_denied');

      // Handled before next-auth, which would report it as a generic `Callback` error: straight to the error page.
      expect(callbackResponse.status).toBe(302);
      expect(callbackResponse.headers.location).toBe(`${app.url}/auth/error?error=Cancelled`);
      expect(sessionCookies(callbackResponse)).toEqual([]);
      expect((await browser.get('/api/auth/session').expect(200)).body).toEqual({});
      expect(issuer.count('token')).toBe(0);
      expect(app.logs).toEqual([
        '[auth] warning LOGTO_SIGN_IN_CANCELLED {"error_description":"The user cancelled the sign-in"}',
      ]);
      await expectSignInStillWorks();
    });

    it("sends a user refused by Logto's app-level access control to the error page with its own code, not as a cancel", async () => {
      const { app, issuer } = harness;
      issuer.resetRequests();
      const browser = app.browser();
      const started = await startSignIn(browser);
      expect(started.status).toBe(302);
      const authorizationUrl = new URL(started.headers.location);
      // What Logto ≥ 1.41 sends back when app-level access control refuses a user who already holds a grant
      // for the app: oidc-provider's AccessDenied with RequestError('oidc.access_denied').message, in English
      // (logto-io/logto v1.42.0 packages/core/src/oidc/application-access-control.ts, called from
      // loadExistingGrant in packages/core/src/oidc/init.ts; the text is packages/phrases/src/locales/en/errors/oidc.ts).
      const callbackUrl = new URL(authorizationUrl.searchParams.get('redirect_uri')!);
      callbackUrl.search = new URLSearchParams({
        error: 'access_denied',
        error_description: 'Access denied.',
        state: authorizationUrl.searchParams.get('state')!,
        iss: issuer.issuer,
      }).toString();
      const callbackResponse = await browser.get(callbackUrl.pathname + callbackUrl.search);

      expect(callbackResponse.status).toBe(302);
      expect(callbackResponse.headers.location).toBe(`${app.url}/auth/error?error=AppAccessDenied`);
      expect(sessionCookies(callbackResponse)).toEqual([]);
      expect((await browser.get('/api/auth/session').expect(200)).body).toEqual({});
      expect(issuer.count('token')).toBe(0);
      expect(app.logs).toEqual([
        '[auth] warning LOGTO_APP_ACCESS_DENIED {"error_description":"Access denied.","fix":"if this user should get in: ' +
          'Logto Console > Applications > this app > Rules, add an allow rule that matches them, and save"}',
      ]);
      await expectSignInStillWorks();
    });

    it('refuses the sign-in when the token endpoint fails with 500 server_error', async () => {
      const { app, issuer } = harness;
      issuer.tokenFailure = { status: 500, error: 'server_error' };
      const browser = app.browser();
      const { callbackResponse } = await signIn(browser, issuer);

      await expectRefused(browser, callbackResponse, 'OAuthCallback');
      expect(app.logs).toEqual([
        '[auth] OAUTH_CALLBACK_ERROR: Logto could not be reached or answered with an error. Fix: check AUTH_LOGTO_ISSUER and that the server can reach it. (server_error)',
      ]);
      await expectSignInStillWorks();
    });

    it('refuses the sign-in when the token endpoint answers 401 invalid_client', async () => {
      const { app, issuer } = harness;
      issuer.tokenFailure = { status: 401, error: 'invalid_client' };
      const browser = app.browser();
      const { callbackResponse } = await signIn(browser, issuer);

      await expectRefused(browser, callbackResponse, 'OAuthCallback');
      expect(app.logs).toEqual([
        '[auth] OAUTH_CALLBACK_ERROR: Logto rejected the client credentials. Fix: check AUTH_LOGTO_ID and AUTH_LOGTO_SECRET against the Logto Console (Applications → your app). (invalid_client)',
      ]);
      await expectSignInStillWorks();
    });
  });
});

describe('POST /api/auth/signin/logto', () => {
  // A fresh app whose issuer is down before the first sign-in: nothing is cached yet.
  const harness = setupAuthApp();
  beforeAll(() => harness.issuer.pause());

  it('sends the browser to the error page with OAuthSignin while the discovery document is unreachable', async () => {
    const { app } = harness;
    const browser = app.browser();
    const started = await startSignIn(browser);

    expect(started.status).toBe(302);
    expect(started.headers.location).toBe(`${app.url}/auth/error?error=OAuthSignin`);
    expect(setCookieNames(started)).toEqual([]);
    expect(app.logs).toEqual([
      expect.stringMatching(
        /^\[auth\] LOGTO_DISCOVERY_ERROR: Logto could not be reached or answered with an error\. Fix: check AUTH_LOGTO_ISSUER and that the server can reach it\. \(.*ECONNREFUSED/,
      ),
    ]);
  });

  it("answers signIn()'s JSON request with the error page URL while the discovery document is unreachable", async () => {
    const { app } = harness;
    const browser = app.browser();
    const csrfToken = await csrfTokenOf(browser);
    const started = await browser
      .post('/api/auth/signin/logto')
      .type('form')
      .send({ csrfToken, callbackUrl: '/', json: 'true' });

    expect(started.status).toBe(200);
    expect(started.body).toEqual({ url: `${app.url}/auth/error?error=OAuthSignin` });
  });

  it('keeps serving the routes that do not need Logto', async () => {
    const { app } = harness;
    const browser = app.browser();
    expect((await browser.get('/api/auth/session').expect(200)).body).toEqual({});
    expect((await browser.get('/api/auth/csrf').expect(200)).body).toEqual({ csrfToken: expect.any(String) });
    expect((await browser.get('/api/me')).status).toBe(401);
  });

  it('signs the user in once the issuer is reachable again', async () => {
    const { app, issuer } = harness;
    await issuer.resume();
    app.logs.splice(0);
    const browser = app.browser();
    const { callbackResponse } = await signIn(browser, issuer);

    expect(callbackResponse.headers.location).toBe(`${app.url}/`);
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(app.logs).toEqual([]);
  });
});
