import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextApiHandler } from 'next';
import { apiResolver } from 'next/dist/server/api-utils/node/api-resolver';

/** An HTTP server on 127.0.0.1 that serves `/api/auth/*` as Next.js would serve `pages/api/auth/[...nextauth]`. */
export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the next-auth handler `handlerFor(req)` returns through Next.js's own API resolver (query, cookies,
 * body parsing, res.redirect/json): the jest-free twin of __tests__/helpers/auth-app.ts, for the benchmark.
 */
export async function startApiServer(handlerFor: (req: IncomingMessage) => NextApiHandler): Promise<ApiServer> {
  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function dispatch(req: IncomingMessage, res: ServerResponse) {
    const { pathname, searchParams } = new URL(req.url ?? '/', url);
    if (!pathname.startsWith('/api/auth/')) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    const query: Record<string, string | string[]> = Object.fromEntries(searchParams);
    query.nextauth = pathname.slice('/api/auth/'.length).split('/');
    await apiResolver(
      req,
      res,
      query,
      { default: handlerFor(req) },
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
