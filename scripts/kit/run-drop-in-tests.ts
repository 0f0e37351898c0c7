import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeJest } from '../compat/failure-reason';
import { KitCliError } from './kit-cli-error';

/** How the drop-in suite went in the app: jest's exit code and its `Tests:` summary. */
export interface DropInResult {
  code: number;
  summary?: string;
}

/** Options of {@link runDropInTests}. */
export interface DropInOptions {
  appDir: string;
  /** The suite's jest config, relative to the app's root. */
  jestConfig: string;
  /** Receives jest's output as it comes. */
  write: (text: string) => void;
}

/**
 * Runs the drop-in suite in the app with the app's own jest, against its route and `authOptions`. The suite
 * brings its own test issuer and environment, so none of this process's AUTH_*, NEXTAUTH_* or NODE_OPTIONS reach it.
 */
export async function runDropInTests(options: DropInOptions): Promise<DropInResult> {
  const { appDir, jestConfig } = options;
  if (!existsSync(join(appDir, jestConfig))) {
    throw new KitCliError(`${join(appDir, jestConfig)} does not exist`, `copy the drop-in suite with npm run kit -- add ${appDir}`);
  }
  let jestBin: string;
  try {
    jestBin = require.resolve('jest/bin/jest', { paths: [appDir] });
  } catch {
    throw new KitCliError(`jest is not installed in ${appDir}`, `install the app's packages (npm install), or let npm run kit -- add ${appDir} add kit.json's test packages`);
  }
  const dropped = /^(AUTH_|NEXTAUTH_|NEXT_|__NEXT|VERCEL|NODE_OPTIONS$|NODE_ENV$|JEST_|TS_NODE_|npm_)/;
  const env: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !dropped.test(name))), NODE_ENV: 'test' };
  const child = spawn(process.execPath, [jestBin, '-c', jestConfig, '--ci'], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-1024 * 1024);
    options.write(chunk.toString());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve(status ?? 1));
  });
  return { code, summary: summarizeJest(output) };
}
