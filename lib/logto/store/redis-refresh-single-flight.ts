import { randomUUID } from 'node:crypto';
import type { AuthLogger } from '../log/logger';
import { createRefreshSingleFlight, REFRESH_RESULT_TTL_MS, type RefreshSingleFlight } from '../session/refresh-single-flight';
import { createSharedStoreCipher } from './shared-store-cipher';
import { SharedStoreUnavailableError, type SharedStore } from './shared-store';

/** Options of {@link createRedisRefreshSingleFlight}; every duration is in milliseconds. */
export interface RedisRefreshSingleFlightOptions {
  store: SharedStore;
  /** NEXTAUTH_SECRET: the key that encrypts results in Redis is derived from it, so every instance needs the same. */
  secret: string;
  logger: AuthLogger;
  /**
   * How long a refresh holds its lock before another instance may take over (default 5000): longer than
   * openid-client's 3.5 s HTTP timeout, so a live holder has answered or failed by then.
   */
  lockMs?: number;
  /** How long a finished refresh, or its failure, is kept for waiters and stragglers (default 30 000). */
  keepMs?: number;
  /** First pause between two looks at a lock held elsewhere; doubles up to 250 (default 25). */
  pollMs?: number;
  /** A waiter gives up (the refresh fails) after this long (default `lockMs` + 2000). */
  maxWaitMs?: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** Default lock lifetime of a refresh in Redis (milliseconds). */
export const REFRESH_LOCK_MS = 5000;

const PENDING = 'pending.';
const MAX_POLL_MS = 250;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: SharedError };
type SharedError = { name: string; message: string; error?: string; error_description?: string };

/**
 * A {@link RefreshSingleFlight} across instances: one refresh per session tokens in the whole deployment.
 * Per key, one Redis entry holds first a lock (SET NX PX, expiring in case its holder dies), then the
 * holder's result or failure, AES-256-GCM encrypted, for `keepMs`; other instances poll it. A per-process
 * flight in front sends one lock attempt per key and process. When Redis fails, the refresh runs in this
 * process alone (see {@link createSharedStore}). Results must survive JSON (undefined properties are dropped).
 */
export function createRedisRefreshSingleFlight({
  store,
  secret,
  logger,
  lockMs = REFRESH_LOCK_MS,
  keepMs = REFRESH_RESULT_TTL_MS,
  pollMs = 25,
  maxWaitMs = lockMs + 2000,
  now = Date.now,
}: RedisRefreshSingleFlightOptions): RefreshSingleFlight {
  const cipher = createSharedStoreCipher(secret);
  const local = createRefreshSingleFlight({ keepMs, now });

  async function runAsHolder<T>(redisKey: string, task: () => Promise<T>): Promise<T> {
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await task() };
    } catch (error) {
      outcome = { ok: false, error: toSharedError(error) };
      await publish(redisKey, outcome);
      throw error;
    }
    await publish(redisKey, outcome);
    return outcome.value;
  }

  async function publish<T>(redisKey: string, outcome: Outcome<T>): Promise<void> {
    try {
      // Overwrites the lock: from now on everyone who looks finds the result.
      await store.call((client) => client.set(redisKey, cipher.seal(JSON.stringify(outcome), redisKey), 'PX', keepMs));
    } catch {
      // Logged by the store once per outage; waiters elsewhere take over when the lock expires.
    }
  }

  function readOutcome<T>(redisKey: string, sealed: string): T {
    let outcome: Outcome<T>;
    try {
      outcome = JSON.parse(cipher.open(sealed, redisKey)) as Outcome<T>;
    } catch (error) {
      logger.error('LOGTO_SHARED_STORE_DECRYPT', error);
      throw error;
    }
    if (outcome.ok) return outcome.value;
    throw Object.assign(new Error(outcome.error.message), outcome.error);
  }

  async function runShared<T>(key: string, task: () => Promise<T>): Promise<T> {
    const redisKey = `${store.keyPrefix}refresh:${cipher.hashKey(key)}`;
    const lock = `${PENDING}${randomUUID()}`;
    const deadline = now() + maxWaitMs;
    let pause = pollMs;
    for (;;) {
      let value: string | null;
      try {
        const acquired = await store.call((client) => client.set(redisKey, lock, 'PX', lockMs, 'NX'));
        if (acquired === 'OK') return runAsHolder(redisKey, task);
        value = await store.call((client) => client.get(redisKey));
      } catch (error) {
        if (!(error instanceof SharedStoreUnavailableError)) throw error;
        // Redis is down or slow: the per-process flight in front keeps this process to one refresh.
        return task();
      }
      if (value === null) continue; // The lock expired between SET and GET: try to take it.
      if (!value.startsWith(PENDING)) return readOutcome<T>(redisKey, value);
      if (now() >= deadline) {
        throw new Error(`Another instance held the refresh of this session for over ${maxWaitMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      return local.run(key, () => runShared(key, task));
    },
  };
}

/** What a waiter learns of the holder's failure: the message and, for an OAuth error, its code. */
function toSharedError(error: unknown): SharedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { error: code, error_description: description } = error as { error?: unknown; error_description?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { error: code } : {}),
    ...(typeof description === 'string' ? { error_description: description } : {}),
  };
}
