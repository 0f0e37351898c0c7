import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureProductionBuild, stopChild } from '../../../scripts/bench/next-server';

const ROOT = join(__dirname, '..', '..', '..');
const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [ROOT] });

/** One `next start` process of the app: an instance behind the (imagined) load balancer. */
export interface AppInstance {
  /** Where this instance answers, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the instance printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `next build` into the app's `.next`, unless a build newer than every source is there already (`.ci/run`
 * builds before `npm run test:scale`). The build validates the environment: throwaway values, no secret.
 */
export async function buildAppOnce(): Promise<'built' | 'reused'> {
  return ensureProductionBuild(
    appEnv({
      AUTH_LOGTO_ISSUER: 'https://build.invalid/oidc',
      AUTH_LOGTO_ID: 'scale-build',
      AUTH_LOGTO_SECRET: 'scale-build',
      NEXTAUTH_URL: 'http://localhost:3000',
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    }),
  );
}

/**
 * Starts `next start` on 127.0.0.1:`port` with the app variables in `env` (every instance gets the same
 * NEXTAUTH_URL and NEXTAUTH_SECRET, as behind a load balancer) and waits until it answers.
 */
export async function startAppInstance(port: number, env: Record<string, string>): Promise<AppInstance> {
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: ROOT,
    env: appEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const instance = { url, output: () => output, stop: () => stopChild(child) };
  try {
    await waitUntilAnswering(`${url}/api/auth/providers`, child, () => output);
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return instance;
}

/** The instance's environment: the caller's minus any Logto, next-auth or Redis settings, plus `values`. */
function appEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(AUTH_LOGTO_|NEXTAUTH_|REDIS_URL$)/.test(name));
  // jest sets NODE_ENV=test; Next.js wants production for build and start.
  return { ...Object.fromEntries(inherited), ...values, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => undefined,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within 30 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

