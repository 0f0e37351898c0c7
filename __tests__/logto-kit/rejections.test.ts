import type { Response } from 'supertest';
import { useHostApp } from './helpers/host-app';
import { readSession, setCookieNames, signIn, startSignIn } from './helpers/sign-in-flow';
import type { IdTokenTampering } from './helpers/test-issuer';

/**
 * Whether a response sets the session cookie, chunked or not: by your `authOptions.cookies.sessionToken` name,
 * else by next-auth's default names (`next-auth.session-token`, `__Secure-` prefixed on https).
 */
function setsSession(response: Response, configuredName: string | undefined): boolean {
  return setCookieNames(response).some((name) =>
    configuredName ? name === configuredName || name.startsWith(`${configuredName}.`) : /session-token(\.\d+)?$/.test(name),
  );
}

// Drop-in: a careful relying party refuses every one of these, sets no session, and keeps serving.
describe('your /api/auth/callback/logto, refusing', () => {
  const host = useHostApp();

  /** Asserts a refused callback: a redirect carrying `error=`, no session cookie, and the browser signed out. */
  async function expectRefused(response: Response, browser: ReturnType<ReturnType<typeof host>['browser']>) {
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/[?&]error=/);
    expect(setsSession(response, host().route.authOptions.cookies?.sessionToken?.name)).toBe(false);
    await expect(readSession(browser)).resolves.toBeNull();
  }

  /** Asserts that, the issuer honest again, a new browser signs in. */
  async function expectSignInStillWorks() {
    const { issuer } = host();
    issuer.tamper = undefined;
    issuer.clockOffsetSeconds = 0;
    const browser = host().browser();
    await signIn(browser, issuer);
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  }

  it.each<[string, () => IdTokenTampering]>([
    ['a signature by a key Logto does not publish', () => ({ foreignKey: true })],
    ['alg none', () => ({ alg: 'none' })],
    ['alg HS256 (keyed with the client secret)', () => ({ alg: 'HS256' })],
    ['alg RS256 instead of ES384', () => ({ alg: 'RS256' })],
    ['another issuer', () => ({ claims: { iss: 'https://evil.example.com/oidc' } })],
    ['another audience', () => ({ claims: { aud: 'another-app.example.com' } })],
    ['an expired id_token', () => ({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } })],
    ['the nonce of another sign-in', () => ({ claims: { nonce: 'nonce-of-another-sign-in' } })],
  ])('an id_token with %s', async (_case, tamper) => {
    const { issuer } = host();
    issuer.tamper = tamper();
    const browser = host().browser();

    const { callbackResponse } = await signIn(browser, issuer);

    await expectRefused(callbackResponse, browser);
    await expectSignInStillWorks();
  });

  it('a callback whose state was tampered with', async () => {
    const { issuer } = host();
    const browser = host().browser();
    const started = await startSignIn(browser);
    issuer.resetRequests();
    const callback = await issuer.authorize(String(started.headers.location));
    callback.searchParams.set('state', 'forged-state');

    const response = await browser.get(callback.toString());

    await expectRefused(response, browser);
    expect(issuer.count('token', 'authorization_code')).toBe(0);
    await expectSignInStillWorks();
  });

  // RFC 9207: Logto names itself in `iss` on the callback, against mix-up with another issuer's response.
  it.each<[string, (callback: URL) => void]>([
    ['whose iss names another issuer', (callback) => callback.searchParams.set('iss', 'https://evil.example.com/oidc')],
    ['without iss', (callback) => callback.searchParams.delete('iss')],
  ])('a callback %s, before any token request', async (_case, spoil) => {
    const { issuer } = host();
    const browser = host().browser();
    const started = await startSignIn(browser);
    const callback = await issuer.authorize(String(started.headers.location));
    spoil(callback);
    issuer.resetRequests();

    const response = await browser.get(callback.toString());

    await expectRefused(response, browser);
    expect(issuer.count('token')).toBe(0);
    await expectSignInStillWorks();
  });

  it('a callback replayed after the sign-in completed', async () => {
    const { issuer } = host();
    const browser = host().browser();
    const flow = await signIn(browser, issuer);
    const attacker = host().browser();

    const replay = await attacker.get(flow.callbackUrl.toString());

    await expectRefused(replay, attacker);
    await expectSignInStillWorks();
  });
});
