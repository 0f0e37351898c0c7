import type { JWT } from 'next-auth/jwt';
import type { AuthLogger } from '../log/logger';
import type { SessionJwtCodec } from '../next-auth/session-jwt';
import { DEFAULT_SESSION_MAX_AGE_SECONDS } from '../next-auth/settings';
import type { SessionTokenStore, StoredSessionTokens } from '../store/session-token-store';
import { createTtlCache } from '../store/ttl-cache';
import type {} from '../types/next-auth';

// expiresAt travels with the access token: a cookie copy read after another request refreshed must not pair the new
// tokens with the old expiry (it would refresh again).
const TOKEN_FIELDS = ['accessToken', 'refreshToken', 'idToken', 'expiresAt'] as const;
// What this process last wrote or read per session, so an unchanged re-issue of the cookie writes nothing.
const KNOWN_FINGERPRINTS_MAX = 10_000;

/**
 * The session cookie's codec with Logto's tokens kept in `store` instead of the cookie: `encode` moves
 * accessToken, refreshToken and idToken to the store under the session's `sessionId` and writes only a handle
 * (`tokensStored`); `decode` puts them back. Everything that reads the cookie through `authOptions.jwt` (next-auth,
 * the fast session read, the kit's token getters) sees the whole token, so refresh, sign-out, back-channel logout
 * and resource tokens work unchanged, and the cookie stays one chunk whatever the id_token holds.
 * While the store fails: `encode` keeps the tokens in the cookie (one warning per outage), and `decode` answers the
 * handle without tokens, marked `tokensUnavailable`, so the user stays signed in and nothing is refreshed or rewritten.
 */
export function keepTokensOnServer(codec: SessionJwtCodec, store: SessionTokenStore, logger: AuthLogger): SessionJwtCodec {
  const known = createTtlCache<string>({ maxEntries: KNOWN_FINGERPRINTS_MAX });
  let failing = false;

  function storeFailed(error: unknown): void {
    if (failing) return;
    failing = true;
    logger.warn('LOGTO_TOKEN_STORE_UNAVAILABLE', {
      cause: error instanceof Error ? error.message : String(error),
      fix: 'sessions keep their tokens in the cookie until the store answers again; check REDIS_URL and that Redis is up',
    });
  }

  return {
    async encode(params) {
      const token = params.token ?? {};
      const { tokensUnavailable, tokensStored, ...rest } = token;
      const sessionId = typeof token.sessionId === 'string' ? token.sessionId : undefined;
      const tokens = pickTokens(token);
      // Another provider's session, or one whose tokens could not be read: nothing to move, the handle stays.
      if (!sessionId || tokensUnavailable === true || !tokens) {
        return codec.encode({ ...params, token: tokensUnavailable === true || tokensStored === true ? { ...rest, tokensStored: true } : rest });
      }
      const fingerprint = JSON.stringify(tokens);
      try {
        if (known.get(sessionId) !== fingerprint) {
          const ttlSeconds = params.maxAge ?? DEFAULT_SESSION_MAX_AGE_SECONDS;
          await store.set(sessionId, tokens, ttlSeconds);
          known.set(sessionId, fingerprint, ttlSeconds * 1000);
        }
        failing = false;
      } catch (error) {
        storeFailed(error);
        return codec.encode({ ...params, token: rest });
      }
      return codec.encode({ ...params, token: { ...withoutTokens(rest), tokensStored: true } });
    },
    async decode(params) {
      const token = await codec.decode(params);
      if (!token?.tokensStored || typeof token.sessionId !== 'string') return token;
      let tokens: StoredSessionTokens | undefined;
      try {
        tokens = await store.get(token.sessionId);
        failing = false;
      } catch (error) {
        storeFailed(error);
        return { ...token, tokensUnavailable: true };
      }
      // Expired or deleted (sign-out): the session can no longer call Logto, and the user signs in again.
      if (!tokens) return { ...token, error: 'RefreshAccessTokenError' };
      known.set(token.sessionId, JSON.stringify(tokens), 60_000);
      return { ...token, ...tokens };
    },
  };
}

function pickTokens(token: JWT): StoredSessionTokens | undefined {
  const tokens: StoredSessionTokens = {};
  for (const field of TOKEN_FIELDS) if (token[field] !== undefined) Object.assign(tokens, { [field]: token[field] });
  return Object.keys(tokens).length > 0 ? tokens : undefined;
}

function withoutTokens(token: JWT): JWT {
  const rest: JWT = { ...token };
  for (const field of TOKEN_FIELDS) delete rest[field];
  return rest;
}
