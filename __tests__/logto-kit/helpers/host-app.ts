import type { NextAuthOptions } from 'next-auth';
import type { Adapter } from 'next-auth/adapters';
import { isAbsolute, join } from 'node:path';
import type { LogtoDatabaseStore, LogtoKit } from '../../../lib/logto';
import { deriveNextAuthSettings } from '../../../lib/logto/next-auth/settings';
import { startApiRouteServer, type ApiModule } from './api-route-server';
import { createBrowser, type Browser } from './browser';
import { loadHostModules, type HostModules, type HostPaths } from './host-modules';
import { hostPathsOf, probeHost, type SessionStrategy } from './host-strategy';
import { decodeBrowserSession } from './sign-in-flow';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from './test-issuer';
import { readTestSettings } from './test-settings';

// Your route and authOptions come from one setting, `globals.logtoKit` in the suite's jest config (test-settings.ts):
// `route`, and `authOptions` when another module exports them (create-t3-app's src/server/auth.ts).

/** What the drop-in tests need from your route module: its `authOptions` and its default export. */
export interface HostRoute {
  authOptions: NextAuthOptions;
  default: ApiModule['default'];
}

/** Options of {@link startHostApp}. */
export interface HostAppOptions {
  issuer?: TestIssuerOptions;
  /** Environment variables over the ones the harness sets; a NEXTAUTH_URL here gives the path to serve under. */
  env?: Record<string, string>;
  /**
   * Another route module that also exports `authOptions`, from the project root, for this repository's own tests
   * (default: the route and auth module of `globals.logtoKit`). Its environment, database included, is the caller's.
   */
  route?: string;
}

/** Logto's tokens of one session, where the app keeps them. */
export interface HostTokens {
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  /** When the access token expires, in epoch seconds. */
  expiresAt?: number;
}

/** A Session row, as your adapter's `getSessionAndUser` reads it. */
export interface HostSessionRow {
  userId: string;
  expires: Date;
}

/** Your `/api/auth/*` route behind an HTTP server on 127.0.0.1, wired to a local ES384 test issuer. */
export interface HostApp {
  /** The app's home under its basePath, e.g. `http://127.0.0.1:4000/app`; browsers' paths are relative to it. */
  url: string;
  issuer: TestIssuer;
  route: HostRoute;
  /** What the route logged with `console.error` / `console.warn`, one line each. */
  logs: string[];
  /** Where your `authOptions` keep sessions: next-auth's `session.strategy` (`database` by default with an adapter). */
  strategy: SessionStrategy;
  /** The session cookie's name, as next-auth derives it from your `authOptions` and NEXTAUTH_URL. */
  sessionCookieName: string;
  /** The kit your route or auth module exports (`export const logto = createLogtoKit(…)`), when it exports one. */
  kit?: LogtoKit;
  /** Your adapter, when `authOptions` have one. */
  adapter?: Adapter;
  /** Database sessions: the store your kit keeps Logto's tokens with (`createLogtoKit({ database })`). */
  database?: LogtoDatabaseStore;
  /**
   * The `session.user.id` your app shows for the Logto user `sub`: `sub` itself with JWT sessions, the adapter's user
   * id with database sessions (found through your adapter's `getUserByAccount`).
   */
  userId(sub: string): Promise<string>;
  /**
   * Logto's tokens for the browser's session, where your app keeps them: the encrypted session cookie (JWT sessions)
   * or the user's Logto Account row, read through your kit's database store (database sessions). Null when signed out.
   */
  tokensOf(browser: Browser): Promise<HostTokens | null>;
  /** Database sessions: the Session row the browser's session cookie names, through your adapter; null when there is none. */
  sessionRowOf(browser: Browser): Promise<HostSessionRow | null>;
  /** A new browser with its own cookies. */
  browser(): Browser;
  close(): Promise<void>;
}

/** Where the host's modules are, what they need to load, and whether the suite gave them a test database. */
function hostOf(options: HostAppOptions): { paths: HostPaths; env: Record<string, string>; database: boolean } {
  const settings = readTestSettings();
  if (options.route) {
    const route = isAbsolute(options.route) ? options.route : join(process.cwd(), options.route);
    return { paths: { route, authOptions: route }, env: { ...settings.env, ...options.env }, database: true };
  }
  return { paths: hostPathsOf(settings), env: { ...settings.env, ...options.env }, database: settings.database !== undefined };
}

/**
 * Starts the test issuer, points AUTH_LOGTO_* and NEXTAUTH_* at it and at a free port (keeping the path of your
 * NEXTAUTH_URL, e.g. `/app/api/auth` under a basePath), then loads your route and auth module fresh (their own
 * discovery cache and single flight) and serves the route through Next.js's API resolver.
 */
export async function startHostApp(options: HostAppOptions = {}): Promise<HostApp> {
  const host = hostOf(options);
  const issuer = await startTestIssuer(options.issuer);
  const apiPath = apiPathOf(host.env.NEXTAUTH_URL ?? process.env.NEXTAUTH_URL);
  const basePath = apiPath.replace(/\/api\/auth$/, '');
  let modules: HostModules | undefined;
  const server = await startApiRouteServer((pathname) =>
    pathname.startsWith(`${apiPath}/`) && modules
      ? { module: { default: modules.handler }, query: { nextauth: pathname.slice(apiPath.length + 1).split('/') } }
      : undefined,
  );
  const home = `${server.url}${basePath}`;
  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: '',
    AUTH_LOGTO_RESOURCES: '',
    AUTH_LOGTO_SCOPES: '',
    AUTH_LOGTO_API_RESOURCE: '',
    NEXTAUTH_SECRET: 'drop-in-test-secret-drop-in-test-secret-01',
    ...host.env,
    NEXTAUTH_URL: `${server.url}${apiPath === '/api/auth' ? '' : apiPath}`,
  });
  issuer.postLogoutRedirectUris.push(home);
  try {
    jest.isolateModules(() => {
      modules = loadHostModules(host.paths, { database: host.database });
    });
  } catch (error) {
    await server.close();
    await issuer.close();
    throw error;
  }

  const logs: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((line: unknown) => void logs.push(String(line)));
  jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void logs.push(String(line)));

  const { authOptions, handler, strategy, kit } = modules!;
  const adapter = authOptions.adapter;
  const database = strategy === 'database' ? kit?.database : undefined;
  const sessionCookieName = deriveNextAuthSettings(home, authOptions).cookies.sessionToken.name;
  const sessionRowOf = async (browser: Browser): Promise<HostSessionRow | null> => {
    const cookie = browser.cookies.get(sessionCookieName);
    if (!cookie || !adapter?.getSessionAndUser) return null;
    const found = await adapter.getSessionAndUser(decodeURIComponent(cookie));
    return found && { userId: found.user.id, expires: found.session.expires };
  };
  return {
    url: home,
    issuer,
    route: { authOptions, default: handler },
    logs,
    strategy,
    sessionCookieName,
    ...(kit && { kit }),
    ...(adapter && { adapter }),
    ...(database && { database }),
    async userId(sub) {
      if (strategy === 'jwt') return sub;
      const user = await adapter?.getUserByAccount?.({ provider: 'logto', providerAccountId: sub });
      if (!user) throw new Error(`Your adapter has no user with a Logto account ${sub}: has it signed in?`);
      return user.id;
    },
    async tokensOf(browser) {
      if (strategy === 'jwt') {
        const token = await decodeBrowserSession(browser, { secret: String(authOptions.secret), cookieName: sessionCookieName });
        return token && pickTokens(token);
      }
      const row = await sessionRowOf(browser);
      const account = row && (await database?.findAccount(row.userId, 'logto'));
      return account ? pickTokens(account) : null;
    },
    sessionRowOf,
    browser: () => createBrowser(home),
    async close() {
      jest.restoreAllMocks();
      await server.close();
      await issuer.close();
    },
  };
}

/** The token fields of a session JWT or an Account row, the nulls of a row left out. */
function pickTokens(source: { accessToken?: unknown; refreshToken?: unknown; idToken?: unknown; expiresAt?: unknown }): HostTokens {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const tokens: HostTokens = {};
  const [accessToken, refreshToken, idToken] = [text(source.accessToken), text(source.refreshToken), text(source.idToken)];
  if (accessToken !== undefined) tokens.accessToken = accessToken;
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  if (idToken !== undefined) tokens.idToken = idToken;
  if (typeof source.expiresAt === 'number') tokens.expiresAt = source.expiresAt;
  return tokens;
}

/** next-auth's API path for a NEXTAUTH_URL: its path, or `/api/auth` when it has none (next-auth's utils/parse-url.ts). */
function apiPathOf(nextAuthUrl: string | undefined): string {
  const path = nextAuthUrl ? new URL(nextAuthUrl).pathname.replace(/\/$/, '') : '';
  return path || '/api/auth';
}

/** Starts a {@link HostApp} before the tests of the enclosing describe block and closes it after them. */
export function useHostApp(options: HostAppOptions = {}): () => HostApp {
  // Loaded once now, while the file is collected: a host the suite cannot test fails the file in one line.
  const host = hostOf(options);
  probeHost(host.paths, { env: host.env, database: host.database });
  let app: HostApp | undefined;
  beforeAll(async () => {
    app = await startHostApp(options);
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    if (!app) return;
    app.logs.splice(0);
    const { issuer } = app;
    issuer.tamper = undefined;
    issuer.tokenFailure = undefined;
    issuer.denyAuthorization = false;
    issuer.clockOffsetSeconds = 0;
  });
  return () => {
    if (!app) throw new Error('useHostApp: the app runs only inside the tests and hooks of its describe block');
    return app;
  };
}
