import type { JWTOptions } from 'next-auth/jwt';
import { countSessionCookieChunks } from '../next-auth/cookies';
import type { AuthLogger } from './logger';

/**
 * Session cookies of more chunks than this draw a warning: each chunk is a ~4 KB cookie, and proxies and servers
 * refuse request headers past 8–16 KB, which users see as a sign-in loop (logto-io/logto#6597, ~100 organizations).
 */
export const MAX_SESSION_COOKIE_CHUNKS = 3;

/**
 * `encode` that logs one warning per process, with the fix, the first time a session cookie passes
 * {@link MAX_SESSION_COOKIE_CHUNKS} chunks; the cookie itself is written unchanged.
 */
export function warnOnLargeSessions(encode: JWTOptions['encode'], logger: AuthLogger): JWTOptions['encode'] {
  let warned = false;
  return async (params) => {
    const value = await encode(params);
    const chunks = countSessionCookieChunks(value.length);
    if (!warned && chunks > MAX_SESSION_COOKIE_CHUNKS) {
      warned = true;
      logger.warn('LOGTO_SESSION_COOKIE_LARGE', {
        bytes: value.length,
        chunks,
        cause: 'the id_token in the cookie grows with the user’s organizations and organization roles',
        fix: 'keep the tokens on the server with createLogtoKit({ tokenStorage: "server", redis }) (or use database sessions), or stop asking for urn:logto:scope:organization_roles',
      });
    }
    return value;
  };
}
