import type { NextAuthOptions } from 'next-auth';
import supertest from 'supertest';
import { nextAuthSegments, startApiRouteServer, type ApiModule } from './api-route-server';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from './test-issuer';

// Your route file, as the drop-in tests load it; change this one path if your pages live in src/pages.
const ROUTE_PATH = '../../../pages/api/auth/[...nextauth]';

/** What the drop-in tests need from your route module: its `authOptions` and its default export. */
export interface HostRoute {
  authOptions: NextAuthOptions;
  default: ApiModule['default'];
}

/** Your `/api/auth/*` route behind an HTTP server on 127.0.0.1, wired to a local ES384 test issuer. */
export interface HostApp {
  url: string;
  issuer: TestIssuer;
  route: HostRoute;
  /** What the route logged with `console.error` / `console.warn`, one line each. */
  logs: string[];
  /** A supertest agent with its own cookie jar: one browser. */
  browser(): supertest.Agent;
  close(): Promise<void>;
}

/**
 * Starts the test issuer, points AUTH_LOGTO_* and NEXTAUTH_* at it and at a free port, then loads your
 * route fresh (its own discovery cache and single flight) and serves it through Next.js's API resolver.
 */
export async function startHostApp(
  options: { issuer?: TestIssuerOptions; env?: Record<string, string> } = {},
): Promise<HostApp> {
  const issuer = await startTestIssuer(options.issuer);
  let route: HostRoute | undefined;
  const server = await startApiRouteServer((pathname) =>
    pathname.startsWith('/api/auth/') ? { module: route as unknown as ApiModule, query: nextAuthSegments(pathname) } : undefined,
  );
  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: '',
    NEXTAUTH_URL: server.url,
    NEXTAUTH_SECRET: 'drop-in-test-secret-drop-in-test-secret-01',
    ...options.env,
  });
  issuer.postLogoutRedirectUris.push(server.url);
  await jest.isolateModulesAsync(async () => {
    route = (await import(ROUTE_PATH)) as HostRoute;
  });

  const logs: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((line: unknown) => void logs.push(String(line)));
  jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void logs.push(String(line)));

  return {
    url: server.url,
    issuer,
    route: route!,
    logs,
    browser: () => supertest.agent(server.url),
    async close() {
      jest.restoreAllMocks();
      await server.close();
      await issuer.close();
    },
  };
}

/** Starts a {@link HostApp} before the tests of the enclosing describe block and closes it after them. */
export function useHostApp(options?: Parameters<typeof startHostApp>[0]): () => HostApp {
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
