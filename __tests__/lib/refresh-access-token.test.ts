import type { JWT } from 'next-auth/jwt';
import { generators, Issuer, type Client } from 'openid-client';
import { createAuthLogger } from '@/lib/logto/log/logger';
import { EXPIRY_MARGIN_SECONDS, keepAccessTokenFresh, type RefreshContext } from '@/lib/logto/session/refresh-access-token';
import { createRefreshSingleFlight } from '@/lib/logto/session/refresh-single-flight';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';

// Never fetched: the test issuer redirects to it and the test reads the code off the URL.
const REDIRECT_URI = 'https://app.example.com/api/auth/callback/logto';
// The app's clock for the expiry decision, in epoch seconds; tokens are crafted around it.
const NOW = 1_900_000_000;

/** Signs `issuer.user` in with openid-client alone and returns the session token the jwt callback would store. */
async function signInDirectly(client: Client, issuer: TestIssuer): Promise<JWT> {
  const codeVerifier = generators.codeVerifier();
  const nonce = generators.nonce();
  const authorizationUrl = client.authorizationUrl({
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access profile email',
    prompt: 'consent',
    code_challenge: generators.codeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
  });
  const back = await issuer.authorize(authorizationUrl);
  const tokens = await client.callback(REDIRECT_URI, client.callbackParams(back.toString()), {
    code_verifier: codeVerifier,
    nonce,
  });
  return {
    sub: tokens.claims().sub,
    name: 'Alice Example',
    accessToken: tokens.access_token,
    expiresAt: tokens.expires_at,
    refreshToken: tokens.refresh_token,
    idToken: tokens.id_token,
  };
}

/** The claims of a JWT, unverified: the tests check what the app stored, openid-client already verified it. */
function claimsOf(jwt: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

describe('keepAccessTokenFresh', () => {
  let issuer: TestIssuer;
  let client: Client;
  let logs: string[];
  let context: RefreshContext;
  let signedIn: JWT;
  /** The signed-in token with its access token expiring `secondsLeft` after {@link NOW}. */
  const expiringIn = (secondsLeft: number): JWT => ({ ...signedIn, expiresAt: NOW + secondsLeft });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const discovered = await Issuer.discover(issuer.issuer);
    client = new discovered.Client({
      client_id: issuer.clientId,
      client_secret: issuer.clientSecret,
      redirect_uris: [REDIRECT_URI],
      id_token_signed_response_alg: 'ES384',
    });
  });
  afterAll(() => issuer.close());

  beforeEach(async () => {
    issuer.tamper = undefined;
    issuer.tokenFailure = undefined;
    issuer.rotateRefreshTokens = true;
    signedIn = await signInDirectly(client, issuer);
    issuer.resetRequests();
    logs = [];
    context = {
      getClient: async () => client,
      singleFlight: createRefreshSingleFlight(),
      logger: createAuthLogger({ error: (line) => logs.push(line), warn: (line) => logs.push(line) }),
      nowSeconds: () => NOW,
    };
  });

  it('returns the token untouched, without asking the issuer, while the access token outlives the margin', async () => {
    const token = expiringIn(EXPIRY_MARGIN_SECONDS + 1);

    await expect(keepAccessTokenFresh(token, context)).resolves.toBe(token);
    expect(issuer.requests).toEqual([]);
  });

  it('refreshes once the access token is within the 30 s margin', async () => {
    const refreshed = await keepAccessTokenFresh(expiringIn(EXPIRY_MARGIN_SECONDS), context);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken);
    expect(refreshed.error).toBeUndefined();
  });

  it('stores the new access token, its epoch-second expiry, id_token and rotated refresh token, and keeps the other claims', async () => {
    const before = Math.floor(Date.now() / 1000);
    const refreshed = await keepAccessTokenFresh(expiringIn(-60), context);
    const after = Math.floor(Date.now() / 1000);

    const [grant] = issuer.requests;
    expect(grant).toMatchObject({ endpoint: 'token', grantType: 'refresh_token' });
    expect(grant.params.refresh_token).toBe(signedIn.refreshToken);
    // client_secret_basic, as Logto's traditional web apps authenticate.
    const [id, secret] = Buffer.from(String(grant.authorization).replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    expect([id, secret]).toEqual([issuer.clientId, issuer.clientSecret]);

    expect(refreshed).toMatchObject({ sub: 'user-1', name: 'Alice Example', error: undefined });
    expect(refreshed.accessToken).toEqual(expect.any(String));
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken);
    expect(refreshed.expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(refreshed.expiresAt).toBeLessThanOrEqual(after + 3600);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(signedIn.refreshToken);
    expect(refreshed.idToken).not.toBe(signedIn.idToken);
    expect(claimsOf(refreshed.idToken)).toMatchObject({ sub: 'user-1', iss: issuer.issuer, aud: issuer.clientId });
  });

  it('refreshes the next time with the rotated refresh token, so the grant is never revoked for reuse', async () => {
    const first = await keepAccessTokenFresh(expiringIn(-60), context);
    const second = await keepAccessTokenFresh({ ...first, expiresAt: NOW - 60 }, context);

    const grants = issuer.requests.filter((request) => request.grantType === 'refresh_token');
    expect(grants.map((request) => request.params.refresh_token)).toEqual([signedIn.refreshToken, first.refreshToken]);
    expect(second.error).toBeUndefined();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(issuer.revokedGrants()).toBe(0);
  });

  it('keeps the refresh token when the issuer returns none, and refreshes again once the new access token is due', async () => {
    issuer.rotateRefreshTokens = false;

    const first = await keepAccessTokenFresh(expiringIn(-60), context);
    // Same refresh token, new access token: not the same single flight, even within its 30 s result window.
    const second = await keepAccessTokenFresh({ ...first, expiresAt: NOW - 60 }, context);

    expect(first.refreshToken).toBe(signedIn.refreshToken);
    expect(first.accessToken).not.toBe(signedIn.accessToken);
    expect(second).toMatchObject({ refreshToken: signedIn.refreshToken, error: undefined });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(issuer.count('token', 'refresh_token')).toBe(2);
  });

  it('marks the token RefreshAccessTokenError and logs the cause once when the issuer answers invalid_grant', async () => {
    issuer.tokenFailure = { status: 400, error: 'invalid_grant' };
    const token = expiringIn(-60);

    const result = await keepAccessTokenFresh(token, context);

    expect(result).toEqual({ ...token, error: 'RefreshAccessTokenError' });
    expect(logs).toEqual([expect.stringMatching(/^\[auth\] LOGTO_REFRESH_ERROR: Logto refused the grant .*invalid_grant/)]);
  });

  it('rejects a refreshed id_token about another user', async () => {
    issuer.tamper = { claims: { sub: 'user-2' } };
    const token = expiringIn(-60);

    const result = await keepAccessTokenFresh(token, context);

    expect(result).toEqual({ ...token, error: 'RefreshAccessTokenError' });
    expect(logs).toEqual([expect.stringContaining('LOGTO_REFRESH_ERROR: sub mismatch, expected user-1, got: user-2')]);
  });

  it('rejects a refreshed id_token with a bad signature', async () => {
    issuer.tamper = { foreignKey: true };
    const token = expiringIn(-60);

    const result = await keepAccessTokenFresh(token, context);

    expect(result).toEqual({ ...token, error: 'RefreshAccessTokenError' });
    expect(logs).toEqual([
      expect.stringMatching(/LOGTO_REFRESH_ERROR: the ID token signature does not match any key .*failed to validate JWT signature/),
    ]);
  });

  it('shares one failed refresh among concurrent requests and logs it once', async () => {
    issuer.tokenFailure = { status: 400, error: 'invalid_grant' };
    const token = expiringIn(-60);

    const results = await Promise.all(Array.from({ length: 5 }, () => keepAccessTokenFresh(token, context)));

    expect(results.map((result) => result.error)).toEqual(Array(5).fill('RefreshAccessTokenError'));
    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(logs).toHaveLength(1);
  });

  it('marks the token without asking the issuer when the session holds no refresh token', async () => {
    const token = { ...expiringIn(-60), refreshToken: undefined };

    const result = await keepAccessTokenFresh(token, context);

    expect(result.error).toBe('RefreshAccessTokenError');
    expect(issuer.requests).toEqual([]);
    expect(logs).toEqual([expect.stringContaining('LOGTO_REFRESH_ERROR: The access token expired and the session has no refresh token')]);
  });

  it('leaves a token already marked RefreshAccessTokenError alone', async () => {
    const token: JWT = { ...expiringIn(-60), error: 'RefreshAccessTokenError' };

    await expect(keepAccessTokenFresh(token, context)).resolves.toBe(token);
    expect(issuer.requests).toEqual([]);
    expect(logs).toEqual([]);
  });
});
