import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../scripts/free-port';

/** A real `redis-server` on 127.0.0.1, with no persistence, for one test file. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Ends the server like a crash (SIGKILL); {@link RedisServer.start} brings it back on the same port. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and commands get no answer, like an overloaded Redis. */
  pause(): void;
  /** Unfreezes the server after {@link RedisServer.pause}. */
  resume(): void;
  /** Starts the server again after {@link RedisServer.kill}, empty. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` on a free port with a temp dir; throws with the install command when it is missing.
 * `args` go on its command line (e.g. `['--rename-command', 'CLIENT', '']` for a locked-down Redis).
 */
export async function startRedisServer({ args = [] }: { args?: string[] } = {}): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      'redis-server is not installed: run `apt-get update && apt-get install -y redis-server` (Debian), then npm run test:scale again',
    );
  }
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'redis-test-'));
  let child: ChildProcess | undefined;

  async function start() {
    child = await spawnRedis(port, dir, args);
  }

  async function kill() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGCONT');
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function spawnRedis(port: number, dir: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 5 s:\n${output}`)), 5000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code} on port ${port}:\n${output}`)));
  });
  child.removeAllListeners('exit');
  return child;
}

/** Disconnects an ioredis client and waits until its socket has closed, so jest exits promptly. */
export async function closeRedisClient(client: {
  status: string;
  disconnect(): void;
  once(event: 'end', listener: () => void): unknown;
}) {
  if (client.status === 'end') return;
  // Between reconnect attempts there is no socket to wait for: disconnect() only cancels the next attempt. ioredis
  // then still waits its disconnectTimeout (2 s) for the closed socket, so a test closes its clients while the
  // server is up.
  if (client.status === 'reconnecting') return client.disconnect();
  const ended = new Promise<void>((resolve) => client.once('end', resolve));
  client.disconnect();
  await ended;
}
