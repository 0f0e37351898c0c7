import { createRedisClient } from '@/lib/redis-client';

describe('createRedisClient', () => {
  it('returns no client when REDIS_URL is unset or empty, so one process keeps the flight in memory', () => {
    expect(createRedisClient(undefined)).toBeUndefined();
    expect(createRedisClient('')).toBeUndefined();
  });

  it('refuses a REDIS_URL that is not a redis:// or rediss:// URL, naming the fix and not the value', () => {
    for (const url of ['localhost:6379', 'http://redis.example.com', 'not a url']) {
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
});
