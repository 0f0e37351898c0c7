import type { NextAuthOptions } from 'next-auth';
import { join } from 'node:path';
import { startApiRouteServer, type ApiModule } from './api-route-server';
import { createBrowser, type Browser } from './browser';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from './test-issuer';

// Your route file, as the drop-in tests load it; change this one path if your pages live in src/pages.
// LOGTO_KIT_ROUTE (a path from the project root) points them at another route, e.g. a second host config.
const ROUTE_PATH = '../../../pages/api/auth/[...nextauth]';

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
  /** Another route module, from the project root (default: LOGTO_KIT_ROUTE, else your pages/api/auth/[...nextauth]). */
  route?: string;
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
  strategy: 'jwt' | 'database';
  /**
   * The `session.user.id` your app shows for the Logto user `sub`: `sub` itself with JWT sessions, the adapter's user
   * id with database sessions (found through your adapter's `getUserByAccount`).
   */
  userId(sub: string): Promise<string>;
  /** A new browser with its own cookies. */
  browser(): Browser;
  close(): Promise<void>;
}

/**
 * Starts the test issuer, points AUTH_LOGTO_* and NEXTAUTH_* at it and at a free port (keeping the path of your
 * NEXTAUTH_URL, e.g. `/app/api/auth` under a basePath), then loads your route fresh (its own discovery cache and
 * single flight) and serves it through Next.js's API resolver.
 */
export async function startHostApp(options: HostAppOptions = {}): Promise<HostApp> {
  const routePath = options.route ?? process.env.LOGTO_KIT_ROUTE;
  const issuer = await startTestIssuer(options.issuer);
  const apiPath = apiPathOf(options.env?.NEXTAUTH_URL ?? process.env.NEXTAUTH_URL);
  const basePath = apiPath.replace(/\/api\/auth$/, '');
  let route: HostRoute | undefined;
  const server = await startApiRouteServer((pathname) =>
    pathname.startsWith(`${apiPath}/`)
      ? { module: route as unknown as ApiModule, query: { nextauth: pathname.slice(apiPath.length + 1).split('/') } }
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
    ...options.env,
    NEXTAUTH_URL: `${server.url}${apiPath === '/api/auth' ? '' : apiPath}`,
  });
  issuer.postLogoutRedirectUris.push(home);
  await jest.isolateModulesAsync(async () => {
    route = (await import(routePath ? join(process.cwd(), routePath) : ROUTE_PATH)) as HostRoute;
  });

  const logs: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((line: unknown) => void logs.push(String(line)));
  jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void logs.push(String(line)));

  const { authOptions } = route!;
  const strategy = (authOptions.session?.strategy ?? (authOptions.adapter ? 'database' : 'jwt')) === 'database' ? 'database' : 'jwt';
  return {
    url: home,
    issuer,
    route: route!,
    logs,
    strategy,
    async userId(sub) {
      if (strategy === 'jwt') return sub;
      const user = await authOptions.adapter?.getUserByAccount?.({ provider: 'logto', providerAccountId: sub });
      if (!user) throw new Error(`Your adapter has no user with a Logto account ${sub}: has it signed in?`);
      return user.id;
    },
    browser: () => createBrowser(home),
    async close() {
      jest.restoreAllMocks();
      await server.close();
      await issuer.close();
    },
  };
}

/** next-auth's API path for a NEXTAUTH_URL: its path, or `/api/auth` when it has none (next-auth's utils/parse-url.ts). */
function apiPathOf(nextAuthUrl: string | undefined): string {
  const path = nextAuthUrl ? new URL(nextAuthUrl).pathname.replace(/\/$/, '') : '';
  return path || '/api/auth';
}

/** Starts a {@link HostApp} before the tests of the enclosing describe block and closes it after them. */
export function useHostApp(options?: HostAppOptions): () => HostApp {
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
