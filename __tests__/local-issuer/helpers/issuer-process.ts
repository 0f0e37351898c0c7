import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// Shared with the browser tests' global-setup.ts.
const START_ISSUER = join(__dirname, '..', '..', 'e2e', 'start-issuer.mjs');

/** A Logto release the local issuer can behave like (scripts/local-issuer/logto-version.mjs). */
export type LogtoVersion = '1.37' | '1.42';

declare global {
  // Set per jest project in jest.issuer.config.ts (`globals`), so one run covers both versions.
  var LOCAL_ISSUER_LOGTO_VERSION: LogtoVersion | undefined;
}

/**
 * The Logto version this test run's issuers behave like: the jest project's (jest.issuer.config.ts), else
 * `LOCAL_ISSUER_LOGTO_VERSION` from the environment, else the issuer's default, 1.42.
 */
export const LOGTO_VERSION: LogtoVersion = (() => {
  const version = globalThis.LOCAL_ISSUER_LOGTO_VERSION ?? (process.env.LOCAL_ISSUER_LOGTO_VERSION || '1.42');
  if (version !== '1.37' && version !== '1.42') {
    throw new Error(`LOCAL_ISSUER_LOGTO_VERSION must be 1.37 or 1.42, got "${version}"`);
  }
  return version;
})();

/** A local issuer running in its own process, with a throwaway data folder. */
export interface IssuerProcess {
  /** Issuer identifier, e.g. `http://localhost:40123/oidc`. */
  issuer: string;
  /** Origin the issuer serves on (sign-in pages, admin endpoints). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The registered API resource indicator. */
  apiResource: string;
  /** The scopes an app asks this tenant for (AUTH_LOGTO_SCOPES), space-separated. */
  scopes: string;
  /** The Logto release the issuer behaves like. */
  logtoVersion: LogtoVersion;
  /** Everything the issuer logged so far (stderr). */
  log: () => string;
  /** Stops the issuer and deletes its data folder. */
  stop: () => Promise<void>;
}

/**
 * Starts scripts/local-issuer through __tests__/e2e/start-issuer.mjs on a free port, behaving like
 * {@link LOGTO_VERSION} unless `env` says otherwise. `appUrl` is the app whose callback, post sign-out and
 * back-channel logout URIs get registered; `env` sets LOCAL_ISSUER_*. Without `dataDir` the issuer gets a
 * throwaway data folder that `stop()` deletes; a given `dataDir` (e.g. to restart an issuer) is left in place.
 */
export async function startIssuerProcess(
  appUrl: string,
  env: Record<string, string> = {},
  { dataDir }: { dataDir?: string } = {},
): Promise<IssuerProcess> {
  const folder = dataDir ?? mkdtempSync(join(tmpdir(), 'local-issuer-test-'));
  const removeOnStop = dataDir === undefined;
  const child = spawn(process.execPath, [START_ISSUER], {
    env: {
      ...process.env,
      LOCAL_ISSUER_LOGTO_VERSION: LOGTO_VERSION,
      ...env,
      ISSUER_TEST_DATA_DIR: folder,
      NEXTAUTH_URL: appUrl,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  try {
    const line = await firstLine(child, () => stderr);
    const started = JSON.parse(line) as Omit<IssuerProcess, 'log' | 'stop'>;
    return { ...started, log: () => stderr, stop: () => stop(child, removeOnStop ? folder : undefined) };
  } catch (error) {
    await stop(child, removeOnStop ? folder : undefined);
    throw error;
  }
}

function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the issuer printed nothing within 15 s:\n${stderr()}`)), 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the issuer exited (${code}):\n${stderr()}`));
    });
  });
}

async function stop(child: ChildProcess, dataDir: string | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}
