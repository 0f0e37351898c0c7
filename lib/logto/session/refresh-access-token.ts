import type { JWT } from 'next-auth/jwt';
import type {} from '../types/next-auth';
import {
  followRotations,
  runRefreshGrant,
  SESSION_TARGET,
  type RefreshGrantContext,
  type SessionTokens,
} from './refresh-grant';

/** Refresh this many seconds before the access token expires, so no request carries a dying token. */
export const EXPIRY_MARGIN_SECONDS = 30;

/** What {@link keepAccessTokenFresh} needs besides the token. */
export interface RefreshContext extends RefreshGrantContext {
  /** Clock in epoch seconds; tests pass their own. */
  nowSeconds?: () => number;
}

/**
 * Returns the session token untouched while its access token is valid (with the newest refresh token, should
 * a concurrent request have rotated it); otherwise refreshes it once (shared by concurrent requests and by
 * resource token grants, see refresh-grant.ts) or marks it `RefreshAccessTokenError` so the user signs in again.
 */
export async function keepAccessTokenFresh(token: JWT, context: RefreshContext): Promise<JWT> {
  const now = context.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
  // A session whose server-side tokens could not be read this time keeps going as it is; the next read retries.
  if (token.error !== undefined || token.tokensUnavailable === true) return token;
  const { refreshToken } = token;
  const due = token.expiresAt === undefined || now >= token.expiresAt - EXPIRY_MARGIN_SECONDS;
  if (!due) {
    if (!refreshToken) return token;
    const latest = followRotations(sessionTokensOf(token, refreshToken), context.rotations);
    return latest.refreshToken === refreshToken ? token : { ...token, ...latest };
  }
  if (!refreshToken) {
    context.logger.error(
      'LOGTO_REFRESH_ERROR',
      new Error('The access token expired and the session has no refresh token (ask for offline_access with prompt=consent)'),
    );
    return { ...token, error: 'RefreshAccessTokenError' };
  }
  // Keyed by refresh token *and* access token: requests carrying the same cookie share one refresh, and an
  // issuer that does not rotate refresh tokens still gets a fresh refresh once the new access token is due.
  const { step, session } = await runRefreshGrant(context, sessionTokensOf(token, refreshToken), SESSION_TARGET, {
    nowSeconds: now,
  });
  if (!step.ok) return { ...token, error: 'RefreshAccessTokenError' };
  return { ...token, ...session, error: undefined };
}

function sessionTokensOf(token: JWT, refreshToken: string): SessionTokens {
  return { refreshToken, accessToken: token.accessToken, expiresAt: token.expiresAt, idToken: token.idToken };
}
