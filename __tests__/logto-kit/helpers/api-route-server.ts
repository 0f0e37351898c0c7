import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Pages Router API module: a default-exported handler (and an optional `config`). */
export type ApiModule = { default: (req: never, res: never) => unknown; config?: unknown };

/** Which API module serves a request, with the dynamic-route query Next.js would add (e.g. `nextauth`). */
export type ApiRoute = { module: ApiModule; query?: Record<string, string[]> } | undefined;

/** An HTTP server on 127.0.0.1 serving Pages Router API modules. */
export interface ApiRouteServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the API module `route(pathname, req)` picks through Next.js's own API resolver (query, cookies,
 * body parsing, res.redirect/json), on a random port; a path with no module answers 404. No jest needed.
 */
export async function startApiRouteServer(
  route: (pathname: string, req: IncomingMessage) => ApiRoute,
): Promise<ApiRouteServer> {
  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const apiResolver = loadApiResolver();

  async function dispatch(req: IncomingMessage, res: ServerResponse) {
    const { pathname, searchParams } = new URL(req.url ?? '/', url);
    const target = route(pathname, req);
    if (!target) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    await apiResolver(
      req,
      res,
      { ...Object.fromEntries(searchParams), ...target.query },
      target.module,
      { previewModeId: '', previewModeEncryptionKey: '', previewModeSigningKey: '', dev: false },
      true,
      false,
      pathname,
    );
  }

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The `nextauth` catch-all segments of an `/api/auth/*` path, as `pages/api/auth/[...nextauth].ts` receives them. */
export function nextAuthSegments(pathname: string): Record<string, string[]> {
  return { nextauth: pathname.slice('/api/auth/'.length).split('/') };
}

type ApiResolver = (
  req: IncomingMessage,
  res: ServerResponse,
  query: Record<string, unknown>,
  resolverModule: ApiModule,
  apiContext: Record<string, unknown>,
  propagateError: boolean,
  dev: boolean,
  page: string,
) => Promise<void>;

// Next.js's API resolver moved between versions: 14.1+ keeps it in api-utils/node/api-resolver, 12.3–14.0 in api-utils/node.
const API_RESOLVER_PATHS = ['next/dist/server/api-utils/node/api-resolver', 'next/dist/server/api-utils/node'];

/** Next.js's own `apiResolver`, from whichever path this Next.js version keeps it at. */
function loadApiResolver(): ApiResolver {
  for (const path of API_RESOLVER_PATHS) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-var-requires -- the path differs by Next.js version
      const loaded = require(path) as { apiResolver?: ApiResolver };
      if (typeof loaded.apiResolver === 'function') return loaded.apiResolver;
    } catch {
      // Not at this path in this Next.js version; try the next one.
    }
  }
  throw new Error(`Next.js's apiResolver was not found at ${API_RESOLVER_PATHS.join(' or ')}: is \`next\` installed?`);
}
