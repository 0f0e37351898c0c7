import { createRedisClient } from '@/lib/redis-client';

describe('createRedisClient', () => {
  it('returns no client when REDIS_URL is unset or empty, so one process keeps the flight in memory', () => {
    expect(createRedisClient(undefined)).toBeUndefined();
    expect(createRedisClient('')).toBeUndefined();
  });
});
