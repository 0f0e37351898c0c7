import type Redis from 'ioredis';
import { trackRedisKeys, type TrackedKeys } from '@/lib/logto/store/redis-key-tracking';
import { createRedisSessionRevocations, revocationKeyPrefix } from '@/lib/logto/store/redis-session-revocations';
import type { SessionRevocations } from '@/lib/logto/logout/session-revocations';
import { createSharedStore } from '@/lib/logto/store/shared-store';
import { closeRedisClient, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { waitUntil } from '../helpers/wait-until';
import { useRedisPerFile } from './helpers/redis-per-file';

const MAX_AGE = 30 * 24 * 60 * 60;
const PREFIX = 'logto-next-auth:revoked-';

describe('trackRedisKeys', () => {
  const redis = useRedisPerFile();
  let admin: Redis;

  /** One app instance: its own Redis connection, tracked keys and revocations, and its warnings. */
  async function startInstance(server?: RedisServer, { keyPrefix }: { keyPrefix?: string } = {}) {
    const client = redis.connect(server);
    if (keyPrefix) client.options.keyPrefix = keyPrefix;
    const warnings: string[] = [];
    const logger = { warn: (code: string) => warnings.push(code) };
    const store = createSharedStore(client, { logger, commandTimeoutMs: 500, retryAfterMs: 200 });
    const tracked = trackRedisKeys(client, { prefix: revocationKeyPrefix(store), logger });
    const revocations: SessionRevocations = createRedisSessionRevocations({ store, tracked });
    return { client, tracked, revocations, warnings };
  }

  /** MGET commands Redis has run so far (INFO commandstats). */
  async function mgetCalls(server: Redis = admin): Promise<number> {
    const match = /cmdstat_mget:calls=(\d+)/.exec(await server.info('commandstats'));
    return Number(match?.[1] ?? 0);
  }

  const ready = (tracked: TrackedKeys) => waitUntil(() => tracked.active, 5000);

  beforeEach(() => {
    admin = redis.connect();
  });

  it('answers a repeated look-up of a session that is not revoked from memory, with no round trip to Redis', async () => {
    const b = await startInstance();
    await ready(b.tracked);
    const query = { sessionId: 'session-1', sid: 'sid-1', sub: 'user-1', authTime: 1_900_000_000 };

    await expect(b.revocations.isRevoked(query)).resolves.toBe(false);
    const after = await mgetCalls();
    for (let read = 0; read < 20; read += 1) await expect(b.revocations.isRevoked(query)).resolves.toBe(false);

    expect(after).toBe(1);
    await expect(mgetCalls()).resolves.toBe(1);
  });

  it('shows a sign-out at another instance to a look-up it had kept in memory, after one round trip', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    await Promise.all([ready(a.tracked), ready(b.tracked)]);
    await expect(b.revocations.isRevoked({ sessionId: 'session-1' })).resolves.toBe(false);

    await a.revocations.revokeSession('session-1', MAX_AGE);

    // Redis pushes the invalidation before it answers the write; here it travels on another socket of this process.
    await waitUntil(() => b.revocations.isRevoked({ sessionId: 'session-1' }), 1000);
    await expect(mgetCalls()).resolves.toBe(2);
    await expect(b.revocations.isRevoked({ sessionId: 'session-2' })).resolves.toBe(false);
  });

  it('shows a later sub cut-off written by another instance, and forgets every value on FLUSHALL', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    await Promise.all([ready(a.tracked), ready(b.tracked)]);
    await a.revocations.revokeSubBefore('user-1', 1_900_000_000, MAX_AGE);
    await expect(b.revocations.isRevoked({ sub: 'user-1', authTime: 1_900_000_100 })).resolves.toBe(false);

    await a.revocations.revokeSubBefore('user-1', 1_900_000_200, MAX_AGE);
    await waitUntil(() => b.revocations.isRevoked({ sub: 'user-1', authTime: 1_900_000_100 }), 1000);

    await admin.flushall();
    await waitUntil(async () => !(await b.revocations.isRevoked({ sub: 'user-1', authTime: 1_900_000_100 })), 1000);
  });

  it("tracks the keys as Redis holds them when the app's ioredis client has a keyPrefix of its own", async () => {
    const [a, b] = await Promise.all([startInstance(undefined, { keyPrefix: 'app:' }), startInstance(undefined, { keyPrefix: 'app:' })]);
    await Promise.all([ready(a.tracked), ready(b.tracked)]);
    await expect(b.revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(false);

    await a.revocations.revokeSid('sid-1', MAX_AGE);

    await expect(admin.exists(`app:${PREFIX}sid:sid-1`)).resolves.toBe(1);
    await waitUntil(() => b.revocations.isRevoked({ sid: 'sid-1' }), 1000);
  });

  it('does not keep an answer that a change overtook on its way back', async () => {
    const b = await startInstance();
    await ready(b.tracked);
    const key = `${PREFIX}session:session-1`;

    // The write lands, and its invalidation arrives, after Redis read the value and before the answer is kept.
    const stale = await b.tracked.read([key], async (keys) => {
      const values = await b.client.mget(...keys);
      await admin.set(key, '1', 'PX', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return values;
    });

    expect(stale).toEqual([null]);
    await expect(b.revocations.isRevoked({ sessionId: 'session-1' })).resolves.toBe(true);
  });

  it('asks Redis every time while its tracking connection is lost, and tracks again once it is back', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    await Promise.all([ready(a.tracked), ready(b.tracked)]);
    await b.revocations.isRevoked({ sessionId: 'session-1' });

    // Kills the tracking connections (pub/sub); the instances' own command connections stay up.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await waitUntil(() => !b.tracked.active, 1000);
    const before = await mgetCalls();
    await b.revocations.isRevoked({ sessionId: 'session-1' });
    await b.revocations.isRevoked({ sessionId: 'session-1' });
    // ioredis reconnects after 100 ms at the earliest (redis-client.ts retryStrategy); these reads take a few.
    expect((await mgetCalls()) - before).toBe(2);

    await ready(b.tracked);
    await b.revocations.isRevoked({ sessionId: 'session-1' });
    await a.revocations.revokeSession('session-1', MAX_AGE);
    await waitUntil(() => b.revocations.isRevoked({ sessionId: 'session-1' }), 1000);
  });

  it('warns once and asks Redis every time when Redis refuses CLIENT TRACKING, and leaves no timer behind once the app closes its client', async () => {
    const locked = await startRedisServer({ args: ['--rename-command', 'CLIENT', ''] });
    try {
      const lockedAdmin = redis.connect(locked);
      const b = await startInstance(locked);
      await waitUntil(() => b.warnings.includes('LOGTO_REDIS_TRACKING_UNAVAILABLE'), 5000);

      await b.revocations.isRevoked({ sessionId: 'session-1' });
      await b.revocations.isRevoked({ sessionId: 'session-1' });
      await lockedAdmin.set(`${PREFIX}session:session-1`, '1');

      await expect(b.revocations.isRevoked({ sessionId: 'session-1' })).resolves.toBe(true);
      await expect(mgetCalls(lockedAdmin)).resolves.toBe(3);
      expect(b.tracked.active).toBe(false);
      expect(b.warnings).toEqual(['LOGTO_REDIS_TRACKING_UNAVAILABLE']);

      // Closing the app's client leaves no timer behind (none holds the process open after it).
      const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
      const before = timers();
      await closeRedisClient(b.client);
      expect(timers()).toBeLessThanOrEqual(before);
    } finally {
      await Promise.all(redis.clients.filter((client) => client.options.port === locked.port).map(closeRedisClient));
      await locked.stop();
    }
  });

  it('leaves a client that cannot open a tracking connection (not ioredis, or a Cluster) untracked', async () => {
    const fetched: string[][] = [];
    const fetch = async (keys: string[]) => {
      fetched.push(keys);
      return keys.map(() => null);
    };
    const logger = { warn: () => undefined };

    for (const client of [{ get: () => null }, { isCluster: true, duplicate: () => ({}), once: () => undefined }]) {
      const tracked = trackRedisKeys(client, { prefix: PREFIX, logger });
      await tracked.read([`${PREFIX}sid:a`], fetch);
      await tracked.read([`${PREFIX}sid:a`], fetch);
      expect(tracked.active).toBe(false);
    }
    expect(fetched).toHaveLength(4);
  });
});
