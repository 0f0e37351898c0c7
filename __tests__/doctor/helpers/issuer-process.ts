import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// The e2e suite's launcher: it starts scripts/local-issuer (an ES module, which ts-jest's CommonJS cannot
// import) on a free port and prints one JSON line.
const START_ISSUER = join(__dirname, '..', '..', 'e2e', 'start-issuer.mjs');

/** The local issuer in its own process, with a throwaway data folder and the app's URIs registered. */
export interface IssuerProcess {
  /** Issuer identifier, e.g. `http://localhost:40123/oidc`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Stops the issuer and deletes its data folder. */
  stop: () => Promise<void>;
}

/** Starts the local issuer with `appUrl`'s callback and post sign-out URIs registered. */
export async function startIssuerProcess(appUrl: string): Promise<IssuerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'doctor-issuer-'));
  const child = spawn(process.execPath, [START_ISSUER], {
    env: { ...process.env, E2E_ISSUER_DATA_DIR: dataDir, NEXTAUTH_URL: appUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    const started = JSON.parse(await firstLine(child, () => stderr)) as Omit<IssuerProcess, 'stop'>;
    return { ...started, stop: () => stop(child, dataDir) };
  } catch (error) {
    await stop(child, dataDir);
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

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}
