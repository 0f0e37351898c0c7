import { trackRedisKeys } from '@/lib/logto/store/redis-key-tracking';
import { createRedisSessionRevocations, revocationKeyPrefix } from '@/lib/logto/store/redis-session-revocations';
import type { SessionRevocations } from '@/lib/logto/logout/session-revocations';
import { createSharedStore } from '@/lib/logto/store/shared-store';
import { waitUntil } from '../helpers/wait-until';
import { useRedisPerFile } from './helpers/redis-per-file';

// A session's maxAge in seconds (next-auth's default, 30 days): how long a revocation is remembered.
const MAX_AGE = 30 * 24 * 60 * 60;
// When the user signed in and when Logto ended their sessions, in epoch seconds.
const SIGNED_IN_AT = 1_900_000_000;
const LOGGED_OUT_AT = SIGNED_IN_AT + 600;

// Each behaviour holds whether look-ups go to Redis every time or are served from memory between invalidations.
describe.each([
  ['createRedisSessionRevocations', false],
  ['createRedisSessionRevocations with tracked keys', true],
])('%s', (_name, tracked) => {
  const redis = useRedisPerFile();

  /** One app instance: its own Redis connection, store and log. */
  async function startInstance(): Promise<{ revocations: SessionRevocations; warnings: string[] }> {
    const client = redis.connect();
    const warnings: string[] = [];
    const logger = { warn: (code: string) => warnings.push(code) };
    const store = createSharedStore(client, { logger, commandTimeoutMs: 500, retryAfterMs: 200 });
    if (!tracked) return { revocations: createRedisSessionRevocations({ store }), warnings };
    const keys = trackRedisKeys(client, { prefix: revocationKeyPrefix(store), logger });
    await waitUntil(() => keys.active);
    return { revocations: createRedisSessionRevocations({ store, tracked: keys }), warnings };
  }

  it('shows a signed-out session to the other instance in its one lookup, and only that session', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);

    await a.revocations.revokeSession('session-1', MAX_AGE);

    await expect(b.revocations.isRevoked({ sessionId: 'session-1', sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(b.revocations.isRevoked({ sessionId: 'session-2', sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);
  });

  it('rejects a sign-out while Redis is down, and keeps it in the instance that took it', async () => {
    const a = await startInstance();
    await a.revocations.isRevoked({ sid: 'warm-up' });
    await redis.server.kill();
    try {
      await expect(a.revocations.revokeSession('session-1', MAX_AGE)).rejects.toThrow(/Redis/);
      await expect(a.revocations.isRevoked({ sessionId: 'session-1' })).resolves.toBe(true);
    } finally {
      await redis.server.start();
      await waitUntil(() => redis.clients.every((client) => client.status === 'ready'), 10_000);
    }
  });

  it('shows a revoked sid to the other instance, and only for that sid', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);

    await a.revocations.revokeSid('sid-1', MAX_AGE);

    await expect(b.revocations.isRevoked({ sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(b.revocations.isRevoked({ sid: 'sid-2', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);
  });

  it('ends the sessions of a sub signed in at or before the cut-off on the other instance, and not later ones', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);

    await a.revocations.revokeSubBefore('user-1', LOGGED_OUT_AT, MAX_AGE);

    await expect(b.revocations.isRevoked({ sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(b.revocations.isRevoked({ sub: 'user-1', authTime: LOGGED_OUT_AT })).resolves.toBe(true);
    await expect(b.revocations.isRevoked({ sub: 'user-1', authTime: LOGGED_OUT_AT + 1 })).resolves.toBe(false);
    await expect(b.revocations.isRevoked({ sub: 'user-1' })).resolves.toBe(true);
    await expect(b.revocations.isRevoked({ sub: 'user-2', authTime: SIGNED_IN_AT })).resolves.toBe(false);
  });

  it('never moves a sub cut-off back when an older logout arrives later at another instance', async () => {
    const [a, b, c] = await Promise.all([startInstance(), startInstance(), startInstance()]);

    await a.revocations.revokeSubBefore('user-1', LOGGED_OUT_AT, MAX_AGE);
    await b.revocations.revokeSubBefore('user-1', SIGNED_IN_AT - 1, MAX_AGE);

    await expect(c.revocations.isRevoked({ sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
  });

  it('forgets a revocation after its TTL', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);

    await a.revocations.revokeSid('sid-1', 0.2);
    await expect(b.revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(true);

    // Throws if the other instance still sees the revocation 2 s after its 200 ms TTL.
    await waitUntil(async () => !(await b.revocations.isRevoked({ sid: 'sid-1' })), 2000);
  });

  it('detects a logout token replayed to the other instance', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);

    await expect(a.revocations.markJtiSeen('jti-1', 300)).resolves.toBe(true);
    await expect(b.revocations.markJtiSeen('jti-1', 300)).resolves.toBe(false);
    await expect(a.revocations.markJtiSeen('jti-1', 300)).resolves.toBe(false);
    await expect(b.revocations.markJtiSeen('jti-2', 300)).resolves.toBe(true);
  });

  it('keeps revoking and detecting replays within the instance while Redis is down, logging one warning', async () => {
    const a = await startInstance();
    await a.revocations.isRevoked({ sid: 'warm-up' });
    await redis.server.kill();
    try {
      await a.revocations.revokeSid('sid-1', MAX_AGE);
      await a.revocations.revokeSubBefore('user-2', LOGGED_OUT_AT, MAX_AGE);

      await expect(a.revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(true);
      await expect(a.revocations.isRevoked({ sub: 'user-2', authTime: SIGNED_IN_AT })).resolves.toBe(true);
      await expect(a.revocations.isRevoked({ sid: 'sid-2', sub: 'user-1' })).resolves.toBe(false);
      await expect(a.revocations.markJtiSeen('jti-1', 300)).resolves.toBe(true);
      await expect(a.revocations.markJtiSeen('jti-1', 300)).resolves.toBe(false);
      expect(a.warnings).toEqual(['LOGTO_SHARED_STORE_UNAVAILABLE']);
    } finally {
      await redis.server.start();
      // Reconnected, so the next test starts with Redis answering and afterEach closes a live socket.
      await waitUntil(() => redis.clients.every((client) => client.status === 'ready'), 10_000);
    }
  });
});
