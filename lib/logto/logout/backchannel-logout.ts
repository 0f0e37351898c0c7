import type { NextApiRequest, NextApiResponse } from 'next';
import type { AuthLogger } from '../log/logger';
import { CLOCK_SKEW_SECONDS } from '../oidc/time-claims';
import { LOGOUT_TOKEN_MAX_AGE_SECONDS, LogoutTokenError, type LogoutTokenClaims } from './logout-token';
import type { SessionRevocations } from './session-revocations';

/** What {@link receiveBackchannelLogout} needs: the token check, where revocations go, and for how long. */
export interface BackchannelLogoutContext {
  /** Validates a logout token ({@link verifyLogoutToken} with this app's issuer, client id, alg and keys). */
  verify(token: string): Promise<LogoutTokenClaims>;
  revocations: SessionRevocations;
  /** How long a revocation is remembered, in seconds: the session's maxAge, after which the cookie is dead anyway. */
  sessionMaxAgeSeconds: number;
  logger: AuthLogger;
  /** For database sessions: deletes the Session rows the token names (database/end-database-sessions.ts). */
  endDatabaseSessions?(claims: LogoutTokenClaims): Promise<void>;
}

// A logout token is a few hundred bytes; anything far larger is not one.
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * `POST /api/auth/backchannel-logout`: Logto's back-channel logout. A valid `logout_token` ends the session it
 * names (`sid`) or every session of its user signed in before it (`sub` only), in this app's session store;
 * the `jwt` callback then signs those sessions out on their next read. Answers 200, or 400 with an OAuth
 * error JSON, never a 5xx, and logs one line per refused token.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest
 */
export async function receiveBackchannelLogout(
  req: NextApiRequest,
  res: NextApiResponse,
  context: BackchannelLogoutContext,
): Promise<void> {
  // §2.8: "The response SHOULD include the Cache-Control HTTP response header field with a no-store value".
  res.setHeader('Cache-Control', 'no-store');
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return answerError(res, 405, 'Logto sends logout tokens with POST');
  }
  try {
    const token = readLogoutToken(req);
    const claims = await context.verify(token);
    // §2.6 step 7: the jti is remembered as long as the token could still pass the `iat` check.
    const replayWindow = LOGOUT_TOKEN_MAX_AGE_SECONDS + 2 * CLOCK_SKEW_SECONDS;
    if (!(await context.revocations.markJtiSeen(claims.jti, replayWindow))) {
      throw new LogoutTokenError('this logout token (jti) was received before: a replay');
    }
    // §2.7: a sid names one session; a sub alone names every session of that user, up to the token's iat.
    if (claims.sid !== undefined) await context.revocations.revokeSid(claims.sid, context.sessionMaxAgeSeconds);
    else await context.revocations.revokeSubBefore(claims.sub!, claims.iat, context.sessionMaxAgeSeconds);
    await context.endDatabaseSessions?.(claims);
  } catch (error) {
    const description =
      error instanceof LogoutTokenError
        ? error.message
        : `the logout could not be recorded: ${error instanceof Error ? error.message : String(error)}`;
    context.logger.warn('LOGTO_BACKCHANNEL_LOGOUT_REJECTED', { reason: description });
    // §2.8: "If the logout request was invalid or the logout failed, the RP MUST respond with 400 Bad Request".
    return answerError(res, 400, description);
  }
  // §2.8: "If the logout succeeded, the RP MUST respond with HTTP 200 OK."
  res.status(200).end();
}

/** The one `logout_token` of a form-encoded body, as Next.js's body parser left it. */
function readLogoutToken(req: NextApiRequest): string {
  // §2.5: "The RP receives the Logout Token ... in the logout_token parameter ... application/x-www-form-urlencoded".
  const type = (String(req.headers['content-type'] ?? '').split(';')[0] ?? '').trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new LogoutTokenError(`send logout_token as application/x-www-form-urlencoded, not ${type || 'no content type'}`);
  }
  const body: unknown = req.body;
  const token = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).logout_token : undefined;
  if (Array.isArray(token)) throw new LogoutTokenError('send one logout_token, not several');
  if (typeof token !== 'string' || token === '') throw new LogoutTokenError('the logout_token parameter is missing');
  if (token.length > MAX_TOKEN_LENGTH) throw new LogoutTokenError('the logout_token is too long to be a logout token');
  return token;
}

function answerError(res: NextApiResponse, status: 400 | 405, description: string): void {
  res.status(status).json({ error: 'invalid_request', error_description: description });
}
