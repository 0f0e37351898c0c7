import { useHostApp } from './helpers/host-app';
import { readSession, signIn } from './helpers/sign-in-flow';

// Drop-in: Logto revokes the whole grant when a rotated refresh token is used twice, so concurrent
// requests on an expired session must share one refresh.
describe('your /api/auth/session with an expired access token', () => {
  // Access tokens that are already inside the kit's 30 s refresh margin when issued.
  const host = useHostApp({ issuer: { accessTokenTtl: 20 } });

  it('refreshes once for 20 concurrent reads, and every read gets the refreshed session', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    issuer.accessTokenTtl = 3600;
    issuer.resetRequests();

    const sessions = await Promise.all(Array.from({ length: 20 }, () => readSession(browser)));

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
    for (const session of sessions) {
      expect(session?.user.id).toBe('user-1');
      expect(session?.error).toBeUndefined();
    }
  });

  it('marks the session RefreshAccessTokenError when Logto refuses the refresh', async () => {
    const { issuer } = host();
    issuer.accessTokenTtl = 20;
    const browser = host().browser();
    await signIn(browser, issuer);
    issuer.tokenFailure = { status: 400, error: 'invalid_grant' };

    const session = await readSession(browser);

    expect(session?.error).toBe('RefreshAccessTokenError');
    expect(host().logs.join('\n')).toMatch(/LOGTO_REFRESH_ERROR/);
  });
});
