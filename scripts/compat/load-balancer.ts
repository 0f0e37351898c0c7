import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running {@link startLoadBalancer}. */
export interface LoadBalancer {
  /** The balancer's address, `http://127.0.0.1:<port>`: the app's one public origin (NEXTAUTH_URL). */
  url: string;
  /** How many requests each upstream got, in the order of `upstreams`. */
  served: number[];
  close(): Promise<void>;
}

/**
 * A round-robin reverse proxy on a free port of 127.0.0.1 in front of several instances of one app (plain HTTP,
 * no sticky sessions): each request goes to the next upstream, as a load balancer without session affinity sends
 * it, with `x-forwarded-for` and `x-forwarded-host` added. An upstream that does not answer gets a 502.
 */
export async function startLoadBalancer(upstreams: readonly string[]): Promise<LoadBalancer> {
  const targets = upstreams.map((upstream) => new URL(upstream));
  const served = targets.map(() => 0);
  let next = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = next;
    next = (next + 1) % targets.length;
    served[index] += 1;
    const target = targets[index];
    const headers = {
      ...req.headers,
      'x-forwarded-host': req.headers.host ?? '',
      'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
    };
    const forwarded = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`load balancer: ${target.host} did not answer: ${error.message}`);
    });
    req.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
