/** The session a `jwt` callback asks about: its own key, and what its id_token said when the user signed in. */
export interface RevocationQuery {
  /** The app session's key: its random `sessionId`, or a stand-in for older cookies (revoke-app-session.ts). */
  sessionId?: string;
  /** The id_token's `sid` (Logto sends it when the app's "Is session required" is on). */
  sid?: string;
  /** The id_token's `sub`. */
  sub?: string;
  /**
   * When the user signed in, in epoch seconds (the id_token's `auth_time`, else its `iat`). Not next-auth's
   * JWT `iat`, which it renews on every session read. Unknown: any "sub revoked before" entry revokes the session.
   */
  authTime?: number;
}

/**
 * Where `signOut()` and the back-channel logout receiver record the sessions that ended, and where the `jwt`
 * callback looks, so every copy of an ended session's cookie reads as signed out.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCActions
 */
export interface SessionRevocations {
  /**
   * Ends the app session with this key (`signOut()`), remembered for `ttlSeconds` (the session's maxAge).
   * Rejects when the store could not record it; a shared store then still holds it in this process.
   */
  revokeSession(sessionId: string, ttlSeconds: number): Promise<void>;
  /** Ends every session with this `sid`, remembered for `ttlSeconds` (the session's maxAge). */
  revokeSid(sid: string, ttlSeconds: number): Promise<void>;
  /** Ends every session of `sub` signed in at or before `epochSeconds`; a later cut-off never moves back. */
  revokeSubBefore(sub: string, epochSeconds: number, ttlSeconds: number): Promise<void>;
  /** Whether a revocation above covers this session. */
  isRevoked(query: RevocationQuery): Promise<boolean>;
  /** Records a logout token's `jti`; resolves `true` the first time, `false` for a replay within `ttlSeconds`. */
  markJtiSeen(jti: string, ttlSeconds: number): Promise<boolean>;
}

/** Options of {@link createMemorySessionRevocations}. */
export interface MemorySessionRevocationsOptions {
  /** Most entries kept per kind (session, sid, sub, jti); past it the ones closest to expiry go first (default 100 000). */
  maxEntries?: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** Default bound on entries per kind in {@link createMemorySessionRevocations}. */
export const MAX_REVOCATION_ENTRIES = 100_000;

/**
 * {@link SessionRevocations} in this process's memory: enough for one instance; it never rejects. Entries expire after their
 * TTL; the map is bounded so a flood of logout tokens cannot exhaust memory.
 */
export function createMemorySessionRevocations({
  maxEntries = MAX_REVOCATION_ENTRIES,
  now = Date.now,
}: MemorySessionRevocationsOptions = {}): SessionRevocations {
  const sessions = createExpiringMap<true>(maxEntries, now);
  const sids = createExpiringMap<true>(maxEntries, now);
  const subs = createExpiringMap<number>(maxEntries, now);
  const jtis = createExpiringMap<true>(maxEntries, now);

  return {
    async revokeSession(sessionId, ttlSeconds) {
      sessions.set(sessionId, true, ttlSeconds);
    },
    async revokeSid(sid, ttlSeconds) {
      sids.set(sid, true, ttlSeconds);
    },
    async revokeSubBefore(sub, epochSeconds, ttlSeconds) {
      subs.set(sub, Math.max(epochSeconds, subs.get(sub) ?? -Infinity), ttlSeconds);
    },
    async isRevoked({ sessionId, sid, sub, authTime }) {
      if (sessionId !== undefined && sessions.get(sessionId)) return true;
      if (sid !== undefined && sids.get(sid)) return true;
      if (sub === undefined) return false;
      const before = subs.get(sub);
      return before !== undefined && (authTime === undefined || authTime <= before);
    },
    async markJtiSeen(jti, ttlSeconds) {
      if (jtis.get(jti)) return false;
      jtis.set(jti, true, ttlSeconds);
      return true;
    },
  };
}

/** A Map whose entries vanish after their TTL, holding at most `maxEntries`. */
function createExpiringMap<V>(maxEntries: number, now: () => number) {
  // Insertion order is not expiry order (TTLs differ), so eviction scans; it runs only when the map is full.
  const entries = new Map<string, { value: V; expiresAt: number }>();

  function evict() {
    const time = now();
    for (const [key, entry] of Array.from(entries)) if (entry.expiresAt <= time) entries.delete(key);
    if (entries.size < maxEntries) return;
    // Still full: drop the tenth closest to expiry, so the next inserts do not sort again.
    const soonest = Array.from(entries).sort(([, a], [, b]) => a.expiresAt - b.expiresAt);
    for (const [key] of soonest.slice(0, Math.ceil(maxEntries / 10))) entries.delete(key);
  }

  return {
    get(key: string): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: V, ttlSeconds: number) {
      entries.delete(key);
      if (entries.size >= maxEntries) evict();
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
  };
}
