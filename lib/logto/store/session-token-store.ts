import { createTtlCache } from './ttl-cache';
import { createSharedStoreCipher } from './shared-store-cipher';
import type { SharedStore } from './shared-store';

/** The bulky part of a Logto session, kept on the server when the cookie holds only a handle. */
export interface StoredSessionTokens {
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  /** When `accessToken` expires, epoch seconds. */
  expiresAt?: number;
}

/** Where a session's tokens live when `tokenStorage: 'server'`: keyed by the session's random `sessionId`. */
export interface SessionTokenStore {
  /** The tokens of `sessionId`, or undefined when none are kept (never stored, expired, deleted). */
  get(sessionId: string): Promise<StoredSessionTokens | undefined>;
  /** Keeps `tokens` for `ttlSeconds` (the session's maxAge). */
  set(sessionId: string, tokens: StoredSessionTokens, ttlSeconds: number): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

/** A {@link SessionTokenStore} in this process's memory: one instance only (sessions do not move between instances). */
export function createMemorySessionTokenStore({ maxEntries = 100_000 }: { maxEntries?: number } = {}): SessionTokenStore {
  const entries = createTtlCache<StoredSessionTokens>({ maxEntries });
  return {
    async get(sessionId) {
      return entries.get(sessionId);
    },
    async set(sessionId, tokens, ttlSeconds) {
      entries.set(sessionId, tokens, ttlSeconds * 1000);
    },
    async delete(sessionId) {
      entries.delete(sessionId);
    },
  };
}

/** Options of {@link createRedisSessionTokenStore}. */
export interface RedisSessionTokenStoreOptions {
  store: SharedStore;
  /** NEXTAUTH_SECRET: tokens are sealed with a key derived from it (AES-256-GCM), the key names hashed with it. */
  secret: string;
}

/**
 * A {@link SessionTokenStore} in Redis, shared by every instance. Values are sealed (the Redis key is authenticated
 * with them, so a value cannot be moved to another session), and keys are keyed hashes of the session id.
 * A failing Redis rejects with SharedStoreUnavailableError; the caller decides what a session does then.
 */
export function createRedisSessionTokenStore({ store, secret }: RedisSessionTokenStoreOptions): SessionTokenStore {
  const cipher = createSharedStoreCipher(secret);
  const keyOf = (sessionId: string) => `${store.keyPrefix}session-tokens:${cipher.hashKey(sessionId)}`;
  return {
    async get(sessionId) {
      const key = keyOf(sessionId);
      const sealed = await store.call((client) => client.get(key));
      return sealed ? (JSON.parse(cipher.open(sealed, key)) as StoredSessionTokens) : undefined;
    },
    async set(sessionId, tokens, ttlSeconds) {
      const key = keyOf(sessionId);
      const sealed = cipher.seal(JSON.stringify(tokens), key);
      await store.call((client) => client.set(key, sealed, 'PX', Math.max(1, Math.ceil(ttlSeconds * 1000))));
    },
    async delete(sessionId) {
      const key = keyOf(sessionId);
      // An empty value that expires at once: SharedStoreClient has no DEL, and a missing value reads as none.
      await store.call((client) => client.set(key, '', 'PX', 1));
    },
  };
}
