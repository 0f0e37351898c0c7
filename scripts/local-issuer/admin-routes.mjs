import { isIP } from 'node:net';

import { findUserById } from './demo-users.mjs';

/** Path prefix of the issuer's admin endpoints (not part of Logto; for tests and local debugging). */
export const ADMIN_PATH_PREFIX = '/admin/';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Handles `POST /admin/sessions/end?sub=<user id>`: ends all of that user's sessions at the
 * issuer, sending back-channel logout tokens as a sign-out would (see back-channel-logout.mjs);
 * and `GET /admin/metrics`: how many grants the token endpoint served, by grant type, and how
 * many grants were revoked (e.g. for a reused refresh token), for tests counting refreshes.
 * Answers JSON. Only loopback callers without an `Origin` header are served, so that neither
 * another machine nor a web page in a browser (cross-site POST, DNS rebinding) can sign users out.
 * @param {{ endSessionsOf: (sub: string) => Promise<object>, metrics: () => object }} actions
 */
export function createAdminHandler({ endSessionsOf, metrics }) {
  return async function handleAdmin(req, res, url) {
    if (!isLoopbackCaller(req)) {
      return sendJson(res, 403, {
        error: 'forbidden',
        error_description: 'the admin endpoints answer only loopback requests without an Origin header',
      });
    }
    if (url.pathname === '/admin/metrics') {
      if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        return sendJson(res, 405, { error: 'method_not_allowed' });
      }
      return sendJson(res, 200, metrics());
    }
    if (url.pathname !== '/admin/sessions/end') {
      return sendJson(res, 404, { error: 'not_found' });
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { error: 'method_not_allowed' });
    }
    const sub = url.searchParams.get('sub');
    if (!sub) {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'name the user: POST /admin/sessions/end?sub=<user id>, e.g. sub=alice-demo',
      });
    }
    if (!findUserById(sub)) {
      return sendJson(res, 404, { error: 'user_not_found', error_description: `no demo user has sub "${sub}"` });
    }
    return sendJson(res, 200, { sub, ...(await endSessionsOf(sub)) });
  };
}

function isLoopbackCaller(req) {
  const address = String(req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const loopbackAddress = address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
  return loopbackAddress && LOOPBACK_HOSTS.has(host) && req.headers.origin === undefined;
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
