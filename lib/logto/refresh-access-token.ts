import type { JWT } from 'next-auth/jwt';
import { TokenSet, type Client } from 'openid-client';
import type { AuthLogger } from './logger';
import type { RefreshSingleFlight } from './refresh-single-flight';

/** Refresh this many seconds before the access token expires, so no request carries a dying token. */
export const EXPIRY_MARGIN_SECONDS = 30;

/** What {@link keepAccessTokenFresh} needs besides the token. */
export interface RefreshContext {
  getClient(): Promise<Client>;
  singleFlight: RefreshSingleFlight;
  logger: AuthLogger;
  /** Clock in epoch seconds; tests pass their own. */
  nowSeconds?: () => number;
}

type RefreshedTokens = Pick<JWT, 'accessToken' | 'expiresAt' | 'refreshToken' | 'idToken'>;

/**
 * Returns the session token untouched while its access token is valid; otherwise refreshes it once
 * (shared by concurrent requests) or marks it `RefreshAccessTokenError` so the user signs in again.
 */
export async function keepAccessTokenFresh(token: JWT, context: RefreshContext): Promise<JWT> {
  const now = context.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
  if (token.error) return token;
  if (token.expiresAt !== undefined && now < token.expiresAt - EXPIRY_MARGIN_SECONDS) return token;
  const { refreshToken } = token;
  if (!refreshToken) {
    context.logger.error(
      'LOGTO_REFRESH_ERROR',
      new Error('The access token expired and the session has no refresh token (ask for offline_access with prompt=consent)'),
    );
    return { ...token, error: 'RefreshAccessTokenError' };
  }
  try {
    // Keyed by refresh token *and* access token: requests carrying the same cookie share one refresh, and an
    // issuer that does not rotate refresh tokens still gets a fresh refresh once the new access token is due.
    const refreshed = await context.singleFlight.run(`${refreshToken}\n${token.accessToken ?? ''}`, () =>
      refreshAccessToken(context.getClient, { refreshToken, idToken: token.idToken }).catch((error: unknown) => {
        // Logged here, inside the single flight: once per failed refresh, not once per waiting request.
        context.logger.error('LOGTO_REFRESH_ERROR', error);
        throw error;
      }),
    );
    return { ...token, ...refreshed, error: undefined };
  } catch {
    return { ...token, error: 'RefreshAccessTokenError' };
  }
}

/**
 * Runs the refresh_token grant with openid-client, which validates the returned id_token (signature with
 * the configured alg, iss, aud, and the same `sub` as before); keeps the old refresh token when none is returned.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokens
 */
export async function refreshAccessToken(
  getClient: () => Promise<Client>,
  { refreshToken, idToken }: { refreshToken: string; idToken?: string },
): Promise<RefreshedTokens> {
  const client = await getClient();
  const refreshed = await client.refresh(new TokenSet({ refresh_token: refreshToken, id_token: idToken }));
  if (!refreshed.access_token) throw new Error('The refresh response carries no access_token');
  return {
    accessToken: refreshed.access_token,
    expiresAt: refreshed.expires_at,
    refreshToken: refreshed.refresh_token ?? refreshToken,
    idToken: refreshed.id_token ?? idToken,
  };
}
