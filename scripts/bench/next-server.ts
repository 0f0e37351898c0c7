import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../free-port';

/** The repository root: where `next build` and `next start` run. */
export const ROOT = join(__dirname, '..', '..');
const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [ROOT] });
// What `next build` compiles: a production build older than any of these is stale.
const BUILD_INPUTS = ['pages', 'lib', 'types', 'instrumentation.ts', 'next.config.js', 'tsconfig.json', 'package-lock.json'];

/** A `next start` child process on 127.0.0.1. */
export interface NextServer {
  /** Where this server answers, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** CPU time the server process has used so far (user + system, all its threads), in milliseconds; Linux only. */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

/** Options of {@link startNextServer}. */
export interface NextServerOptions {
  /** The port to listen on (default: a free one). */
  port?: number;
  /** NEXTAUTH_URL of the server (default: its own URL); e.g. one load balancer's URL for several instances. */
  nextAuthUrl?: string;
  /** Arguments for node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
}

/**
 * Runs `next build` unless `.next` holds a production build newer than every source file (or `force`);
 * returns what it did. `env` is the whole environment of the build: .env files cannot change it.
 */
export async function ensureProductionBuild(env: NodeJS.ProcessEnv, force = false): Promise<'built' | 'reused'> {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  if (!force && existsSync(buildId) && statSync(buildId).mtimeMs > newestMtime(BUILD_INPUTS.map((p) => join(ROOT, p)))) {
    return 'reused';
  }
  const output: string[] = [];
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.join('')}`);
  return 'built';
}

/**
 * Starts `next start` on 127.0.0.1 (`options.port` or a free port) with exactly `env` plus NEXTAUTH_URL (see
 * {@link NextServerOptions}) and waits until it answers. The child is stopped by {@link NextServer.stop}, and on
 * exit or SIGINT/SIGTERM.
 */
export async function startNextServer(
  env: NodeJS.ProcessEnv,
  { port: fixedPort, nextAuthUrl, nodeArgs = [] }: NextServerOptions = {},
): Promise<NextServer> {
  const port = fixedPort ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...env, NEXTAUTH_URL: nextAuthUrl ?? url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  const killChild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killChild();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', killChild);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async () => {
    process.off('exit', killChild);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopChild(child);
  };
  try {
    await waitUntilReady(`${url}/api/auth/providers`, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output.join(''), cpuMs: () => processCpuMs(child.pid), stop };
}

/**
 * Starts several servers at once, as {@link startNextServer} each. If any fails to start, stops the ones
 * that did and rethrows the first failure, so that no `next start` is left running.
 */
export async function startNextServers(starts: (() => Promise<NextServer>)[]): Promise<NextServer[]> {
  const settled = await Promise.allSettled(starts.map((start) => start()));
  const failure = settled.find((result) => result.status === 'rejected');
  if (!failure) return settled.map((result) => (result as PromiseFulfilledResult<NextServer>).value);
  await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw failure.reason;
}

// Clock ticks per second of /proc/<pid>/stat: USER_HZ is 100 on every Linux architecture Node supports.
const USER_HZ = 100;

function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    // proc(5): the command may contain spaces, so fields are counted after its closing parenthesis;
    // utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

async function waitUntilReady(url: string, child: ChildProcess, output: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${output.join('')}`);
    }
    try {
      // A probe may not hang: something else on the port could accept and never answer.
      if ((await fetch(url, { signal: AbortSignal.timeout(5000) })).status === 200) return;
    } catch {
      // Not listening (or answering) yet.
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within ${timeoutMs} ms:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops `child` with SIGTERM, then SIGKILL after 5 s, and waits until it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      newest = Math.max(newest, newestMtime(readdirSync(path).map((entry) => join(path, entry))));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}
