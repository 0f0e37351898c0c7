import type { NextApiRequest, NextApiResponse } from 'next';
import type { LogSink } from '@/lib/logto/log/logger';
import { createBrowser, type Browser } from '../logto-kit/helpers/browser';
import { nextAuthSegments, startApiRouteServer, type ApiModule, type ApiRoute } from '../logto-kit/helpers/api-route-server';
import type { TestIssuer } from '../logto-kit/helpers/test-issuer';

/** The app's API routes, loaded fresh (their own env, caches and logger) for one test file. */
export interface AuthRoutes {
  nextAuth: typeof import('@/pages/api/auth/[...nextauth]');
  me: ApiModule;
  books: ApiModule;
}

/**
 * `GET /test/access-token?resource=<a>,<b>&org=…` (test only): the kit's tokens for this browser's session,
 * all asked for at once as a page might; `kind=organization` asks for organization tokens. Errors as their code.
 */
function accessTokenProbe(routes: () => AuthRoutes): ApiModule {
  return {
    default: (async (req: NextApiRequest, res: NextApiResponse) => {
      const { logto } = routes().nextAuth;
      const resources = typeof req.query.resource === 'string' ? req.query.resource.split(',') : [];
      const org = typeof req.query.org === 'string' ? req.query.org : undefined;
      try {
        const tokens =
          req.query.kind === 'organization'
            ? [await logto.getOrganizationToken({ req, res }, org ?? '')]
            : await Promise.all(resources.map((resource) => logto.getAccessToken({ req, res }, resource, org)));
        res.status(200).json({ tokens });
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        res.status(400).json({ code, message });
      }
    }) as ApiModule['default'],
  };
}

/** The real API routes behind an HTTP server on 127.0.0.1, as Next.js would serve them. */
export interface AuthApp {
  url: string;
  routes: AuthRoutes;
  /** What the app logged with `console.error` / `console.warn`, one line each. */
  logs: string[];
  /** A new browser with its own cookies. */
  browser(): Browser;
  close(): Promise<void>;
}

/**
 * Starts the app's `[...nextauth]` and `/api/me` routes against `issuer`, through Next.js's own
 * API resolver (query, cookies, body parsing, res.redirect/json), on a random 127.0.0.1 port.
 */
export async function startAuthApp(issuer: TestIssuer, env: Record<string, string> = {}): Promise<AuthApp> {
  let routes: AuthRoutes | undefined;
  const probe = accessTokenProbe(() => routes!);
  const server = await startApiRouteServer((pathname): ApiRoute => {
    if (pathname === '/api/me') return { module: routes!.me };
    if (pathname === '/api/books') return { module: routes!.books };
    if (pathname === '/test/access-token') return { module: probe };
    if (pathname.startsWith('/api/auth/')) {
      return { module: routes!.nextAuth as unknown as ApiModule, query: nextAuthSegments(pathname) };
    }
    return undefined;
  });
  const { url } = server;

  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
    AUTH_LOGTO_ID_TOKEN_ALG: '',
    AUTH_LOGTO_RESOURCES: '',
    AUTH_LOGTO_SCOPES: '',
    AUTH_LOGTO_API_RESOURCE: '',
    ...env,
  });
  // A fresh module registry: this app gets its own env, discovery cache and single flight.
  await jest.isolateModulesAsync(async () => {
    routes = {
      nextAuth: await import('@/pages/api/auth/[...nextauth]'),
      me: await import('@/pages/api/me'),
      books: await import('@/pages/api/books'),
    };
  });

  const logs: string[] = [];
  const sink: LogSink = { error: (line) => logs.push(line), warn: (line) => logs.push(line) };
  // The routes log through the kit logger's console sink; collect those lines instead of printing them.
  jest.spyOn(console, 'error').mockImplementation((line: unknown) => sink.error(String(line)));
  jest.spyOn(console, 'warn').mockImplementation((line: unknown) => sink.warn(String(line)));

  return {
    url,
    routes: routes!,
    logs,
    browser: () => createBrowser(url),
    close: () => {
      jest.restoreAllMocks();
      return server.close();
    },
  };
}
