import { createRedisSessionRevocations } from '@/lib/logto/store/redis-session-revocations';
import { createSharedStore, type SharedStoreClient } from '@/lib/logto/store/shared-store';

// When the user signed in and when Logto ended their sessions, in epoch seconds.
const SIGNED_IN_AT = 1_900_000_000;
const LOGGED_OUT_AT = SIGNED_IN_AT + 600;

/**
 * A Redis stand-in holding `values`, recording the commands each call sends; `failWrites` makes SET fail as a
 * dropped connection does. (What one session read costs in round trips is what this counts; the behaviour
 * against a real redis-server is in __tests__/scale.)
 */
function fakeRedis(values: Record<string, string>, { isCluster, failWrites = false }: { isCluster: boolean; failWrites?: boolean }) {
  const commands: string[][] = [];
  const client = {
    isCluster,
    async set(key: string, value: string, ...options: (string | number)[]) {
      commands.push(['SET', key, value, ...options.map(String)]);
      if (failWrites) throw new Error('Connection is closed.');
      values[key] = value;
      return 'OK';
    },
    async get(key: string) {
      commands.push(['GET', key]);
      return values[key] ?? null;
    },
    async mget(...keys: string[]) {
      commands.push(['MGET', ...keys]);
      return keys.map((key) => values[key] ?? null);
    },
  } as unknown as SharedStoreClient;
  const revocations = createRedisSessionRevocations({ store: createSharedStore(client, { logger: { warn: () => {} } }) });
  return { revocations, commands };
}

const REVOKED = {
  'logto-next-auth:revoked-session:session-1': '1',
  'logto-next-auth:revoked-sid:sid-1': '1',
  'logto-next-auth:revoked-sub:user-2': String(LOGGED_OUT_AT),
};

describe('createRedisSessionRevocations', () => {
  it('asks a standalone Redis about the sid and the sub in one MGET per session read', async () => {
    const { revocations, commands } = fakeRedis(REVOKED, { isCluster: false });

    await expect(revocations.isRevoked({ sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'sid-9', sub: 'user-2', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'sid-9', sub: 'user-2', authTime: LOGGED_OUT_AT + 1 })).resolves.toBe(false);
    await expect(revocations.isRevoked({ sid: 'sid-9', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);

    expect(commands).toEqual([
      ['MGET', 'logto-next-auth:revoked-sid:sid-1', 'logto-next-auth:revoked-sub:user-1'],
      ['MGET', 'logto-next-auth:revoked-sid:sid-9', 'logto-next-auth:revoked-sub:user-2'],
      ['MGET', 'logto-next-auth:revoked-sid:sid-9', 'logto-next-auth:revoked-sub:user-2'],
      ['MGET', 'logto-next-auth:revoked-sid:sid-9', 'logto-next-auth:revoked-sub:user-1'],
    ]);
  });

  it('asks about the signed-out session key in the same MGET: still one round trip per session read', async () => {
    const { revocations, commands } = fakeRedis(REVOKED, { isCluster: false });

    await expect(revocations.isRevoked({ sessionId: 'session-1', sid: 'sid-9', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sessionId: 'session-2', sid: 'sid-9', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);

    expect(commands).toEqual([
      ['MGET', 'logto-next-auth:revoked-session:session-1', 'logto-next-auth:revoked-sid:sid-9', 'logto-next-auth:revoked-sub:user-1'],
      ['MGET', 'logto-next-auth:revoked-session:session-2', 'logto-next-auth:revoked-sid:sid-9', 'logto-next-auth:revoked-sub:user-1'],
    ]);
  });

  it('writes a signed-out session with the TTL given, for every instance to read', async () => {
    const values: Record<string, string> = {};
    const { revocations, commands } = fakeRedis(values, { isCluster: false });

    await revocations.revokeSession('session-3', 2_592_000);

    expect(commands).toEqual([['SET', 'logto-next-auth:revoked-session:session-3', '1', 'PX', '2592000000']]);
  });

  it('rejects a signed-out session Redis could not take, and still ends it in this process', async () => {
    const { revocations, commands } = fakeRedis({}, { isCluster: false, failWrites: true });

    await expect(revocations.revokeSession('session-3', 3600)).rejects.toThrow(/Redis command failed: Connection is closed/);

    await expect(revocations.isRevoked({ sessionId: 'session-3' })).resolves.toBe(true);
    // Answered from this process's memory, without a round trip to Redis.
    expect(commands.map(([command]) => command)).toEqual(['SET']);
  });

  it('reads only the keys a session has: a session without sid asks about its sub alone', async () => {
    const { revocations, commands } = fakeRedis(REVOKED, { isCluster: false });

    await expect(revocations.isRevoked({ sub: 'user-2', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(true);
    await expect(revocations.isRevoked({})).resolves.toBe(false);

    expect(commands).toEqual([
      ['MGET', 'logto-next-auth:revoked-sub:user-2'],
      ['MGET', 'logto-next-auth:revoked-sid:sid-1'],
    ]);
  });

  it('sends one GET per key on a Redis Cluster, where the two keys may sit in different hash slots', async () => {
    const { revocations, commands } = fakeRedis(REVOKED, { isCluster: true });

    await expect(revocations.isRevoked({ sid: 'sid-9', sub: 'user-2', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'sid-9', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);

    await expect(revocations.isRevoked({ sessionId: 'session-1', sid: 'sid-9', sub: 'user-1' })).resolves.toBe(true);

    expect(commands.map(([command]) => command)).toEqual(['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET']);
    expect(commands).toContainEqual(['GET', 'logto-next-auth:revoked-sub:user-2']);
  });
});
