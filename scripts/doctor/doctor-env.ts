import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** Where `npm run dev` records the Logto and next-auth values it gave the app when it runs the local issuer. */
export const DEV_APP_ENV_FILE = join('.local-issuer', 'dev-app-env.json');

/** The variables to check, and one note per place they came from. */
export interface ResolvedEnv {
  env: Record<string, string | undefined>;
  notes: string[];
  /** Whether they are the values `npm run dev` gave the app for its local issuer (which is not Logto). */
  localIssuer: boolean;
}

/**
 * The environment the app would get: `.env.local` under the process environment (which wins, as in Next.js).
 * When that names no issuer (empty counts as unset, as in scripts/dev.mjs), the values `npm run dev` last
 * gave the app with the local issuer, from {@link DEV_APP_ENV_FILE}.
 */
export function resolveDoctorEnv(root: string, processEnv: Record<string, string | undefined>): ResolvedEnv {
  const notes: string[] = [];
  const envFile = join(root, '.env.local');
  let fileValues: Record<string, string> = {};
  if (existsSync(envFile)) {
    fileValues = parseEnv(readFileSync(envFile, 'utf8')) as Record<string, string>;
    notes.push('Read .env.local; variables set in the environment win over it.');
  }
  const env: Record<string, string | undefined> = { ...fileValues, ...definedOnly(processEnv) };
  if (env.AUTH_LOGTO_ISSUER) return { env, notes, localIssuer: false };

  const devFile = join(root, DEV_APP_ENV_FILE);
  if (!existsSync(devFile)) {
    notes.push(
      'AUTH_LOGTO_ISSUER is not set and `npm run dev` has not run the local issuer here: ' +
        'set your tenant in .env.local, or start `npm run dev` and run the doctor again.',
    );
    return { env, notes, localIssuer: false };
  }
  const devValues = JSON.parse(readFileSync(devFile, 'utf8')) as Record<string, string>;
  const written = statSync(devFile).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
  notes.push(
    `AUTH_LOGTO_ISSUER is not set: checking the local issuer of \`npm run dev\` with the values it gave the app ` +
      `(${DEV_APP_ENV_FILE}, written ${written}).`,
  );
  return { env: { ...env, ...devValues }, notes, localIssuer: true };
}

function definedOnly(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
