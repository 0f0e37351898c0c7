import { readFileSync } from 'node:fs';

/** The environment variable global-setup.ts sets to the path of the {@link E2eStack} JSON file. */
export const STACK_FILE_ENV = 'E2E_STACK_FILE';

/** What global-setup.ts started for the browser tests: the production app and the local issuer. */
export interface E2eStack {
  /** NEXTAUTH_URL of `next start`, e.g. `http://localhost:41234` (no trailing slash). */
  appUrl: string;
  /** The issuer identifier (AUTH_LOGTO_ISSUER), e.g. `http://localhost:43210/oidc`. */
  issuer: string;
  /** The origin the issuer serves its sign-in screens and avatars on. */
  issuerUrl: string;
  /** The issuer's throwaway data folder; `store.json` there mirrors its sessions, grants and tokens. */
  issuerDataDir: string;
  /** The app's NEXTAUTH_SECRET, so tests can decrypt the session cookie as the app does. */
  nextAuthSecret: string;
  /** Lifetime of the access tokens the issuer hands out, in seconds. */
  accessTokenTtl: number;
}

/** The running stack, as global-setup.ts described it. */
export function readStack(): E2eStack {
  const file = process.env[STACK_FILE_ENV];
  if (!file) throw new Error(`${STACK_FILE_ENV} is not set: run the browser tests with jest.e2e.config.ts`);
  return JSON.parse(readFileSync(file, 'utf8')) as E2eStack;
}
