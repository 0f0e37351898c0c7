import type { NextAuthOptions } from 'next-auth';
import type { Adapter } from 'next-auth/adapters';
import { relative } from 'node:path';
import type { LogtoDatabaseStore, LogtoKit } from '../../../lib/logto';
import type { ApiModule } from './api-route-server';
import { DropInSetupError, SETTINGS_PLACE } from './test-settings';

/** Where your route and the module with `authOptions` are (absolute paths). */
export interface HostPaths {
  route: string;
  authOptions: string;
}

/** Your modules as the suite loads them: the route's handler, `authOptions`, and the kit they were made with. */
export interface HostModules {
  /** The route's default export, served as `/api/auth/*`. */
  handler: ApiModule['default'];
  authOptions: NextAuthOptions;
  /** The kit (`createLogtoKit(...)`) your route or auth module exports, if it exports one. */
  kit?: LogtoKit;
  /** next-auth's `session.strategy` for these options (`database` by default once an adapter is set). */
  strategy: 'jwt' | 'database';
}

/** What the suite needs from your adapter to look at sessions and create one of another provider. */
const ADAPTER_METHODS = ['getUserByAccount', 'getSessionAndUser', 'createUser', 'linkAccount', 'createSession', 'deleteSession'] as const;

/**
 * Requires your route and auth module (through jest, so your path aliases and transforms apply; call it inside
 * `jest.isolateModules` for a fresh copy) and checks what the suite needs of them; throws a
 * {@link DropInSetupError} naming the fix when something is missing.
 */
export function loadHostModules(paths: HostPaths, { database }: { database: boolean }): HostModules {
  const route = requireModule(paths.route);
  const auth = paths.authOptions === paths.route ? route : requireModule(paths.authOptions);
  const handler = route.default;
  if (typeof handler !== 'function') {
    throw new DropInSetupError(`${shown(paths.route)} has no default export to serve /api/auth/*: export default logto.handler(authOptions)`);
  }
  const authOptions = (auth.authOptions ?? route.authOptions) as NextAuthOptions | undefined;
  if (!authOptions || !Array.isArray(authOptions.providers)) {
    throw new DropInSetupError(
      `${shown(paths.authOptions)} exports no authOptions: export them (export const authOptions = logto.withLogto({ … })), or point logtoKit.authOptions in ${SETTINGS_PLACE} at the module that does`,
    );
  }
  const strategy = (authOptions.session?.strategy ?? (authOptions.adapter ? 'database' : 'jwt')) === 'database' ? 'database' : 'jwt';
  const kit = findKit(auth) ?? findKit(route);
  if (authOptions.adapter) checkAdapterHost(authOptions.adapter, { strategy, kit, database, paths });
  return { handler: handler as ApiModule['default'], authOptions, ...(kit && { kit }), strategy };
}

/** The kit's database store, which a database-session host gave `createLogtoKit({ database })`. */
export function kitDatabaseOf(modules: HostModules): LogtoDatabaseStore {
  const store = modules.kit?.database;
  if (!store) throw new DropInSetupError('Your kit has no database store: pass createLogtoKit({ database })');
  return store;
}

function checkAdapterHost(
  adapter: Adapter,
  { strategy, kit, database, paths }: { strategy: 'jwt' | 'database'; kit?: LogtoKit; database: boolean; paths: HostPaths },
): void {
  if (!database) {
    throw new DropInSetupError(
      `Your authOptions have an adapter: set logtoKit.database in ${SETTINGS_PLACE}, so the drop-in suite runs on a throwaway database of its own, never your development database (docs/testing.md)`,
    );
  }
  const missing = ADAPTER_METHODS.filter((name) => typeof adapter[name] !== 'function');
  if (missing.length > 0) {
    throw new DropInSetupError(`The drop-in suite cannot test this host: your adapter lacks ${missing.join(', ')}, which database sessions need`);
  }
  if (strategy === 'database' && !kit?.database) {
    throw new DropInSetupError(
      `Your authOptions use database sessions, but neither ${shown(paths.authOptions)} nor the route exports a kit made with a database store: ` +
        'export const logto = createLogtoKit({ …, database: createPrismaAccountStore(db) }) (the suite reads Logto’s tokens in the Account row through it)',
    );
  }
}

function requireModule(path: string): Record<string, unknown> {
  try {
    // Through jest's require: the config's moduleNameMapper (your path aliases) and transforms apply.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-var-requires -- jest's require, by design
    return require(path) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof DropInSetupError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (isMissing(error, path)) {
      throw new DropInSetupError(`${shown(path)} does not exist: point logtoKit.route / logtoKit.authOptions in ${SETTINGS_PLACE} at your files`);
    }
    throw new DropInSetupError(
      `Loading ${shown(path)} failed: ${message} (variables your env module validates at import go in logtoKit.env; ESM-only packages in its transformIgnorePatterns; both in ${SETTINGS_PLACE})`,
    );
  }
}

function isMissing(error: unknown, path: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${path}'`);
}

function findKit(module: Record<string, unknown>): LogtoKit | undefined {
  const isKit = (value: unknown): value is LogtoKit =>
    typeof value === 'object' && value !== null && typeof (value as LogtoKit).withLogto === 'function' && typeof (value as LogtoKit).handler === 'function';
  if (isKit(module.logto)) return module.logto;
  return Object.values(module).find(isKit);
}

function shown(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') ? path : fromCwd;
}
