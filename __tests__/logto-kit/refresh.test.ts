import type { Browser } from './helpers/browser';
import { useHostApp } from './helpers/host-app';
import { readSession, signIn } from './helpers/sign-in-flow';
import type { TestIssuer } from './helpers/test-issuer';

// The rule, written out rather than read from the kit: clocks may differ by 10 s at most, for refreshed id_tokens too.
const MAX_SKEW_SECONDS = 10;

/** Sends a refresh_token or revocation request to the issuer as this app's client would (client_secret_basic). */
function callLogto(issuer: TestIssuer, endpoint: 'token' | 'token/revocation', form: Record<string, string>): Promise<Response> {
  const credentials = `${encodeURIComponent(issuer.clientId)}:${encodeURIComponent(issuer.clientSecret)}`;
  return fetch(`${issuer.issuer}/${endpoint}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

// Drop-in: Logto revokes the whole grant when a rotated refresh token is used twice, so concurrent
// requests on an expired session must share one refresh.
describe('your /api/auth/session with an expired access token', () => {
  // Access tokens that are already inside the kit's 30 s refresh margin when issued.
  const host = useHostApp({ issuer: { accessTokenTtl: 20 } });

  /** A browser signed in with an access token due for refresh; the tokens issued after it last an hour. */
  async function signedInDue(): Promise<Browser> {
    const { issuer } = host();
    issuer.accessTokenTtl = 20;
    const browser = host().browser();
    await signIn(browser, issuer);
    issuer.accessTokenTtl = 3600;
    issuer.resetRequests();
    return browser;
  }

  it('refreshes once for 20 concurrent reads, and every read gets the refreshed session', async () => {
    const { issuer } = host();
    const browser = await signedInDue();

    const sessions = await Promise.all(Array.from({ length: 20 }, () => readSession(browser)));

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
    for (const session of sessions) {
      expect(session?.user.id).toBe(await host().userId('user-1'));
      expect(session?.error).toBeUndefined();
    }
  });

  // Where the session keeps Logto's tokens: the session cookie (JWT sessions) or the Account row (database sessions).
  it('writes the refreshed tokens back where the session keeps them, the rotated refresh token the one Logto accepts next', async () => {
    const { issuer } = host();
    const browser = await signedInDue();
    const before = await host().tokensOf(browser);
    const revoked = issuer.revokedGrants();
    const readAt = Math.floor(Date.now() / 1000);

    expect((await readSession(browser))?.error).toBeUndefined();

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    const after = await host().tokensOf(browser);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    // Epoch seconds: the refreshed token's hour from this read on.
    expect(after?.expiresAt).toBeGreaterThanOrEqual(readAt + 3600 - 5);
    expect(after?.expiresAt).toBeLessThanOrEqual(readAt + 3600 + 5);
    expect(after?.idToken).toEqual(expect.any(String));
    expect(after?.refreshToken).toEqual(expect.any(String));
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    // As another instance, or this one after a restart, would use it: Logto takes it and revokes nothing.
    expect((await callLogto(issuer, 'token', { grant_type: 'refresh_token', refresh_token: after!.refreshToken! })).status).toBe(200);
    expect(issuer.revokedGrants()).toBe(revoked);
  });

  it('marks the session RefreshAccessTokenError when Logto refuses the refresh', async () => {
    const { issuer } = host();
    const browser = await signedInDue();
    issuer.tokenFailure = { status: 400, error: 'invalid_grant' };

    const session = await readSession(browser);

    expect(session?.error).toBe('RefreshAccessTokenError');
    expect(host().logs.join('\n')).toMatch(/LOGTO_REFRESH_ERROR/);
  });

  it('marks the session RefreshAccessTokenError once Logto revoked the grant, on this read and the later ones', async () => {
    const { issuer } = host();
    const browser = await signedInDue();
    const { refreshToken } = (await host().tokensOf(browser))!;
    // As an administrator, or a sign-out in another app of the same grant, would.
    expect((await callLogto(issuer, 'token/revocation', { token: refreshToken!, token_type_hint: 'refresh_token' })).status).toBe(200);
    issuer.resetRequests();

    const first = await readSession(browser);
    const later = await Promise.all([readSession(browser), readSession(browser)]);

    expect(first?.error).toBe('RefreshAccessTokenError');
    for (const session of later) expect(session?.error).toBe('RefreshAccessTokenError');
    expect(issuer.count('token', 'refresh_token')).toBe(1);
  });

  it(`marks the session RefreshAccessTokenError when the refreshed id_token was issued ${MAX_SKEW_SECONDS + 3} s ahead`, async () => {
    const { issuer } = host();
    const browser = await signedInDue();
    issuer.clockOffsetSeconds = MAX_SKEW_SECONDS + 3;

    const session = await readSession(browser);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(session?.error).toBe('RefreshAccessTokenError');
  });

  it(`keeps the session when the refreshed id_token was issued ${MAX_SKEW_SECONDS - 3} s ahead`, async () => {
    const { issuer } = host();
    const browser = await signedInDue();
    issuer.clockOffsetSeconds = MAX_SKEW_SECONDS - 3;

    const session = await readSession(browser);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(session?.user.id).toBe(await host().userId('user-1'));
    expect(session?.error).toBeUndefined();
  });
});
