import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../free-port';

/** Debian's PostgreSQL 15 binaries (package postgresql-15). */
const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1, started and stopped by the project's scripts (npm run test:db, the
 * compat cell next14-db-postgres).
 */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** The URL of another database of this cluster, e.g. one made with `CREATE DATABASE`. */
  urlOf(database: string): string;
  /** Runs SQL as the superuser on a short-lived connection (to `database`, default `postgres`); resolves the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Ends the server like a crash (SIGKILL to its process group); {@link PostgresServer.start} brings it back with its data. */
  kill(): Promise<void>;
  /** Starts the server again after {@link PostgresServer.kill}, on the same port and data. */
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * `initdb` into a temp directory and `postgres` on a free port, as the `postgres` user when run as root (initdb
 * refuses root), else as the current user; no fsync (a killed server keeps what it committed: the OS still holds
 * the files): a test cluster. Throws with the install command when PostgreSQL 15 is missing.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (spawnSync(`${BIN}/postgres`, ['--version']).error || (asRoot && user.status !== 0)) {
    throw new Error(
      'PostgreSQL 15 is not installed: run `apt-get update && apt-get install -y postgresql` (Debian), then run the command again',
    );
  }
  const uid = asRoot ? Number(user.stdout.trim()) : process.getuid!();
  const gid = asRoot ? Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()) : process.getgid!();
  const dir = mkdtempSync(join(tmpdir(), 'postgres-test-'));
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const init = spawnSync(`${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    uid,
    gid,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr}`);
  const port = await findFreePort();
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const url = urlOf('postgres');
  let child: ChildProcess | undefined;
  // The server runs in its own process group (detached): end it when this process exits without stopping it.
  const killOnExit = () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  async function start() {
    child = await spawnPostgres({ data, dir, port, uid, gid });
  }

  async function kill() {
    const running = child;
    child = undefined;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    // The whole group: the postmaster and its backends, as a crash of the machine's database would end them.
    process.kill(-running.pid, 'SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    port,
    urlOf,
    async query<T>(sql: string, params: unknown[] = [], database = 'postgres') {
      const client = new Client({ connectionString: urlOf(database) });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    kill,
    start,
    async stop() {
      await kill();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function spawnPostgres({ data, dir, port, uid, gid }: { data: string; dir: string; port: number; uid: number; gid: number }) {
  const child = spawn(
    `${BIN}/postgres`,
    ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    { uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`postgres did not start within 15 s:\n${output}`)), 15_000);
    function fail(error: Error) {
      clearTimeout(timer);
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(error);
    }
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', listen);
    child.stderr!.on('data', listen);
    child.once('exit', (code) => fail(new Error(`postgres exited with ${code} on port ${port}:\n${output}`)));
  });
  child.removeAllListeners('exit');
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}
