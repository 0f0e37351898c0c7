import { createMemorySessionRevocations, type SessionRevocations } from '../logout/session-revocations';
import type { TrackedKeys } from './redis-key-tracking';
import type { SharedStore, SharedStoreClient } from './shared-store';

/** Options of {@link createRedisSessionRevocations}. */
export interface RedisSessionRevocationsOptions {
  store: SharedStore;
  /** Where revocations also go, and the only place looked at while Redis is down (default: a new in-memory store). */
  fallback?: SessionRevocations;
  /**
   * Serves the look-ups from memory while Redis reports every change to the revocation keys
   * (`trackRedisKeys(client, { prefix: revocationKeyPrefix(store) })`); default: every look-up asks Redis.
   */
  tracked?: TrackedKeys;
}

/** The prefix of every key the revocations write, e.g. to track them with `trackRedisKeys`. */
export function revocationKeyPrefix(store: Pick<SharedStore, 'keyPrefix'>): string {
  return `${store.keyPrefix}revoked-`;
}

// Keeps the later of two cut-offs in one step, whichever instance writes first.
const REVOKE_SUB_BEFORE = `
local current = tonumber(redis.call('GET', KEYS[1]))
local before = tonumber(ARGV[1])
if current and current > before then before = current end
redis.call('SET', KEYS[1], before, 'PX', ARGV[2])
return before`;

/**
 * {@link SessionRevocations} shared by every instance through Redis, and kept in this process's memory too:
 * while Redis is down, revocations still reach this instance, sessions keep being read, and logout
 * tokens are checked for replay within this process (the outage is logged once by the store). Each session
 * read costs at most one round trip to Redis, whichever of session, sid and sub it asks about; none with `tracked`.
 */
export function createRedisSessionRevocations({
  store,
  fallback = createMemorySessionRevocations(),
  tracked,
}: RedisSessionRevocationsOptions): SessionRevocations {
  const prefix = revocationKeyPrefix(store);
  const sessionKey = (sessionId: string) => `${prefix}session:${sessionId}`;
  const sidKey = (sid: string) => `${prefix}sid:${sid}`;
  const subKey = (sub: string) => `${prefix}sub:${sub}`;
  const jtiKey = (jti: string) => `${store.keyPrefix}logout-jti:${jti}`;
  const toMs = (ttlSeconds: number) => Math.max(1, Math.ceil(ttlSeconds * 1000));

  const keyOf = <T>(value: T | undefined, key: (value: T) => string) => (value === undefined ? undefined : key(value));

  return {
    async revokeSession(sessionId, ttlSeconds) {
      await fallback.revokeSession(sessionId, ttlSeconds);
      // Unlike the back-channel writes below (Logto does not retry a failed logout), a failure reaches the
      // caller: the sign-out logs that the other instances did not learn of it.
      await store.call((client) => client.set(sessionKey(sessionId), '1', 'PX', toMs(ttlSeconds)));
    },
    async revokeSid(sid, ttlSeconds) {
      await fallback.revokeSid(sid, ttlSeconds);
      await store.call((client) => client.set(sidKey(sid), '1', 'PX', toMs(ttlSeconds))).catch(ignore);
    },
    async revokeSubBefore(sub, epochSeconds, ttlSeconds) {
      await fallback.revokeSubBefore(sub, epochSeconds, ttlSeconds);
      await store
        .call((client) => client.eval(REVOKE_SUB_BEFORE, 1, subKey(sub), Math.floor(epochSeconds), toMs(ttlSeconds)))
        .catch(ignore);
    },
    async isRevoked(query) {
      if (await fallback.isRevoked(query)) return true;
      const { sessionId, sid, sub, authTime } = query;
      try {
        // Every session read asks this: one MGET, or one GET per key on a Redis Cluster, where the keys may live
        // in different hash slots (a cross-slot MGET fails there).
        const keys = [keyOf(sessionId, sessionKey), keyOf(sid, sidKey), keyOf(sub, subKey)];
        const given = keys.filter((key): key is string => key !== undefined);
        const fetch = (wanted: string[]) => store.call((client) => lookUp(client, wanted));
        const found = given.length === 0 ? [] : await (tracked ? tracked.read(given, fetch) : fetch(given));
        let next = 0;
        const [revokedSession, revokedSid, before] = keys.map((key) => (key === undefined ? null : (found[next++] ?? null)));
        if (revokedSession !== null || revokedSid !== null) return true;
        return before !== null && (authTime === undefined || authTime <= Number(before));
      } catch {
        return false; // Redis is down: the memory above is all this instance knows.
      }
    },
    async markJtiSeen(jti, ttlSeconds) {
      if (!(await fallback.markJtiSeen(jti, ttlSeconds))) return false;
      try {
        return (await store.call((client) => client.set(jtiKey(jti), '1', 'PX', toMs(ttlSeconds), 'NX'))) === 'OK';
      } catch {
        return true; // Redis is down: only this process can tell a replay.
      }
    },
  };
}

/** The values of `keys` (`null` for a key not set), in as few round trips as the client allows. */
function lookUp(client: SharedStoreClient, keys: string[]): Promise<(string | null)[]> {
  return client.isCluster ? Promise.all(keys.map((key) => client.get(key))) : client.mget(...keys);
}

// A failed write was logged by the store (once per outage) and is kept in memory; the caller carries on.
function ignore(): void {
  // Nothing to do: the store logged the failure.
}
