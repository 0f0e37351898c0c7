import { createHash } from 'node:crypto';

/** Runs one refresh per session tokens at a time; swap the in-process one for a shared store across instances. */
export interface RefreshSingleFlight {
  /** Runs `task` unless a run for `key` (the session's tokens) is under way or just finished: then shares its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** How long a finished refresh is kept for stragglers that still carry the old cookie (milliseconds). */
export const REFRESH_RESULT_TTL_MS = 30 * 1000;

/**
 * Single flight in this process, keyed by a hash of the session's tokens: Logto revokes the whole grant
 * when a rotated refresh token is used twice, so concurrent requests must share one refresh.
 */
export function createRefreshSingleFlight({
  keepMs = REFRESH_RESULT_TTL_MS,
  now = Date.now,
}: { keepMs?: number; now?: () => number } = {}): RefreshSingleFlight {
  const runs = new Map<string, { result: Promise<unknown>; settledAt?: number }>();

  function evictSettled() {
    for (const [key, entry] of Array.from(runs)) {
      if (entry.settledAt !== undefined && now() - entry.settledAt >= keepMs) runs.delete(key);
    }
  }

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      evictSettled();
      // Hashed: the map (or a shared store replacing it) never holds a usable token.
      const hashed = createHash('sha256').update(key).digest('base64url');
      const existing = runs.get(hashed);
      if (existing) return existing.result as Promise<T>;
      const entry: { result: Promise<T>; settledAt?: number } = { result: task() };
      const settle = () => {
        entry.settledAt = now();
      };
      entry.result.then(settle, settle);
      runs.set(hashed, entry);
      return entry.result;
    },
  };
}
