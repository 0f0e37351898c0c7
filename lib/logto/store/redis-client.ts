import Redis from 'ioredis';

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** A command without a reply after this many milliseconds fails (default 1000). */
  commandTimeoutMs?: number;
  /** Connection attempts give up after this many milliseconds (default 1000). */
  connectTimeoutMs?: number;
  /** Called with connection errors; ioredis reports each failed reconnect, the kit's store logs the outage once. */
  onError?: (error: Error) => void;
}

/**
 * An ioredis client for `url` (REDIS_URL), or undefined when it is unset or empty (one instance: the kit keeps
 * refreshes and revocations in memory). Fails fast while Redis is down, so requests fall back at once
 * instead of queueing: no offline queue, no retried commands, short timeouts, reconnects with backoff.
 */
export function createRedisClient(
  url: string | undefined,
  { commandTimeoutMs = 1000, connectTimeoutMs = 1000, onError = () => undefined }: RedisClientOptions = {},
): Redis | undefined {
  if (!url) return undefined;
  if (!isRedisUrl(url)) {
    // Not echoed: the URL may hold a password.
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://:password@localhost:6379/0; fix it or leave it empty for one instance');
  }
  const client = new Redis(url, {
    // Queue only the commands of the very first connect (a cold start); see the 'ready' listener below.
    enableOfflineQueue: true,
    // A command in flight when the connection drops fails instead of being sent again after a reconnect.
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // 100 ms, 200 ms, … then every 2 s, forever: the app picks Redis up again by itself when it returns.
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt - 1, 5), 2000),
  });
  // Once connected, commands sent while disconnected fail at once (the kit then falls back to memory)
  // rather than queueing until a reconnect and running late, e.g. taking a refresh lock nobody waits for.
  client.once('ready', () => {
    client.options.enableOfflineQueue = false;
  });
  // Without a listener, ioredis prints every failed reconnect as an unhandled 'error' event.
  client.on('error', onError);
  return client;
}

/**
 * Whether `url` is a REDIS_URL {@link createRedisClient} accepts: a redis:// or rediss:// URL. A Unix socket
 * path such as /tmp/redis.sock is not (ioredis would take one; the kit does not).
 */
export function isRedisUrl(url: string): boolean {
  try {
    return ['redis:', 'rediss:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
