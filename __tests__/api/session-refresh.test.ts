import type { Session } from 'next-auth';
import supertest from 'supertest';
import { EXPIRY_MARGIN_SECONDS } from '@/lib/logto/session/refresh-access-token';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { decodeSessionCookie, readSession, sessionCookieHeader, signIn } from '../logto-kit/helpers/sign-in-flow';

// Shorter than EXPIRY_MARGIN_SECONDS: the access token arrives already due, so the next session read
// refreshes it, with no clock to fake and nothing to wait for.
const DUE_TTL_SECONDS = EXPIRY_MARGIN_SECONDS - 20;

describe('GET /api/auth/session', () => {
  const harness = setupAuthApp();

  /** Signs a new browser in; `accessTokenTtl` is the lifetime, in seconds, of the access token it gets. */
  async function signInWith(accessTokenTtl: number) {
    const { app, issuer } = harness;
    issuer.accessTokenTtl = accessTokenTtl;
    const browser = app.browser();
    const flow = await signIn(browser, issuer);
    issuer.accessTokenTtl = 3600;
    issuer.resetRequests();
    const cookie = sessionCookieHeader(flow.callbackResponse);
    return { browser, cookie, token: (await decodeSessionCookie(cookie))! };
  }

  /** One session read carrying exactly `cookie`, as a browser still holding that cookie would send. */
  const readSessionWith = (cookie: string) =>
    supertest(harness.app.url).get('/api/auth/session').set('Cookie', cookie).expect(200);

  const refreshErrorLogs = () => harness.app.logs.filter((line) => line.includes('LOGTO_REFRESH_ERROR'));

  beforeEach(() => {
    const { issuer } = harness;
    issuer.tamper = undefined;
    issuer.tokenFailure = undefined;
    issuer.rotateRefreshTokens = true;
    issuer.latencyMs = 0;
  });

  it('serves the session without asking the issuer while the access token is valid', async () => {
    const { issuer } = harness;
    const { browser, token } = await signInWith(3600);

    const session = await readSession(browser);

    expect(session).toMatchObject({ user: { id: 'user-1', name: 'Alice Example' }, accessTokenExpiresAt: token.expiresAt });
    expect(session?.error).toBeUndefined();
    expect(issuer.requests).toEqual([]);
  });

  it('refreshes an access token within the 30 s margin and stores the new tokens in the cookie', async () => {
    const { issuer } = harness;
    const { browser, token } = await signInWith(DUE_TTL_SECONDS);
    const before = Math.floor(Date.now() / 1000);

    const response = await browser.get('/api/auth/session').expect(200);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.requests[0].params.refresh_token).toBe(token.refreshToken);
    const stored = await decodeSessionCookie(sessionCookieHeader(response));
    expect(stored).toMatchObject({ sub: 'user-1' });
    expect(stored?.error).toBeUndefined();
    expect(stored?.accessToken).not.toBe(token.accessToken);
    expect(stored?.refreshToken).not.toBe(token.refreshToken);
    expect(stored?.idToken).not.toBe(token.idToken);
    expect(stored?.expiresAt).toBeGreaterThanOrEqual(before + 3600);
    const session = response.body as Session;
    expect(session).toMatchObject({ user: { id: 'user-1' }, accessTokenExpiresAt: stored?.expiresAt });
    expect(session.error).toBeUndefined();

    // The refreshed access token is valid for an hour: the next read asks the issuer nothing.
    await expect(readSession(browser)).resolves.toMatchObject({ user: { id: 'user-1' } });
    expect(issuer.requests).toHaveLength(1);
  });

  it('refreshes the next time with the rotated refresh token, so Logto never sees a reuse', async () => {
    const { issuer } = harness;
    const { browser, token } = await signInWith(DUE_TTL_SECONDS);
    issuer.accessTokenTtl = DUE_TTL_SECONDS;

    const first = await browser.get('/api/auth/session').expect(200);
    const second = await browser.get('/api/auth/session').expect(200);

    const rotated = (await decodeSessionCookie(sessionCookieHeader(first)))?.refreshToken;
    const grants = issuer.requests.filter((request) => request.grantType === 'refresh_token');
    expect(grants.map((request) => request.params.refresh_token)).toEqual([token.refreshToken, rotated]);
    expect((second.body as Session).error).toBeUndefined();
    expect(issuer.revokedGrants()).toBe(0);
  });

  it('keeps the refresh token in the cookie when the issuer returns none', async () => {
    const { issuer } = harness;
    issuer.rotateRefreshTokens = false;
    const { browser, token } = await signInWith(DUE_TTL_SECONDS);

    const response = await browser.get('/api/auth/session').expect(200);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    const stored = await decodeSessionCookie(sessionCookieHeader(response));
    expect(stored?.refreshToken).toBe(token.refreshToken);
    expect(stored?.accessToken).not.toBe(token.accessToken);
    expect((response.body as Session).error).toBeUndefined();
  });

  it('marks the token and the session RefreshAccessTokenError when Logto answers invalid_grant, and logs it once', async () => {
    const { issuer } = harness;
    const { browser } = await signInWith(DUE_TTL_SECONDS);
    issuer.tokenFailure = { status: 400, error: 'invalid_grant' };

    const response = await browser.get('/api/auth/session').expect(200);

    expect(response.body).toMatchObject({ user: { id: 'user-1' }, error: 'RefreshAccessTokenError' });
    await expect(decodeSessionCookie(sessionCookieHeader(response))).resolves.toMatchObject({ error: 'RefreshAccessTokenError' });
    expect(refreshErrorLogs()).toEqual([
      expect.stringMatching(/LOGTO_REFRESH_ERROR: Logto refused the grant .*Fix: sign in again.*invalid_grant/),
    ]);

    // The flag sticks: no further refresh attempts, and server-side pages treat the user as signed out.
    await expect(readSession(browser)).resolves.toMatchObject({ error: 'RefreshAccessTokenError' });
    await browser.get('/api/me').expect(401);
    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(refreshErrorLogs()).toHaveLength(1);
  });

  it('rejects a refreshed id_token about another user', async () => {
    const { issuer } = harness;
    const { browser, token } = await signInWith(DUE_TTL_SECONDS);
    issuer.tamper = { claims: { sub: 'user-2' } };

    const response = await browser.get('/api/auth/session').expect(200);

    expect(response.body).toMatchObject({ user: { id: 'user-1' }, error: 'RefreshAccessTokenError' });
    await expect(decodeSessionCookie(sessionCookieHeader(response))).resolves.toMatchObject({
      sub: 'user-1',
      idToken: token.idToken,
      error: 'RefreshAccessTokenError',
    });
    expect(refreshErrorLogs()).toEqual([expect.stringContaining('sub mismatch, expected user-1, got: user-2')]);
  });

  it('rejects a refreshed id_token with a bad signature', async () => {
    const { issuer } = harness;
    const { browser, token } = await signInWith(DUE_TTL_SECONDS);
    issuer.tamper = { foreignKey: true };

    const response = await browser.get('/api/auth/session').expect(200);

    expect(response.body).toMatchObject({ user: { id: 'user-1' }, error: 'RefreshAccessTokenError' });
    await expect(decodeSessionCookie(sessionCookieHeader(response))).resolves.toMatchObject({
      accessToken: token.accessToken,
      error: 'RefreshAccessTokenError',
    });
    expect(refreshErrorLogs()).toEqual([expect.stringContaining('failed to validate JWT signature')]);
  });

  it('answers 20 concurrent reads of a due session with one refresh grant and 20 good sessions', async () => {
    const { issuer } = harness;
    const { cookie, token } = await signInWith(DUE_TTL_SECONDS);
    // Every read arrives while the one refresh is still at the issuer.
    issuer.latencyMs = 50;

    const responses = await Promise.all(Array.from({ length: 20 }, () => readSessionWith(cookie)));

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
    for (const { body } of responses) {
      expect(body).toMatchObject({ user: { id: 'user-1', name: 'Alice Example' } });
      expect((body as Session).error).toBeUndefined();
    }
    // All 20 cookies carry the same rotated refresh token, so whichever the browser keeps works.
    const stored = await Promise.all(responses.map((response) => decodeSessionCookie(sessionCookieHeader(response))));
    const refreshTokens = new Set(stored.map((session) => session?.refreshToken));
    expect(refreshTokens.size).toBe(1);
    expect(refreshTokens.has(token.refreshToken)).toBe(false);
    expect(refreshErrorLogs()).toEqual([]);
  });

  it('gives a straggler still carrying the old cookie the finished refresh, without a second grant', async () => {
    const { issuer } = harness;
    const { cookie } = await signInWith(DUE_TTL_SECONDS);
    const refreshed = await readSessionWith(cookie);

    const straggler = await readSessionWith(cookie);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
    expect(straggler.body).toMatchObject({ user: { id: 'user-1' } });
    expect((straggler.body as Session).error).toBeUndefined();
    const [fresh, late] = await Promise.all([sessionCookieHeader(refreshed), sessionCookieHeader(straggler)].map((cookie) => decodeSessionCookie(cookie)));
    expect(late?.refreshToken).toBe(fresh?.refreshToken);
    expect(late?.accessToken).toBe(fresh?.accessToken);
  });
});
