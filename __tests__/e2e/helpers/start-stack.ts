import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../../scripts/free-port';
import { ROOT_DIR } from './artifacts';
import { isRunning, spawnInGroup } from './processes';
import type { E2eStack } from './stack';

const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [ROOT_DIR] });
const START_ISSUER = join(__dirname, '..', 'start-issuer.mjs');

/** What one stack is made of: the issuer's settings, and where its data and logs go. */
export interface StackOptions {
  /** The issuer's own LOCAL_ISSUER_* variables (scripts/local-issuer/env.mjs), over the inherited ones. */
  issuerEnv: Record<string, string>;
  /** Access-token lifetime in seconds, the one issuer setting the tests always read back. */
  accessTokenTtl: number;
  /** A throwaway folder for the issuer's keys, grants and users. */
  dataDir: string;
  /** Log files for the issuer and `next start` (stdout and stderr alike). */
  issuerLog: string;
  appLog: string;
}

/**
 * Starts the local issuer and `next start` (the existing build) on free ports, the app configured for that
 * issuer as `npm run dev` does. Pushes each process onto `children` as soon as it runs, so the caller can stop
 * them even when a later step fails.
 */
export async function startStack(options: StackOptions, children: ChildProcess[]): Promise<E2eStack> {
  const appPort = await findFreePort();
  const appUrl = `http://localhost:${appPort}`;

  const issuer = await startIssuer(appUrl, options);
  children.push(issuer.child);

  const nextAuthSecret = randomBytes(32).toString('base64url');
  const app = spawnInGroup(process.execPath, [NEXT_BIN, 'start', '-p', String(appPort)], {
    cwd: ROOT_DIR,
    env: appEnv({
      AUTH_LOGTO_ISSUER: issuer.issuer,
      AUTH_LOGTO_ID: issuer.clientId,
      AUTH_LOGTO_SECRET: issuer.clientSecret,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: nextAuthSecret,
      // As `npm run dev` configures the app for the local issuer (scripts/dev.mjs).
      AUTH_LOGTO_RESOURCES: issuer.apiResource,
      AUTH_LOGTO_SCOPES: issuer.scopes,
    }),
    stdio: ['ignore', ...logTo(options.appLog)],
  });
  children.push(app);
  await waitUntilAnswering(`${appUrl}/api/auth/csrf`, app, options.appLog);

  return {
    appUrl,
    issuer: issuer.issuer,
    issuerUrl: issuer.url,
    issuerDataDir: options.dataDir,
    nextAuthSecret,
    accessTokenTtl: options.accessTokenTtl,
  };
}

/**
 * Starts scripts/local-issuer through start-issuer.mjs (an ES module, which jest's CommonJS cannot
 * import) and reads the JSON line it prints. Its stdin stays open: the issuer stops when it closes.
 */
async function startIssuer(appUrl: string, { issuerEnv, accessTokenTtl, dataDir, issuerLog }: StackOptions) {
  const child = spawnInGroup(process.execPath, [START_ISSUER], {
    cwd: ROOT_DIR,
    env: {
      // Inherited LOCAL_ISSUER_* settings apply (e.g. LOCAL_ISSUER_LOGTO_VERSION=1.37) unless the stack sets its own.
      ...process.env,
      ...issuerEnv,
      ISSUER_TEST_DATA_DIR: dataDir,
      NEXTAUTH_URL: appUrl,
      LOCAL_ISSUER_ACCESS_TOKEN_TTL: String(accessTokenTtl),
    },
    stdio: ['pipe', 'pipe', logTo(issuerLog)[1]],
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`start-issuer.mjs exited (${code}):\n${tail(issuerLog)}`)));
    setTimeout(() => reject(new Error(`start-issuer.mjs printed nothing within 15 s:\n${tail(issuerLog)}`)), 15_000).unref();
  });
  try {
    const started = JSON.parse(await firstLine) as {
      issuer: string;
      url: string;
      clientId: string;
      clientSecret: string;
      apiResource: string;
      scopes: string;
    };
    return { child, ...started };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    lines.close();
  }
}

/** The app's environment: the caller's, minus any Logto or next-auth settings, plus `values`. */
export function appEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(AUTH_LOGTO_|NEXTAUTH_)/.test(name));
  // jest sets NODE_ENV=test; Next.js wants production for build and start.
  return { ...Object.fromEntries(inherited), ...values, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
}

/** Polls `url` until it answers 200; fails early when `child` exits, and after 30 s. */
async function waitUntilAnswering(url: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`next start exited (${child.exitCode}):\n${tail(log)}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => undefined,
    );
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within 30 s:\n${tail(log)}`);
}

/** Appends a child's output to `file` (stdout and stderr alike). */
export function logTo(file: string): [number, number] {
  const fd = openSync(file, 'a');
  // The child holds its own copy of the descriptor once spawned; this one can close soon after.
  setImmediate(() => closeSync(fd));
  return [fd, fd];
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}
