import { isIP } from 'node:net';

/** Path prefix of the issuer's admin endpoints (not part of Logto; for tests and local debugging). */
export const ADMIN_PATH_PREFIX = '/admin/';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * @typedef {object} AdminActions
 * @property {(sub: string) => Promise<object>} endSessionsOf Ends the user's sessions (back-channel-logout.mjs).
 * @property {() => object} metrics The token endpoint's counters.
 * @property {import('./user-directory.mjs').UserDirectory} users Who the `sub` parameters may name.
 * @property {import('./app-access-control.mjs').AppAccessControl} accessControl The app's access rules.
 */

/**
 * Handles the admin endpoints, answering JSON:
 * - `POST /admin/sessions/end?sub=<user id>` ends all of that user's sessions at the issuer, sending
 *   back-channel logout tokens as a sign-out would (see back-channel-logout.mjs);
 * - `GET /admin/metrics`: how many grants the token endpoint served, by grant type, and how many grants
 *   were revoked (e.g. for a reused refresh token), for tests counting refreshes;
 * - `POST /admin/app-access?sub=<user id>&allowed=true|false` changes whether the app's access control
 *   (Logto 1.41+) lets that user in, as an admin editing the app's rules in the Console does: sign-ins,
 *   refresh grants and returning Logto sessions follow at once.
 * Only loopback callers without an `Origin` header are served, so that neither another machine nor a
 * web page in a browser (cross-site POST, DNS rebinding) can sign users out.
 * @param {AdminActions} actions
 */
export function createAdminHandler({ endSessionsOf, metrics, users, accessControl }) {
  const routes = {
    '/admin/metrics': { method: 'GET', handle: () => [200, metrics()] },
    '/admin/sessions/end': {
      method: 'POST',
      handle: async (url) => {
        const sub = knownSub(url, users, 'POST /admin/sessions/end?sub=<user id>, e.g. sub=alice-demo');
        return 'error' in sub ? sub.error : [200, { sub: sub.value, ...(await endSessionsOf(sub.value)) }];
      },
    },
    '/admin/app-access': {
      method: 'POST',
      handle: (url) => {
        const usage = 'POST /admin/app-access?sub=<user id>&allowed=false (or true), e.g. sub=bob-demo';
        if (!accessControl.enabled) {
          return [409, {
            error: 'app_access_control_unavailable',
            error_description: 'app-level access control came with Logto 1.41: start the issuer with LOCAL_ISSUER_LOGTO_VERSION=1.42',
          }];
        }
        const sub = knownSub(url, users, usage);
        if ('error' in sub) return sub.error;
        const allowed = url.searchParams.get('allowed');
        if (allowed !== 'true' && allowed !== 'false') {
          return [400, { error: 'invalid_request', error_description: `say allowed=true or allowed=false: ${usage}` }];
        }
        accessControl.setAllowed(sub.value, allowed === 'true');
        return [200, { sub: sub.value, allowed: accessControl.isAllowed(sub.value) }];
      },
    },
  };

  return async function handleAdmin(req, res, url) {
    if (!isLoopbackCaller(req)) {
      return sendJson(res, 403, {
        error: 'forbidden',
        error_description: 'the admin endpoints answer only loopback requests without an Origin header',
      });
    }
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route) return sendJson(res, 404, { error: 'not_found' });
    if (req.method !== route.method) {
      res.setHeader('allow', route.method);
      return sendJson(res, 405, { error: 'method_not_allowed' });
    }
    const [status, body] = await route.handle(url);
    return sendJson(res, status, body);
  };
}

/** The `sub` parameter when it names a user, else the 400 or 404 answer. */
function knownSub(url, users, usage) {
  const sub = url.searchParams.get('sub');
  if (!sub) return { error: [400, { error: 'invalid_request', error_description: `name the user: ${usage}` }] };
  if (!users.findById(sub)) {
    return { error: [404, { error: 'user_not_found', error_description: `no user has sub "${sub}"` }] };
  }
  return { value: sub };
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
