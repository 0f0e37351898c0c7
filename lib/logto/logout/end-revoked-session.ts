import type { JWT } from 'next-auth/jwt';
import type { AuthLogger } from '../log/logger';
import { appSessionKeyOf } from './revoke-app-session';
import { LogtoSessionEndedError } from './session-ended-error';
import type { SessionRevocations } from './session-revocations';
import type {} from '../types/next-auth';

/**
 * Throws {@link LogtoSessionEndedError} when this session was signed out (its key), or a back-channel logout
 * revoked it (its `sid`, or its user since before it signed in), before any refresh: a revoked session never
 * uses its refresh token. A store that fails is logged and the session kept, as while Redis is down.
 */
export async function endRevokedSession(token: JWT, revocations: SessionRevocations, logger: AuthLogger): Promise<void> {
  if (await isSessionRevoked(token, revocations, logger)) {
    throw new LogtoSessionEndedError('this session was signed out, or Logto ended it (back-channel logout); the user signs in again');
  }
}

/**
 * Whether this session was signed out or revoked by a back-channel logout, in one look-up: for readers of the
 * cookie that skip the `jwt` callback (resource tokens, organization names). A store that fails is logged and
 * counts as not revoked.
 */
export async function isSessionRevoked(token: JWT, revocations: SessionRevocations, logger: AuthLogger): Promise<boolean> {
  try {
    return await revocations.isRevoked({ sessionId: appSessionKeyOf(token), sid: token.sid, sub: token.sub, authTime: token.authTime });
  } catch (error) {
    logger.error('LOGTO_REVOCATION_CHECK_ERROR', error);
    return false;
  }
}
