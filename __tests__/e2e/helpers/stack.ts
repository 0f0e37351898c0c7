import { readFileSync } from 'node:fs';

/** The environment variable global-setup.ts sets to the path of the {@link E2eStacks} JSON file. */
export const STACK_FILE_ENV = 'E2E_STACK_FILE';

/** One app (`next start`) and the local issuer it signs in with, as global-setup.ts started them. */
export interface E2eStack {
  /** NEXTAUTH_URL of `next start`, e.g. `http://localhost:41234` (no trailing slash). */
  appUrl: string;
  /** The issuer identifier (AUTH_LOGTO_ISSUER), e.g. `http://localhost:43210/oidc`. */
  issuer: string;
  /** The origin the issuer serves its sign-in screens, avatars and admin endpoints on. */
  issuerUrl: string;
  /** The issuer's throwaway data folder; `store.json` there mirrors its sessions, grants and tokens. */
  issuerDataDir: string;
  /** The app's NEXTAUTH_SECRET, so tests can decrypt the session cookie as the app does. */
  nextAuthSecret: string;
  /** Lifetime of the access tokens the issuer hands out, in seconds. */
  accessTokenTtl: number;
}

/**
 * The stacks global-setup.ts starts, each with its own issuer configuration (see STACK_SETTINGS there):
 * - `main`: the issuer's defaults (Logto 1.42, Kakao account linked to `kakao-demo`, 14-day refresh tokens);
 * - `kakaoUsernameSignUp`: a Kakao account that belongs to nobody yet, whose first sign-in asks for a username;
 * - `shortRefreshTokens`: 20-second refresh tokens, so a test sees Logto rotate one after 70% of its lifetime.
 */
export type StackName = 'main' | 'kakaoUsernameSignUp' | 'shortRefreshTokens';

/** Every running stack, by name. */
export type E2eStacks = Record<StackName, E2eStack>;

/** A running stack (the `main` one unless named), as global-setup.ts described it. */
export function readStack(name: StackName = 'main'): E2eStack {
  const file = process.env[STACK_FILE_ENV];
  if (!file) throw new Error(`${STACK_FILE_ENV} is not set: run the browser tests with jest.e2e.config.ts`);
  return (JSON.parse(readFileSync(file, 'utf8')) as E2eStacks)[name];
}
