import type Redis from 'ioredis';
import { createRedisClient } from '@/lib/logto/store/redis-client';
import { closeRedisClient, startRedisServer, type RedisServer } from '../../helpers/redis-server';

/** A test file's redis-server, and the clients its current test opened. */
export interface RedisPerFile {
  /** The redis-server the file's tests talk to, empty at the start of each test. */
  readonly server: RedisServer;
  /** The clients {@link RedisPerFile.connect} opened in the current test. */
  readonly clients: readonly Redis[];
  /** A client made by the kit's `createRedisClient` on `server` (default: the file's), closed after the current test. */
  connect(server?: RedisServer): Redis;
}

/**
 * Starts one redis-server before the file's first test and stops it after the last; before each test it empties
 * the server and resets its command statistics, and after each it closes the clients that test opened.
 */
export function useRedisPerFile(): RedisPerFile {
  let server: RedisServer | undefined;
  let clients: Redis[] = [];
  const running = () => {
    if (!server) throw new Error('useRedisPerFile: the server runs only inside the tests and hooks of the file');
    return server;
  };
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    clients = [];
    const raw = createRedisClient(running().url)!;
    await raw.flushall();
    await raw.config('RESETSTAT');
    await closeRedisClient(raw);
  });
  afterEach(async () => {
    await Promise.all(clients.map(closeRedisClient));
  });
  return {
    get server() {
      return running();
    },
    get clients() {
      return clients;
    },
    connect(on = running()) {
      const client = createRedisClient(on.url)!;
      clients.push(client);
      return client;
    },
  };
}
