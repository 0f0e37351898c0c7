import { createRefreshSingleFlight, REFRESH_RESULT_TTL_MS } from '@/lib/logto/session/refresh-single-flight';

/** A task whose promise the test settles by hand, counting how often it ran. */
function deferredTask<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const task = jest.fn(() => result);
  return { task, resolve, reject };
}

describe('createRefreshSingleFlight', () => {
  let nowMs: number;
  const now = () => nowMs;

  beforeEach(() => {
    nowMs = 1_900_000_000_000;
  });

  it('runs one task for concurrent calls with the same refresh token and gives them all its result', async () => {
    const flight = createRefreshSingleFlight({ now });
    const { task, resolve } = deferredTask<string>();

    const results = Array.from({ length: 20 }, () => flight.run('refresh-token-1', task));
    resolve('refreshed');

    await expect(Promise.all(results)).resolves.toEqual(Array(20).fill('refreshed'));
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('runs a separate task per refresh token', async () => {
    const flight = createRefreshSingleFlight({ now });

    const results = await Promise.all([
      flight.run('refresh-token-1', async () => 'first'),
      flight.run('refresh-token-2', async () => 'second'),
    ]);

    expect(results).toEqual(['first', 'second']);
  });

  it('gives a straggler the finished result until the result is kept no longer', async () => {
    const flight = createRefreshSingleFlight({ now });
    await flight.run('refresh-token-1', async () => 'refreshed');
    const again = jest.fn(async () => 'refreshed again');

    nowMs += REFRESH_RESULT_TTL_MS - 1;
    await expect(flight.run('refresh-token-1', again)).resolves.toBe('refreshed');
    expect(again).not.toHaveBeenCalled();

    nowMs += 1;
    await expect(flight.run('refresh-token-1', again)).resolves.toBe('refreshed again');
    expect(again).toHaveBeenCalledTimes(1);
  });

  it('keeps a result for `keepMs` milliseconds when told', async () => {
    const flight = createRefreshSingleFlight({ now, keepMs: 1000 });
    await flight.run('refresh-token-1', async () => 'refreshed');
    const again = jest.fn(async () => 'refreshed again');

    nowMs += 999;
    await expect(flight.run('refresh-token-1', again)).resolves.toBe('refreshed');
    nowMs += 1;
    await expect(flight.run('refresh-token-1', again)).resolves.toBe('refreshed again');
  });

  it('shares a failure with the concurrent calls and with stragglers, running the task once', async () => {
    const flight = createRefreshSingleFlight({ now });
    const { task, reject } = deferredTask<string>();
    const failure = new Error('invalid_grant');

    const concurrent = Array.from({ length: 3 }, () => flight.run('refresh-token-1', task));
    reject(failure);

    for (const result of concurrent) await expect(result).rejects.toBe(failure);
    nowMs += REFRESH_RESULT_TTL_MS - 1;
    await expect(flight.run('refresh-token-1', task)).rejects.toBe(failure);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('keeps a run that is still under way, however long it takes', async () => {
    const flight = createRefreshSingleFlight({ now });
    const { task, resolve } = deferredTask<string>();
    const first = flight.run('refresh-token-1', task);

    nowMs += 10 * REFRESH_RESULT_TTL_MS;
    const late = flight.run('refresh-token-1', task);
    resolve('refreshed');

    await expect(Promise.all([first, late])).resolves.toEqual(['refreshed', 'refreshed']);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
