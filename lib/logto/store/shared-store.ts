import type { AuthLogger } from '../log/logger';

/**
 * The Redis commands the kit sends, typed as ioredis declares them, so an ioredis `Redis` (or `Cluster`)
 * instance fits as is. The kit never imports a Redis library; the app creates the client and passes it in.
 */
export interface SharedStoreClient {
  /** `true` on an ioredis `Cluster`, where one command cannot read keys of different hash slots. */
  readonly isCluster?: boolean;
  get(key: string): Promise<string | null>;
  mget(...keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number): Promise<unknown>;
  /** Resolves `'OK'` when the key was set, `null` when it already existed. */
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number, nx: 'NX'): Promise<'OK' | null>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Rejection for every command while Redis is down, slow, or was found down moments ago. */
export class SharedStoreUnavailableError extends Error {
  override name = 'SharedStoreUnavailableError';
}

/** Redis as the kit's shared stores use it: commands with a deadline, and one warning per outage. */
export interface SharedStore {
  /** Prepended to every key the kit writes, so the app can share one Redis database with others. */
  readonly keyPrefix: string;
  /**
   * Sends `command` unless Redis was found down less than `retryAfterMs` ago; rejects with
   * {@link SharedStoreUnavailableError} when it fails or takes longer than `commandTimeoutMs`.
   */
  call<T>(command: (client: SharedStoreClient) => Promise<T>): Promise<T>;
}

/** Options of {@link createSharedStore}; every duration is in milliseconds. */
export interface SharedStoreOptions {
  logger: Pick<AuthLogger, 'warn'>;
  /** A command that takes longer than this counts as an outage (default 1000). */
  commandTimeoutMs?: number;
  /** After a failure, commands skip Redis for this long before one tries again (default 2000). */
  retryAfterMs?: number;
  /** Default `logto-next-auth:`. */
  keyPrefix?: string;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** Default deadline of one Redis command (milliseconds). */
export const SHARED_STORE_COMMAND_TIMEOUT_MS = 1000;

/**
 * Wraps a Redis client for the kit's shared stores. Its callers fall back to this process's memory when
 * a command rejects, so sessions keep working while Redis is down; the outage is logged once
 * (`LOGTO_SHARED_STORE_UNAVAILABLE`) and its end once (`LOGTO_SHARED_STORE_RECOVERED`).
 */
export function createSharedStore(
  client: SharedStoreClient,
  {
    logger,
    commandTimeoutMs = SHARED_STORE_COMMAND_TIMEOUT_MS,
    retryAfterMs = 2000,
    keyPrefix = 'logto-next-auth:',
    now = Date.now,
  }: SharedStoreOptions,
): SharedStore {
  let downSince: number | undefined;
  let lastFailureAt = 0;

  function fail(error: unknown): never {
    lastFailureAt = now();
    if (downSince === undefined) {
      downSince = lastFailureAt;
      logger.warn('LOGTO_SHARED_STORE_UNAVAILABLE', {
        message: 'Redis does not answer; refreshes and revocations are shared only within each process until it does',
        cause: error instanceof Error ? error.message : String(error),
      });
    }
    throw error instanceof SharedStoreUnavailableError
      ? error
      : new SharedStoreUnavailableError(`Redis command failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
  }

  return {
    keyPrefix,
    async call<T>(command: (client: SharedStoreClient) => Promise<T>): Promise<T> {
      // While Redis is down, skip it for a moment instead of making every request wait for a timeout.
      if (downSince !== undefined && now() - lastFailureAt < retryAfterMs) {
        throw new SharedStoreUnavailableError('Redis was unavailable moments ago; not retrying yet');
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          command(client),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new SharedStoreUnavailableError(`Redis did not answer within ${commandTimeoutMs} ms`)),
              commandTimeoutMs,
            );
          }),
        ]);
        if (downSince !== undefined) {
          logger.warn('LOGTO_SHARED_STORE_RECOVERED', { downForMs: now() - downSince });
          downSince = undefined;
        }
        return result;
      } catch (error) {
        return fail(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
