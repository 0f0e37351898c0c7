import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** Which of Next.js's env files apply: `next dev` reads development's, `next build`/`next start` production's, jest test's. */
export type NextEnvMode = 'development' | 'production' | 'test';

/** The variables an app would see, and where they came from. */
export interface AppEnv {
  env: Record<string, string | undefined>;
  /** The env files read, highest precedence first. */
  files: string[];
  /** Names of `watched` variables the process environment set, which win over the files (as in Next.js). */
  fromProcess: string[];
}

/**
 * Reads the app's env files as Next.js does: `.env.<mode>.local`, `.env.local` (not in test), `.env.<mode>`,
 * `.env`, the first file to set a variable winning, and the process environment over all of them; `$NAME` and
 * `${NAME}` expand as in Next.js (dotenv-expand), `\$` stays a dollar sign.
 * @see https://nextjs.org/docs/pages/guides/environment-variables#environment-variable-load-order
 */
export function readAppEnv(appDir: string, mode: NextEnvMode, processEnv: Record<string, string | undefined>, watched: RegExp): AppEnv {
  const names = [`.env.${mode}.local`, ...(mode === 'test' ? [] : ['.env.local']), `.env.${mode}`, '.env'];
  const files = names.filter((name) => existsSync(join(appDir, name)));
  const fromFiles: Record<string, string> = {};
  for (const name of [...files].reverse()) Object.assign(fromFiles, parseEnv(readFileSync(join(appDir, name), 'utf8')));
  const fromProcess = Object.keys(processEnv).filter((name) => watched.test(name) && processEnv[name] !== undefined);
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(fromFiles)) env[name] = expand(value, { ...fromFiles, ...processEnv });
  for (const name of fromProcess) env[name] = processEnv[name];
  return { env, files, fromProcess };
}

function expand(value: string, values: Record<string, string | undefined>): string {
  return value.replace(/(\\)?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, escaped: string | undefined, braced?: string, bare?: string) =>
    escaped ? match.slice(1) : (values[braced ?? bare ?? ''] ?? ''),
  );
}
