import type { AuthLogger } from '../log/logger';
import { createTtlCache } from './ttl-cache';

/** How long a tracked value is served from memory at most, even with no invalidation (milliseconds). */
export const TRACKED_VALUE_MAX_AGE_MS = 10_000;
const MAX_TRACKED_KEYS = 10_000;
const INVALIDATION_CHANNEL = '__redis__:invalidate';

/** One Redis connection as ioredis exposes it: what tracking sends and listens to. */
export interface TrackingConnection {
  client(subcommand: 'ID'): Promise<number>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  on(event: 'messageBuffer', listener: (channel: Buffer, message: Buffer | Buffer[] | null) => void): unknown;
  on(event: 'ready' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  disconnect(): void;
}

/** An ioredis client that can open the tracking connection: `duplicate()` and its `'end'` event. */
export interface TrackableClient {
  readonly isCluster?: boolean;
  /** ioredis's own `keyPrefix`, which it puts before every key it sends (but not before CLIENT TRACKING's PREFIX). */
  readonly options?: { keyPrefix?: string };
  duplicate(options?: Record<string, unknown>): TrackingConnection;
  once(event: 'end', listener: () => void): unknown;
}

/** Redis values read through memory while Redis tells this process of every change to them. */
export interface TrackedKeys {
  /** Whether Redis is reporting changes right now, so values can come from memory. */
  readonly active: boolean;
  /** The values of `keys`, from memory when all are tracked there, else from `fetch` (and kept when safe). */
  read(keys: string[], fetch: (keys: string[]) => Promise<(string | null)[]>): Promise<(string | null)[]>;
}

/** Options of {@link trackRedisKeys}. */
export interface TrackRedisKeysOptions {
  /** Only keys under this prefix are tracked. */
  prefix: string;
  logger: Pick<AuthLogger, 'warn'>;
  maxAgeMs?: number;
}

/**
 * Redis client-side caching (CLIENT TRACKING in BCAST mode, Redis ≥ 6) for the keys under `prefix`: one extra
 * connection receives an invalidation whenever any instance writes, expires or flushes such a key, so values
 * read once are served from memory until then, and a session read costs no round trip. While that connection is
 * not confirmed (connecting, lost, or refused by an older or locked-down Redis) every read goes to Redis.
 * @see https://redis.io/docs/latest/develop/reference/client-side-caching/
 */
export function trackRedisKeys(client: unknown, { prefix, logger, maxAgeMs = TRACKED_VALUE_MAX_AGE_MS }: TrackRedisKeysOptions): TrackedKeys {
  const untracked: TrackedKeys = { active: false, read: (keys, fetch) => fetch(keys) };
  // A Cluster would need one tracking connection per node; a client without duplicate() is not ioredis.
  if (!isTrackable(client) || client.isCluster) return untracked;

  // With ioredis's keyPrefix the keys in Redis, and in its invalidations, start with it; the kit's keys do not.
  const redisPrefix = client.options?.keyPrefix ?? '';
  const values = createTtlCache<{ value: string | null }>({ maxEntries: MAX_TRACKED_KEYS });
  let tracking = false;
  // Bumped by every invalidation and every change of state: a read that started before one does not keep its answer,
  // which may predate the change (the reply and the invalidation come on different connections, in either order).
  let epoch = 0;
  let refused = false;
  // Bumped whenever the connection closes or comes back: a start of tracking from an earlier one is void.
  let generation = 0;

  function stopTracking() {
    generation += 1;
    tracking = false;
    epoch += 1;
    values.clear();
  }

  // RESP2 on purpose: Redis then sends invalidations as pub/sub messages, which every ioredis version emits
  // (ioredis 6 speaks RESP3 by default and drops RESP3 `invalidate` pushes). The queue covers the first connect.
  const connection = client.duplicate({ protocol: 2, autoResubscribe: false, enableOfflineQueue: true, lazyConnect: false });
  connection.on('error', () => undefined); // The kit's own client reports Redis outages (shared-store.ts).
  connection.on('close', stopTracking);
  connection.on('messageBuffer', (channel, message) => {
    if (channel.toString() !== INVALIDATION_CHANNEL) return;
    epoch += 1;
    // A null message is a FLUSHALL / FLUSHDB: everything goes.
    if (message === null) values.clear();
    else ([] as Buffer[]).concat(message).forEach((key) => values.delete(key.toString().slice(redisPrefix.length)));
  });
  connection.on('ready', () => {
    stopTracking();
    startTracking(generation).catch((error: unknown) => {
      // Only a refusal from Redis itself (an ioredis ReplyError) ends tracking; a lost connection retries on 'ready'.
      if (refused || !(error instanceof Error && error.name === 'ReplyError')) return;
      refused = true;
      logger.warn('LOGTO_REDIS_TRACKING_UNAVAILABLE', {
        message: 'Redis refused CLIENT TRACKING (it needs Redis 6 or later, with the CLIENT command allowed); every session read asks Redis',
        cause: error instanceof Error ? error.message : String(error),
      });
      connection.disconnect();
    });
  });
  // After a refusal the connection is closed already: closing it again leaves ioredis waiting its disconnectTimeout
  // (2 s) on the closed socket, which holds the process open that long after the app closed its client.
  client.once('end', () => {
    if (!refused) connection.disconnect();
  });

  async function startTracking(started: number) {
    const id = await connection.client('ID');
    // Redirected to this same connection, which then subscribes to the invalidation channel (RESP2).
    await connection.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id, 'BCAST', 'PREFIX', `${redisPrefix}${prefix}`);
    await connection.subscribe(INVALIDATION_CHANNEL);
    if (started !== generation) return;
    epoch += 1;
    tracking = true;
  }

  return {
    get active() {
      return tracking;
    },
    async read(keys, fetch) {
      if (!tracking || keys.some((key) => !key.startsWith(prefix))) return fetch(keys);
      const kept = keys.map((key) => values.get(key));
      if (kept.every(isKept)) return kept.map((entry) => entry.value);
      const startedAt = epoch;
      const fetched = await fetch(keys);
      if (tracking && epoch === startedAt) keys.forEach((key, i) => values.set(key, { value: fetched[i] ?? null }, maxAgeMs));
      return fetched;
    },
  };
}

function isKept(entry: { value: string | null } | undefined): entry is { value: string | null } {
  return entry !== undefined;
}

function isTrackable(client: unknown): client is TrackableClient {
  const candidate = client as Partial<TrackableClient> | null;
  return typeof candidate?.duplicate === 'function' && typeof candidate.once === 'function';
}
