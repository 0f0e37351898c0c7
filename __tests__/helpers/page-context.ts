import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { GetServerSidePropsContext } from 'next';
import { setLazyProp } from 'next/dist/server/api-utils';
import { getCookieParser } from 'next/dist/server/api-utils/get-cookie-parser';

/**
 * The context Next.js gives getServerSideProps for `GET resolvedUrl` with `headers`: Node's own request
 * and response, with `req.cookies` parsed lazily from the Cookie header exactly as Next's renderer does.
 */
export function pageContext(resolvedUrl: string, headers: Record<string, string> = {}): GetServerSidePropsContext {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = resolvedUrl;
  Object.assign(req.headers, headers);
  setLazyProp({ req }, 'cookies', getCookieParser(req.headers));
  return {
    req: req as GetServerSidePropsContext['req'],
    res: new ServerResponse(req),
    query: Object.fromEntries(new URL(resolvedUrl, 'http://app.example.com').searchParams),
    resolvedUrl,
  };
}
