import { isAbsolute, resolve } from 'node:path';

/**
 * The throwaway database the suite runs on when your `authOptions` have an adapter: your app's own database
 * variable pointed at a URL of the suite's own, its tables made once by `setup`, removed after the run.
 */
export interface TestDatabaseSettings {
  /** The variable your app reads its database URL from, e.g. `DATABASE_URL`. */
  env: string;
  /**
   * The database's URL. `{dir}` stands for a temp folder of the suite's own, e.g. `file:{dir}/drop-in.db`: `setup` runs
   * once into it, and each test file then gets a copy of that folder, so files running in parallel share no rows.
   * A URL without `{dir}` (a database server) is shared by every test file: run them one at a time (`maxWorkers: 1`).
   */
  url: string;
  /** A shell command that creates the tables in that database, run once before the tests, e.g. `prisma migrate deploy`. */
  setup?: string;
  /** Where `setup` runs (its `node_modules/.bin` goes first on the PATH); default: the folder jest runs from. */
  cwd?: string;
}

/**
 * `globals.logtoKit` in the suite's jest config (`jest.logto-kit.config.cjs` in your app, which `npm run kit -- add`
 * writes): where your route and `authOptions` are, what your modules need to load, and the test database.
 * Paths are absolute, or relative to the folder jest runs from.
 */
export interface LogtoKitTestSettings {
  /** Your `/api/auth/[...nextauth]` route; its default export is the handler the suite serves. */
  route: string;
  /** The module that exports `authOptions` (and the kit, e.g. `export const logto`), e.g. `src/server/auth.ts`; default: the route. */
  authOptions?: string;
  /**
   * Variables set before your modules load, for an env module that validates at import (create-t3-app's
   * `src/env.js` asks for `DISCORD_CLIENT_ID` and the like). AUTH_LOGTO_* and NEXTAUTH_SECRET are the suite's own;
   * a NEXTAUTH_URL here gives the path your route is served under (e.g. `http://localhost/app/api/auth`).
   */
  env?: Record<string, string>;
  /** Required once `authOptions` have an adapter: the suite never touches your development database. */
  database?: TestDatabaseSettings;
}

/** Where the settings live, for messages: `globals.logtoKit` of the config `add` wrote. */
export const SETTINGS_PLACE = 'jest.logto-kit.config.cjs';

/** An error jest shows as its message alone: the fix is in the message, a stack would only hide it. */
export class DropInSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DropInSetupError';
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Checks `globals.logtoKit` (what jest's `globals` put on `globalThis`, or a project config's `globals` in a global
 * setup) and resolves its paths; throws one {@link DropInSetupError} naming the field to fix.
 */
export function readTestSettings(raw: unknown = (globalThis as { logtoKit?: unknown }).logtoKit): LogtoKitTestSettings {
  if (!isRecord(raw)) throw new DropInSetupError(`The drop-in suite has no settings: set globals.logtoKit in ${SETTINGS_PLACE} (docs/testing.md)`);
  const { route, authOptions, env, database } = raw;
  if (typeof route !== 'string' || route === '') throw invalid('route', 'the path of your /api/auth/[...nextauth] route');
  if (authOptions !== undefined && typeof authOptions !== 'string') throw invalid('authOptions', 'the path of the module that exports authOptions');
  if (env !== undefined && !(isRecord(env) && Object.values(env).every((value) => typeof value === 'string'))) {
    throw invalid('env', 'an object of variable names and string values');
  }
  return {
    route: pathOf(route),
    ...(authOptions !== undefined && { authOptions: pathOf(authOptions) }),
    ...(env !== undefined && { env: env as Record<string, string> }),
    ...(database !== undefined && { database: readDatabaseSettings(database) }),
  };
}

function readDatabaseSettings(raw: unknown): TestDatabaseSettings {
  if (!isRecord(raw)) throw invalid('database', '{ env, url, setup }');
  const { env, url, setup, cwd } = raw;
  if (typeof env !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) throw invalid('database.env', 'the name of the variable that holds your app’s database URL');
  if (typeof url !== 'string' || url === '') throw invalid('database.url', 'the test database URL, e.g. file:{dir}/drop-in.db');
  if (setup !== undefined && typeof setup !== 'string') throw invalid('database.setup', 'a shell command that creates the tables');
  if (cwd !== undefined && typeof cwd !== 'string') throw invalid('database.cwd', 'the folder the setup command runs in');
  return { env, url, ...(setup !== undefined && { setup }), ...(cwd !== undefined && { cwd: pathOf(cwd) }) };
}

function invalid(field: string, expected: string): DropInSetupError {
  return new DropInSetupError(`logtoKit.${field} in ${SETTINGS_PLACE} must be ${expected}`);
}

function pathOf(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
