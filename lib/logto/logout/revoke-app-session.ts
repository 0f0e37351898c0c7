import type { JWT } from 'next-auth/jwt';
import type { AuthLogger } from '../log/logger';
import type { SessionRevocations } from './session-revocations';
import type {} from '../types/next-auth';

/**
 * The key that names this app session in the revocation store: its random `sessionId`; for a cookie written
 * before the kit set one, its user and sign-in time (`sub@authTime`), which also stay fixed from sign-in on.
 * Undefined for cookies older still, which carry neither.
 */
export function appSessionKeyOf(token: JWT): string | undefined {
  if (typeof token.sessionId === 'string' && token.sessionId !== '') return token.sessionId;
  // A sessionId is 22 base64url characters, never an `@`: the two kinds of key cannot collide.
  if (typeof token.sub === 'string' && typeof token.authTime === 'number') return `${token.sub}@${token.authTime}`;
  return undefined;
}

/** What {@link revokeAppSession} needs: where revocations go, for how long, and where a failure is logged. */
export interface RevokeAppSessionContext {
  revocations: SessionRevocations;
  /** The session's maxAge, in seconds: no copy of its cookie outlives it. */
  ttlSeconds: number;
  logger: AuthLogger;
}

/**
 * Records the end of this app session (`signOut()`), so every copy of its cookie reads as signed out on every
 * instance. A cookie without any session key ends by its Logto `sid`, which the same sign-out ends at Logto.
 * Never throws: a store that fails is logged in one line with its cause and fix, and the sign-out goes on.
 */
export async function revokeAppSession(token: JWT, { revocations, ttlSeconds, logger }: RevokeAppSessionContext): Promise<void> {
  const key = appSessionKeyOf(token);
  try {
    if (key !== undefined) await revocations.revokeSession(key, ttlSeconds);
    else if (typeof token.sid === 'string') await revocations.revokeSid(token.sid, ttlSeconds);
  } catch (error) {
    // log/explain-auth-error.ts turns this message into the log line's cause and fix.
    logger.error('LOGTO_SIGN_OUT_NOT_RECORDED', new Error('the sign-out could not be recorded in the session revocation store', { cause: error }));
  }
}
