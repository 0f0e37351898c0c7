import { createSharedStore, SharedStoreUnavailableError, type SharedStoreClient } from '@/lib/logto/store/shared-store';

/**
 * A client whose GET answers as the test says: Redis itself runs in `npm run test:scale`; here the
 * store's own rules (deadline, pause after a failure, one warning per outage) are checked without it.
 */
function scriptedClient() {
  const client = {
    answer: (): Promise<string | null> => Promise.resolve('value'),
    get: jest.fn((): Promise<string | null> => client.answer()),
    mget: jest.fn(async (...keys: string[]) => keys.map(() => null)),
    set: jest.fn(async () => 'OK' as const),
    eval: jest.fn(async () => null),
  };
  return client;
}

describe('createSharedStore', () => {
  let nowMs: number;
  let warnings: string[];
  const now = () => nowMs;
  const logger = { warn: (code: string) => warnings.push(code) };

  beforeEach(() => {
    nowMs = 1_900_000_000_000;
    warnings = [];
  });

  it('passes a command through while Redis answers', async () => {
    const client = scriptedClient();
    const store = createSharedStore(client as SharedStoreClient, { logger, now });

    await expect(store.call((redis) => redis.get('key'))).resolves.toBe('value');
    expect(store.keyPrefix).toBe('logto-next-auth:');
    expect(warnings).toEqual([]);
  });

  it('rejects a command that fails, warns once, and skips Redis until retryAfterMs has passed', async () => {
    const client = scriptedClient();
    client.answer = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    const store = createSharedStore(client as SharedStoreClient, { logger, now, retryAfterMs: 2000 });

    await expect(store.call((redis) => redis.get('key'))).rejects.toThrow(SharedStoreUnavailableError);
    nowMs += 1999;
    await expect(store.call((redis) => redis.get('key'))).rejects.toThrow(/not retrying yet/);
    expect(client.get).toHaveBeenCalledTimes(1);
    nowMs += 1;
    await expect(store.call((redis) => redis.get('key'))).rejects.toThrow(/ECONNREFUSED/);
    expect(client.get).toHaveBeenCalledTimes(2);
    expect(warnings).toEqual(['LOGTO_SHARED_STORE_UNAVAILABLE']);
  });

  it('rejects a command without an answer after commandTimeoutMs', async () => {
    const client = scriptedClient();
    client.answer = () => new Promise(() => {});
    const store = createSharedStore(client as SharedStoreClient, { logger, now, commandTimeoutMs: 20 });

    await expect(store.call((redis) => redis.get('key'))).rejects.toThrow('Redis did not answer within 20 ms');
    expect(warnings).toEqual(['LOGTO_SHARED_STORE_UNAVAILABLE']);
  });

  it('logs the recovery once when Redis answers again, and a new outage with a new warning', async () => {
    const client = scriptedClient();
    const store = createSharedStore(client as SharedStoreClient, { logger, now, retryAfterMs: 10 });
    client.answer = () => Promise.reject(new Error('down'));
    await expect(store.call((redis) => redis.get('key'))).rejects.toThrow();

    nowMs += 10;
    client.answer = () => Promise.resolve('value');
    await store.call((redis) => redis.get('key'));
    await store.call((redis) => redis.get('key'));
    client.answer = () => Promise.reject(new Error('down again'));
    await expect(store.call((redis) => redis.get('key'))).rejects.toThrow();

    expect(warnings).toEqual([
      'LOGTO_SHARED_STORE_UNAVAILABLE',
      'LOGTO_SHARED_STORE_RECOVERED',
      'LOGTO_SHARED_STORE_UNAVAILABLE',
    ]);
  });
});
