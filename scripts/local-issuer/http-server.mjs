import { createServer } from 'node:http';

import { ADMIN_PATH_PREFIX } from './admin-routes.mjs';
import { AVATAR_PATH_PREFIX, serveAvatar } from './avatars.mjs';
import { INTERACTION_PATH_PREFIX } from './interaction-routes.mjs';

/** Path under which oidc-provider is mounted; the issuer identifier ends with it, as Logto's does. */
export const OIDC_MOUNT_PATH = '/oidc';

/**
 * Routes a request to oidc-provider (under {@link OIDC_MOUNT_PATH}), the sign-in screens, the
 * admin endpoints or the avatars. `oidcCallback` is `provider.callback()`; `handleInteraction`
 * the interaction handler; `handleAdmin` the admin handler.
 */
export function createRequestListener({ oidcCallback, handleInteraction, handleAdmin, onError }) {
  return (req, res) => {
    const url = URL.parse(req.url ?? '/', 'http://issuer.invalid');
    const pathname = url?.pathname;
    if (pathname === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
      return;
    }

    if (pathname === OIDC_MOUNT_PATH || pathname.startsWith(`${OIDC_MOUNT_PATH}/`)) {
      // Mounting as oidc-provider's docs do for connect/express: strip the prefix and keep the
      // full path in `originalUrl`, from which the provider rebuilds its endpoint URLs.
      req.originalUrl = req.url;
      const rest = req.url.slice(OIDC_MOUNT_PATH.length);
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
      oidcCallback(req, res);
      return;
    }
    if (pathname.startsWith(INTERACTION_PATH_PREFIX)) {
      handleInteraction(req, res, pathname);
      return;
    }
    if (pathname.startsWith(ADMIN_PATH_PREFIX)) {
      handleAdmin(req, res, url).catch((error) => {
        onError(error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error' }));
      });
      return;
    }
    if (pathname.startsWith(AVATAR_PATH_PREFIX) && req.method === 'GET') {
      serveAvatar(pathname, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
  };
}

/**
 * Listens on `host` and `port` (0 picks a free port). For `localhost` it listens on both 127.0.0.1
 * and ::1, because clients differ in which of the two they try first. Resolves the bound port and
 * a `close()` that also drops keep-alive connections.
 */
export async function listenOnLoopback({ host, port }, listener) {
  const addresses = host === 'localhost' ? ['127.0.0.1', '::1'] : [host];
  const servers = [];
  let boundPort = port;

  try {
    for (const [index, address] of addresses.entries()) {
      const server = createServer(listener);
      try {
        await listen(server, address, boundPort);
      } catch (error) {
        // A machine without IPv6 loopback still serves `localhost` on 127.0.0.1.
        if (index > 0 && ['EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes(error.code)) continue;
        throw error;
      }
      servers.push(server);
      boundPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
    }
  } catch (error) {
    await closeAll(servers);
    throw error;
  }

  return { port: boundPort, close: () => closeAll(servers) };
}

function listen(server, address, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, ipv6Only: address.includes(':') }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeAll(servers) {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}
