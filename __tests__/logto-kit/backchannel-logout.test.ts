import type { Response } from 'supertest';
import { useHostApp } from './helpers/host-app';
import { readSession, setCookieNames, signIn } from './helpers/sign-in-flow';
import type { LogoutTokenTampering } from './helpers/test-issuer';

const LOGOUT_PATH = '/api/auth/backchannel-logout';
const now = () => Math.floor(Date.now() / 1000);
// The rules, written out rather than read from the kit, so that a copy with a wider window fails here: a logout
// token lives 120 s (Logto 1.42: exp = iat + 120; 1.37 sent no exp), and clocks may differ by 10 s at most.
const MAX_AGE_SECONDS = 120;
const MAX_SKEW_SECONDS = 10;
// How far past or inside each limit the tokens below are: a second may tick between signing and checking.
const PAST = MAX_SKEW_SECONDS + 3;
const INSIDE = MAX_SKEW_SECONDS - 3;

// Drop-in: Logto's back-channel logout (OIDC Back-Channel Logout 1.0) reaches your route and ends the
// session it names on the session's next read, without a refresh.
describe('your POST /api/auth/backchannel-logout', () => {
  // Access tokens already inside the kit's 30 s refresh margin: every read of a live session refreshes,
  // so "no refresh grant" after a logout shows that the revoked session never used its refresh token.
  const host = useHostApp({ issuer: { accessTokenTtl: 20 } });

  /** POSTs `form` as Logto does: application/x-www-form-urlencoded. */
  function postLogout(form: Record<string, string | string[]>) {
    return host().browser().post(LOGOUT_PATH).type('form').send(new URLSearchParams(Object.entries(form).flatMap(
      ([name, value]) => ([] as string[]).concat(value).map((entry) => [name, entry]),
    )).toString());
  }

  /** A browser signed in through the test issuer as `sub`; the issuer's `lastSid` is its session. */
  async function signedInBrowser(sub = 'user-1') {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    expect((await readSession(browser))?.user.id).toBe(await host().userId(sub));
    return browser;
  }

  /** Asserts a 400 with the spec's JSON error naming `reason`, and one log line for it. */
  function expectRejected(response: Response, reason: RegExp) {
    expect(response.status).toBe(400);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(reason) as unknown });
    expect(host().logs.filter((line) => line.includes('LOGTO_BACKCHANNEL_LOGOUT_REJECTED'))).toHaveLength(1);
  }

  it('ends the session a valid logout token names: the next read is signed out, its cookie cleared, no refresh grant', async () => {
    const { issuer } = host();
    const other = await signedInBrowser(); // another Logto session (another sid) of the same user
    const target = await signedInBrowser(); // the issuer's lastSid is this session's sid

    const rowBefore = await host().sessionRowOf(target);

    const response = await postLogout({ logout_token: await issuer.signLogoutToken() });
    issuer.resetRequests();

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const cookieName = host().route.authOptions.cookies?.sessionToken?.name ?? 'next-auth.session-token';
    expect(target.cookies.has(cookieName)).toBe(true);
    if (host().strategy === 'database') {
      // The logout deletes the Session row it names at once, and only that one.
      expect(rowBefore).not.toBeNull();
      expect(await host().sessionRowOf(target)).toBeNull();
      expect(await host().sessionRowOf(other)).toMatchObject({ userId: await host().userId('user-1') });
    }
    const read = await target.get('/api/auth/session').expect(200);
    expect(read.body).toEqual({});
    expect(setCookieNames(read)).toContain(cookieName);
    expect(target.cookies.has(cookieName)).toBe(false);
    await expect(readSession(target)).resolves.toBeNull();
    expect(issuer.count('token', 'refresh_token')).toBe(0);
    expect((await readSession(other))?.user.id).toBe(await host().userId('user-1'));
    expect(host().logs.join('\n')).not.toMatch(/\[auth\] (JWT_)?SESSION_ERROR/);
    // A JWT session has no row to delete: its cookie is refused at its next read, which the kit logs.
    if (host().strategy === 'jwt') expect(host().logs.join('\n')).toMatch(/LOGTO_SESSION_ENDED/);
  });

  it('ends every session of the user signed in before the token when it names only sub', async () => {
    const { issuer } = host();
    // Another user, so that the other tests' sign-ins (within the same second) are not before this cut-off.
    const user = issuer.user;
    // An email of its own too: an adapter refuses a second user with the same email (OAuthAccountNotLinked).
    issuer.user = { ...user, sub: 'user-sub-only', email: 'sub-only@example.com' };
    try {
      const [first, second] = [await signedInBrowser('user-sub-only'), await signedInBrowser('user-sub-only')];

      const token = await issuer.signLogoutToken({ claims: { sid: undefined } });
      expect((await postLogout({ logout_token: token })).status).toBe(200);
      if (host().strategy === 'database') {
        // Both Session rows are gone at once.
        expect(await host().sessionRowOf(first)).toBeNull();
        expect(await host().sessionRowOf(second)).toBeNull();
      }
      // Signed in after the logout (the issuer's clock a few seconds on): a new session, not ended.
      issuer.clockOffsetSeconds = 5;
      const later = await signedInBrowser('user-sub-only');
      issuer.resetRequests();

      await expect(readSession(first)).resolves.toBeNull();
      await expect(readSession(second)).resolves.toBeNull();
      expect(issuer.count('token', 'refresh_token')).toBe(0);
      expect((await readSession(later))?.user.id).toBe(await host().userId('user-sub-only'));
    } finally {
      issuer.user = user;
    }
  });

  it('accepts a token without typ, and one with an exp still ahead', async () => {
    const { issuer } = host();
    const untyped = await signedInBrowser();
    expect((await postLogout({ logout_token: await issuer.signLogoutToken({ typ: null }) })).status).toBe(200);
    const withExp = await signedInBrowser();
    const token = await issuer.signLogoutToken({ claims: { exp: now() + 60 } });
    expect((await postLogout({ logout_token: token })).status).toBe(200);

    await expect(readSession(untyped)).resolves.toBeNull();
    await expect(readSession(withExp)).resolves.toBeNull();
  });

  it.each<[string, () => LogoutTokenTampering]>([
    [`an iat ${MAX_AGE_SECONDS + INSIDE} s old`, () => ({ claims: { iat: now() - MAX_AGE_SECONDS - INSIDE } })],
    [`an iat ${INSIDE} s ahead`, () => ({ claims: { iat: now() + INSIDE } })],
    [`an exp ${INSIDE} s ago`, () => ({ claims: { iat: now() - 60, exp: now() - INSIDE } })],
    [`an nbf ${INSIDE} s ahead`, () => ({ claims: { nbf: now() + INSIDE } })],
  ])('accepts a logout token with %s, within the 10 s skew, and ends the session', async (_case, tamper) => {
    const { issuer } = host();
    const browser = await signedInBrowser();

    expect((await postLogout({ logout_token: await issuer.signLogoutToken(tamper()) })).status).toBe(200);

    await expect(readSession(browser)).resolves.toBeNull();
  });

  it('refuses a replayed logout token (same jti) with 400', async () => {
    const { issuer } = host();
    await signedInBrowser();
    const token = await issuer.signLogoutToken();
    expect((await postLogout({ logout_token: token })).status).toBe(200);
    host().logs.splice(0);

    expectRejected(await postLogout({ logout_token: token }), /replay/);
  });

  it.each<[string, () => LogoutTokenTampering, RegExp]>([
    ['a signature by a key Logto does not publish', () => ({ foreignKey: true }), /signature/],
    ['alg none', () => ({ alg: 'none' }), /alg|not a valid signed JWT/],
    ['alg HS256 (keyed with the client secret)', () => ({ alg: 'HS256' }), /alg/],
    ['alg ES256 instead of ES384', () => ({ alg: 'ES256' }), /alg/],
    ['a kid Logto does not publish', () => ({ foreignKey: true, kid: 'unknown-kid' }), /kid/],
    ['typ JWT (an id_token)', () => ({ typ: 'JWT' }), /typ must be logout\+jwt/],
    ['another issuer', () => ({ claims: { iss: 'https://evil.example.com/oidc' } }), /iss/],
    ['another audience', () => ({ claims: { aud: 'another-app.example.com' } }), /aud/],
    ['no iat', () => ({ claims: { iat: undefined } }), /iat/],
    [`an iat ${MAX_AGE_SECONDS + PAST} s old`, () => ({ claims: { iat: now() - MAX_AGE_SECONDS - PAST } }), /too old/],
    [`an iat ${PAST} s ahead`, () => ({ claims: { iat: now() + PAST } }), /iat/],
    [`an exp ${PAST} s ago`, () => ({ claims: { iat: now() - 60, exp: now() - PAST } }), /exp/],
    [`an nbf ${PAST} s ahead`, () => ({ claims: { nbf: now() + PAST } }), /nbf/],
    ['no events', () => ({ claims: { events: undefined } }), /events/],
    ['events without the backchannel-logout member', () => ({ claims: { events: { 'https://example.com/other': {} } } }), /events/],
    ['a backchannel-logout member that is not an object', () => ({
      claims: { events: { 'http://schemas.openid.net/event/backchannel-logout': true } },
    }), /events/],
    ['neither sub nor sid', () => ({ claims: { sub: undefined, sid: undefined } }), /neither sub nor sid/],
    ['a nonce', () => ({ claims: { nonce: 'n-0S6_WzA2Mj' } }), /nonce/],
    ['no jti', () => ({ claims: { jti: undefined } }), /jti/],
  ])('refuses a logout token with %s with 400, and the session stays', async (_case, tamper, reason) => {
    const { issuer } = host();
    const browser = await signedInBrowser();
    host().logs.splice(0);

    expectRejected(await postLogout({ logout_token: await issuer.signLogoutToken(tamper()) }), reason);

    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  });

  it('answers 400, never a 5xx, to bodies that are not a logout token', async () => {
    const browser = host().browser();
    const responses = await Promise.all([
      browser.post(LOGOUT_PATH),
      browser.post(LOGOUT_PATH).type('form').send(''),
      browser.post(LOGOUT_PATH).type('form').send('logout_token='),
      browser.post(LOGOUT_PATH).type('form').send('other=1'),
      browser.post(LOGOUT_PATH).type('form').send('logout_token=garbage'),
      browser.post(LOGOUT_PATH).type('form').send('logout_token=a.b.c'),
      browser.post(LOGOUT_PATH).type('form').send('logout_token=x&logout_token=y'),
      browser.post(LOGOUT_PATH).type('form').send(`logout_token=${'A'.repeat(100_000)}`),
      browser.post(LOGOUT_PATH).type('form').send('%%%%&&&==='),
      browser.post(LOGOUT_PATH).type('json').send({ logout_token: 'a.b.c' }),
      browser.post(LOGOUT_PATH).type('json').send('{"logout_token":'),
      browser.post(LOGOUT_PATH).set('Content-Type', 'text/plain').send('logout_token=a.b.c'),
      browser.post(LOGOUT_PATH).set('Content-Type', 'application/octet-stream').send(Buffer.from([0, 255, 1, 254])),
    ]);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 400));
    // All but the malformed JSON, which Next.js's body parser refuses before the route runs.
    const fromTheRoute = responses.filter((_, index) => index !== 10);
    for (const response of fromTheRoute) expect((response.body as { error?: string }).error).toBe('invalid_request');
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const response = await host().browser().get(LOGOUT_PATH);

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('checks warm tokens without a request to Logto, and refetches the JWKS at most once for unknown kids', async () => {
    const { issuer } = host();
    await signedInBrowser();
    expect((await postLogout({ logout_token: await issuer.signLogoutToken() })).status).toBe(200);
    issuer.resetRequests();

    for (let i = 0; i < 3; i += 1) {
      expect((await postLogout({ logout_token: await issuer.signLogoutToken() })).status).toBe(200);
    }
    expect(issuer.requests).toEqual([]);

    for (let i = 0; i < 5; i += 1) {
      const token = await issuer.signLogoutToken({ foreignKey: true, kid: `bogus-${i}` });
      expect((await postLogout({ logout_token: token })).status).toBe(400);
    }
    expect(issuer.count('jwks')).toBeLessThanOrEqual(1);
  });
});
