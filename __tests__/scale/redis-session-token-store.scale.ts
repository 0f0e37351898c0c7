import type { JWT } from 'next-auth/jwt';
import { createAuthLogger } from '@/lib/logto/log/logger';
import { createSessionJwt } from '@/lib/logto/next-auth/session-jwt';
import { keepTokensOnServer } from '@/lib/logto/session/server-side-tokens';
import { createRedisSessionTokenStore, type SessionTokenStore } from '@/lib/logto/store/session-token-store';
import { createSharedStore } from '@/lib/logto/store/shared-store';
import { waitUntil } from '../helpers/wait-until';
import { useRedisPerFile } from './helpers/redis-per-file';

const SECRET = 'scale-test-secret-scale-test-secret-0123';
const TOKENS = { accessToken: 'opaque-access-token', refreshToken: 'refresh-token-1', idToken: 'header.payload-with-500-organizations.signature' };

// tokenStorage: 'server' with Redis: two instances share a session's tokens through a real redis-server.
describe('createRedisSessionTokenStore', () => {
  const redis = useRedisPerFile();

  /** One app instance: its own Redis connection, token store, cookie codec and log. */
  function startInstance(): { tokenStore: SessionTokenStore; codec: ReturnType<typeof keepTokensOnServer>; logs: string[] } {
    const client = redis.connect();
    const logs: string[] = [];
    const logger = createAuthLogger({ error: (line) => logs.push(line), warn: (line) => logs.push(line) });
    const store = createSharedStore(client, { logger, commandTimeoutMs: 500, retryAfterMs: 200 });
    const tokenStore = createRedisSessionTokenStore({ store, secret: SECRET });
    return { tokenStore, codec: keepTokensOnServer(createSessionJwt(), tokenStore, logger), logs };
  }

  it('lets another instance open a cookie written by the first: the tokens come from Redis, not the cookie', async () => {
    const [a, b] = [startInstance(), startInstance()];
    const cookie = await a.codec.encode!({ token: { sub: 'user-1', sessionId: 'session-1', ...TOKENS }, secret: SECRET, maxAge: 3600 });
    const token = await b.codec.decode!({ token: cookie, secret: SECRET });
    expect(token).toMatchObject({ sub: 'user-1', sessionId: 'session-1', tokensStored: true, ...TOKENS });
    const raw = await createSessionJwt().decode!({ token: cookie, secret: SECRET });
    expect(raw).not.toHaveProperty('idToken');
  });

  it('stores the tokens sealed under a hashed key, with the session lifetime as TTL', async () => {
    const { tokenStore } = startInstance();
    await tokenStore.set('session-1', TOKENS, 3600);
    const inspect = redis.connect();
    const keys = await inspect.keys('*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^logto-next-auth:session-tokens:[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toContain('session-1');
    const value = await inspect.get(keys[0]);
    expect(value).not.toContain('refresh-token-1');
    const ttl = await inspect.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('forgets the tokens on delete: the cookie then reads as a session that must sign in again', async () => {
    const [a, b] = [startInstance(), startInstance()];
    const cookie = await a.codec.encode!({ token: { sub: 'user-1', sessionId: 'session-1', ...TOKENS }, secret: SECRET, maxAge: 3600 });
    await a.tokenStore.delete('session-1');
    const token = (await b.codec.decode!({ token: cookie, secret: SECRET })) as JWT;
    expect(token.error).toBe('RefreshAccessTokenError');
    expect(token).not.toHaveProperty('refreshToken');
  });

  it('keeps tokens in the cookie while Redis is down, reads stored sessions as tokensUnavailable, logging the outage once, and stores in Redis again once it is back', async () => {
    const a = startInstance();
    const stored = await a.codec.encode!({ token: { sub: 'user-1', sessionId: 'session-1', ...TOKENS }, secret: SECRET, maxAge: 3600 });
    await redis.server.kill();
    try {
      const written = await a.codec.encode!({ token: { sub: 'user-2', sessionId: 'session-2', ...TOKENS }, secret: SECRET, maxAge: 3600 });
      expect(await createSessionJwt().decode!({ token: written, secret: SECRET })).toMatchObject(TOKENS);
      const read = (await a.codec.decode!({ token: stored, secret: SECRET })) as JWT;
      expect(read).toMatchObject({ sub: 'user-1', tokensUnavailable: true });
      expect(read).not.toHaveProperty('refreshToken');
      expect(a.logs.filter((line) => line.includes('LOGTO_TOKEN_STORE_UNAVAILABLE'))).toHaveLength(1);
    } finally {
      await redis.server.start();
    }

    // ioredis reconnects by itself (createRedisClient's retry strategy): new cookies hold no tokens again, and
    // read back with them from Redis (the restarted server is empty).
    let written = '';
    await waitUntil(async () => {
      written = await a.codec.encode!({ token: { sub: 'user-3', sessionId: 'session-3', ...TOKENS }, secret: SECRET, maxAge: 3600 });
      return !('refreshToken' in ((await createSessionJwt().decode!({ token: written, secret: SECRET })) ?? {}));
    }, 5000);
    expect(await a.codec.decode!({ token: written, secret: SECRET })).toMatchObject({ sub: 'user-3', ...TOKENS });
  });
});
