import { createRedisClient, isRedisUrl } from '@/lib/logto/store/redis-client';

describe('createRedisClient', () => {
  it('returns no client when REDIS_URL is unset or empty, so one process keeps the flight in memory', () => {
    expect(createRedisClient(undefined)).toBeUndefined();
    expect(createRedisClient('')).toBeUndefined();
  });

  it('refuses a REDIS_URL that is not a redis:// or rediss:// URL, naming the fix and not the value', () => {
    for (const url of ['localhost:6379', 'http://redis.example.com', 'not a url', '/tmp/redis.sock']) {
      expect(() => createRedisClient(url)).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    }
    const message = (() => {
      try {
        createRedisClient('http://:hunter2@redis.example.com');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/REDIS_URL/);
    expect(message).not.toMatch(/hunter2/);
  });

  it('isRedisUrl (npm run doctor checks REDIS_URL with it) takes only redis:// and rediss:// URLs', () => {
    expect(isRedisUrl('redis://localhost:6379')).toBe(true);
    expect(isRedisUrl('rediss://:secret@redis.example.com:6380/1')).toBe(true);
    for (const url of ['localhost:6379', 'http://redis.example.com', 'not a url', '/tmp/redis.sock']) {
      expect(isRedisUrl(url)).toBe(false);
    }
  });
});
