import { setTimeout as sleep } from 'node:timers/promises';

/** Retries `assertion` every 100 ms until it stops throwing, and rethrows its last error after `timeoutMs`. */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(100);
    }
  }
}
