import { join } from 'node:path';

import { Provider } from 'oidc-provider';

import { createAdminHandler } from './admin-routes.mjs';
import { createAppAccessControl } from './app-access-control.mjs';
import { endSessionsOf, installLogtoLogoutTokens } from './back-channel-logout.mjs';
import { DEFAULT_DATA_DIR } from './data-dir.mjs';
import { APP_SCOPES, DEFAULT_API_RESOURCE } from './demo-tenant.mjs';
import { DEFAULT_REFRESH_TOKEN_TTL, defaultBackchannelLogoutUri } from './env.mjs';
import { createFileAdapter } from './file-adapter.mjs';
import { OIDC_MOUNT_PATH, createRequestListener, listenOnLoopback } from './http-server.mjs';
import { createInteractionHandler } from './interaction-routes.mjs';
import { loadIssuerState } from './issuer-state.mjs';
import { installLogto137Behaviour } from './logto-137-behaviour.mjs';
import { createFindAccount } from './logto-claims.mjs';
import { DEFAULT_LOGTO_VERSION, behaviourOf } from './logto-version.mjs';
import { createProviderConfig } from './provider-config.mjs';
import { installLogtoRefreshTokenGrant } from './refresh-token-grant.mjs';
import { createUserDirectory } from './user-directory.mjs';

export { DEFAULT_DATA_DIR } from './data-dir.mjs';
export { DEMO_USERS, passwordUsers } from './demo-users.mjs';
export { DEFAULT_API_RESOURCE, ORGANIZATIONS } from './demo-tenant.mjs';

/** @typedef {Pick<Console, 'info' | 'warn' | 'error'>} Logger */

/**
 * @typedef {object} LocalIssuerOptions
 * @property {number} [port] Port to listen on; 0 picks a free one. Default 3001.
 * @property {string} [host] Host name in the issuer URL, and where to listen: `localhost` (default)
 *   listens on 127.0.0.1 and ::1; an IP address listens on that address only.
 * @property {string} [dataDir] Folder for keys, client registration and grants. Default `.local-issuer/`.
 * @property {string} [appUrl] Base URL of the Next.js app. Default `http://localhost:3000`.
 * @property {number} [accessTokenTtl] Access-token lifetime in seconds. Default 3600, as Logto's.
 * @property {number} [refreshTokenTtl] Refresh-token lifetime in seconds. Default 14 days, as Logto's; a
 *   refresh token is rotated only once 70% of it has passed.
 * @property {string} [apiResource] Indicator of the demo API resource. Default `https://api.books.example.com`.
 * @property {string | null} [backchannelLogoutUri] The app's back-channel logout receiver. Default
 *   `<appUrl origin>/api/auth/backchannel-logout`; `null` registers none.
 * @property {boolean} [backchannelLogoutSessionRequired] Logout and ID tokens carry `sid`. Default true.
 * @property {'1.37' | '1.42'} [logtoVersion] The Logto release to mimic where they differ. Default `1.42`.
 * @property {string[]} [accessDeniedUsers] User ids the app's access control refuses (Logto 1.41+). Default none.
 * @property {'linked' | 'username'} [kakaoSignUp] `username`: the Kakao account belongs to nobody yet and its
 *   first sign-in asks for a username. Default `linked`: it is the demo user `kakao-demo`.
 * @property {Logger} [logger] Where server errors go. Default `console`.
 */

/**
 * @typedef {object} LocalIssuer
 * @property {string} issuer Issuer identifier, e.g. `http://localhost:3001/oidc`.
 * @property {string} url Origin the issuer serves on, e.g. `http://localhost:3001`.
 * @property {string} clientId The app's client id.
 * @property {string} clientSecret The app's client secret (`client_secret_basic`).
 * @property {string} apiResource Indicator of the registered API resource.
 * @property {string} scopes The scopes an app asks this tenant for (AUTH_LOGTO_SCOPES), space-separated.
 * @property {string | null} backchannelLogoutUri Where logout tokens are sent, if anywhere.
 * @property {'1.37' | '1.42'} logtoVersion The Logto release it mimics.
 * @property {() => Promise<void>} close Stops listening and writes pending grants to disk.
 */

/**
 * Starts the Logto-like development issuer and resolves once it accepts connections.
 * @param {LocalIssuerOptions} [options]
 * @returns {Promise<LocalIssuer>}
 */
export async function startLocalIssuer({
  port = 3001,
  host = 'localhost',
  dataDir = DEFAULT_DATA_DIR,
  appUrl = 'http://localhost:3000',
  accessTokenTtl = 3600,
  refreshTokenTtl = DEFAULT_REFRESH_TOKEN_TTL,
  apiResource = DEFAULT_API_RESOURCE,
  backchannelLogoutUri = defaultBackchannelLogoutUri(appUrl),
  backchannelLogoutSessionRequired = true,
  logtoVersion = DEFAULT_LOGTO_VERSION,
  accessDeniedUsers = [],
  kakaoSignUp = 'linked',
  logger = console,
} = {}) {
  for (const [name, seconds] of Object.entries({ accessTokenTtl, refreshTokenTtl })) {
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw new TypeError(`${name} must be a positive whole number of seconds, got ${seconds}`);
    }
  }
  const behaviour = behaviourOf(logtoVersion);
  if (accessDeniedUsers.length > 0 && !behaviour.appLevelAccessControl) {
    throw new TypeError(`accessDeniedUsers needs app-level access control, which Logto added in 1.41 (logtoVersion ${logtoVersion})`);
  }

  const state = await loadIssuerState({
    dataDir,
    appUrl,
    backchannelLogout: { uri: backchannelLogoutUri, sessionRequired: backchannelLogoutSessionRequired },
  });
  const storage = createFileAdapter(join(dataDir, 'store.json'), { onError: (error) => logger.error(error) });
  const users = createUserDirectory({ dataDir, kakaoSignUp });
  const unknown = accessDeniedUsers.filter((sub) => !users.findById(sub));
  if (unknown.length > 0) {
    throw new TypeError(`accessDeniedUsers names no user: ${unknown.join(', ')} (give user ids, e.g. bob-demo)`);
  }
  const accessControl = createAppAccessControl({ enabled: behaviour.appLevelAccessControl, deniedUsers: accessDeniedUsers });

  // The issuer URL needs the bound port, which is only known once listening (port 0), so requests
  // reach the provider through this variable, set right after.
  /** @type {import('node:http').RequestListener | undefined} */
  let listener;
  const server = await listenOnLoopback({ host, port }, (req, res) => {
    if (listener) listener(req, res);
    else res.writeHead(503, { 'retry-after': '1' }).end();
  });

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  const issuer = `${url}${OIDC_MOUNT_PATH}`;
  try {
    const provider = new Provider(
      issuer,
      createProviderConfig({
        state,
        adapter: storage.adapter,
        findAccount: createFindAccount(url, users),
        accessTokenTtl,
        refreshTokenTtl,
        apiResource,
        behaviour,
        accessControl,
      }),
    );
    const signingJwk = state.jwks.keys[0];
    installLogtoRefreshTokenGrant(provider, { accessTokenTtl, accessControl });
    await installLogtoLogoutTokens(provider, { signingJwk, withExp: behaviour.logoutTokenExp });
    if (logtoVersion === '1.37') await installLogto137Behaviour(provider, { signingJwk });
    provider.on('server_error', (_ctx, error) => logger.error(error));
    // Counted for GET /admin/metrics: tests check how often the app refreshed, and whether a grant was revoked.
    const metrics = { grants: {}, grantErrors: 0, revokedGrants: 0 };
    provider.on('grant.success', (ctx) => {
      const type = ctx.oidc.params.grant_type;
      metrics.grants[type] = (metrics.grants[type] ?? 0) + 1;
    });
    provider.on('grant.error', () => (metrics.grantErrors += 1));
    provider.on('grant.revoked', () => (metrics.revokedGrants += 1));
    provider.on('backchannel.success', (_ctx, client, sub) =>
      logger.info(`back-channel logout of ${sub} delivered to ${client.backchannelLogoutUri}`),
    );
    provider.on('backchannel.error', (_ctx, error, client, sub) =>
      logger.warn(`back-channel logout of ${sub} to ${client.backchannelLogoutUri} failed: ${error.message}`),
    );
    listener = createRequestListener({
      oidcCallback: provider.callback(),
      handleInteraction: createInteractionHandler(provider, { users, accessControl, logger }),
      handleAdmin: createAdminHandler({
        endSessionsOf: (sub) => endSessionsOf(provider, storage.list('Session'), sub),
        metrics: () => structuredClone(metrics),
        users,
        accessControl,
      }),
      onError: (error) => logger.error(error),
    });
  } catch (error) {
    await server.close();
    throw error;
  }

  return {
    issuer,
    url,
    clientId: state.client.client_id,
    clientSecret: state.client.client_secret,
    apiResource,
    scopes: APP_SCOPES.join(' '),
    backchannelLogoutUri,
    logtoVersion,
    close: async () => {
      await server.close();
      await storage.flush();
    },
  };
}
