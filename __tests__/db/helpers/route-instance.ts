import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { NextApiRequest, NextApiResponse } from 'next';
// The apiResolver Next.js 14.1+ serves Pages Router API routes with (query, cookies, body parsing, res.json).
import { apiResolver } from 'next/dist/server/api-utils/node/api-resolver';

// One app instance as its own process: `node --import tsx route-instance.ts <route module> <port>`. It serves the
// route at /api/auth/* and, for the tests, GET /api/token?resource=… (logto.getAccessToken) as JSON and GET
// /api/long-query?seconds=… (the host's runLongQuery: 200, or 503 with the driver's message; 404 without one). Prints
// READY once it listens; the environment (AUTH_LOGTO_*, NEXTAUTH_*, DATABASE_URL) comes from the parent.

interface RouteModule {
  default: (req: NextApiRequest, res: NextApiResponse) => Promise<void>;
  logto: { getAccessToken(ctx: { req: NextApiRequest; res: NextApiResponse }, resource: string): Promise<string> };
  /** A host query that runs for `seconds` (the PostgreSQL host's); absent elsewhere. */
  runLongQuery?(seconds: number): Promise<unknown>;
}

async function main() {
  const [routePath, port] = process.argv.slice(2);
  if (!routePath || !port) throw new Error('usage: route-instance.ts <route module> <port>');
  const route = (await import(join(process.cwd(), routePath))) as RouteModule;
  const tokenRoute = {
    async default(req: NextApiRequest, res: NextApiResponse) {
      try {
        res.status(200).json({ token: await route.logto.getAccessToken({ req, res }, String(req.query.resource)) });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        res.status(code === 'not_signed_in' ? 401 : 400).json({ code, message: error instanceof Error ? error.message : String(error) });
      }
    },
  };
  const longQueryRoute = {
    async default(req: NextApiRequest, res: NextApiResponse) {
      try {
        if (!route.runLongQuery) return void res.status(404).json({ message: 'this route module has no runLongQuery' });
        await route.runLongQuery(Number(req.query.seconds));
        res.status(200).json({ done: true });
      } catch (error) {
        res.status(503).json({ message: error instanceof Error ? error.message : String(error) });
      }
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string | string[]> = Object.fromEntries(searchParams);
    const api = { previewModeId: '', previewModeEncryptionKey: '', previewModeSigningKey: '', dev: false };
    const answer = pathname.startsWith('/api/auth/')
      ? apiResolver(req, res, { ...query, nextauth: pathname.slice('/api/auth/'.length).split('/') }, route, api, true, false, pathname)
      : pathname === '/api/token'
        ? apiResolver(req, res, query, tokenRoute, api, true, false, pathname)
        : pathname === '/api/long-query'
          ? apiResolver(req, res, query, longQueryRoute, api, true, false, pathname)
          : Promise.resolve(void res.writeHead(404).end());
    answer.catch((error: unknown) => {
      // What Next.js would answer for an error a route let through: the tests count these as failures.
      console.error('UNCAUGHT', error);
      if (!res.headersSent) res.writeHead(500).end('Internal Server Error');
    });
  });
  server.listen(Number(port), '127.0.0.1', () => console.log('READY'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
