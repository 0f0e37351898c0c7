import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXPIRY_MARGIN_SECONDS } from '../../lib/logto/session/refresh-access-token';
import { ARTIFACTS_DIR, LOG_DIR, ROOT_DIR } from './helpers/artifacts';
import { isRunning, spawnInGroup } from './helpers/processes';
import { rememberRunningStack, stopRunningStack, type RunningStack } from './helpers/running-stack';
import { STACK_FILE_ENV, type E2eStack } from './helpers/stack';
import { findFreePort } from '../../scripts/free-port';

// Access tokens fall due (within the app's refresh margin) 5 s after they are issued: the refresh
// test waits only that long, and the other tests, done with a session well within 5 s, rarely
// meet a refresh — and when they do, it is transparent to the user, as it must be.
const ACCESS_TOKEN_TTL_SECONDS = EXPIRY_MARGIN_SECONDS + 5;

const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [ROOT_DIR] });
const START_ISSUER = join(__dirname, 'start-issuer.mjs');

/**
 * Builds the app (unless E2E_SKIP_BUILD=1 and a build exists), starts the local issuer and
 * `next start` on free ports, and writes an {@link E2eStack} file for the tests.
 */
export default async function globalSetup(): Promise<void> {
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
  await buildApp(join(LOG_DIR, 'build.log'));

  const running: RunningStack = { children: [], tempDir: mkdtempSync(join(tmpdir(), 'logto-e2e-')) };
  rememberRunningStack(running);
  try {
    const appPort = await findFreePort();
    const appUrl = `http://localhost:${appPort}`;
    const issuerDataDir = join(running.tempDir, 'issuer');

    const issuer = await startIssuer({ appUrl, dataDir: issuerDataDir, log: join(LOG_DIR, 'issuer.log') });
    running.children.push(issuer.child);

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
      stdio: ['ignore', ...logTo(join(LOG_DIR, 'app.log'))],
    });
    running.children.push(app);
    await waitUntilAnswering(`${appUrl}/api/auth/csrf`, app, join(LOG_DIR, 'app.log'));

    const stack: E2eStack = {
      appUrl,
      issuer: issuer.issuer,
      issuerUrl: issuer.url,
      issuerDataDir,
      nextAuthSecret,
      accessTokenTtl: ACCESS_TOKEN_TTL_SECONDS,
    };
    const stackFile = join(running.tempDir, 'stack.json');
    writeFileSync(stackFile, JSON.stringify(stack, null, 2));
    process.env[STACK_FILE_ENV] = stackFile;
    console.info(`\n[e2e] app ${appUrl} · issuer ${issuer.issuer} · access tokens live ${ACCESS_TOKEN_TTL_SECONDS} s`);
  } catch (error) {
    // jest skips globalTeardown when globalSetup throws.
    await stopRunningStack(running);
    throw error;
  }
}

/** `next build`, with a throwaway environment: the build imports the env module, which validates it. */
async function buildApp(logFile: string): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(ROOT_DIR, '.next', 'BUILD_ID'))) {
    console.info('\n[e2e] E2E_SKIP_BUILD=1: testing the existing .next build');
    return;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
    cwd: ROOT_DIR,
    env: appEnv({
      AUTH_LOGTO_ISSUER: 'https://build.invalid/oidc',
      AUTH_LOGTO_ID: 'e2e-build',
      AUTH_LOGTO_SECRET: 'e2e-build',
      NEXTAUTH_URL: 'http://localhost:3000',
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    }),
    stdio: ['ignore', ...logTo(logFile)],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${tail(logFile)}`);
  console.info(`\n[e2e] next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Starts scripts/local-issuer through start-issuer.mjs (an ES module, which jest's CommonJS cannot
 * import) and reads the JSON line it prints. Its stdin stays open: the issuer stops when it closes.
 */
async function startIssuer({ appUrl, dataDir, log }: { appUrl: string; dataDir: string; log: string }) {
  const child = spawnInGroup(process.execPath, [START_ISSUER], {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      ISSUER_TEST_DATA_DIR: dataDir,
      NEXTAUTH_URL: appUrl,
      LOCAL_ISSUER_ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_SECONDS),
    },
    stdio: ['pipe', 'pipe', logTo(log)[1]],
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`start-issuer.mjs exited (${code}):\n${tail(log)}`)));
    setTimeout(() => reject(new Error(`start-issuer.mjs printed nothing within 15 s:\n${tail(log)}`)), 15_000).unref();
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
function appEnv(values: Record<string, string>): NodeJS.ProcessEnv {
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
function logTo(file: string): [number, number] {
  const fd = openSync(file, 'a');
  // The child holds its own copy of the descriptor once spawned; this one can close soon after.
  setImmediate(() => closeSync(fd));
  return [fd, fd];
}

/** The last lines of a log file, for error messages. */
function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}
