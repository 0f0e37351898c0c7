import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running {@link startForwardingProxy}. */
export interface ForwardingProxy {
  /** The proxy's own address, `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A reverse proxy on a free port of 127.0.0.1 that forwards every request to `target` with the headers a
 * TLS-terminating proxy adds: `x-forwarded-proto: https`, `x-forwarded-host` and `x-forwarded-for`. The app
 * behind it sees what it sees behind a real load balancer, with no certificate involved; a client talks
 * plain HTTP to it while believing it is on `https://127.0.0.1:<port>` (see HttpBrowser's `transport`).
 */
export async function startForwardingProxy(target: string): Promise<ForwardingProxy> {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const headers = {
      ...req.headers,
      'x-forwarded-proto': 'https',
      'x-forwarded-host': req.headers.host ?? '',
      'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
    };
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
