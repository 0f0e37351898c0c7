import { join } from 'node:path';

import { Provider } from 'oidc-provider';

import { DEFAULT_DATA_DIR } from './data-dir.mjs';
import { createFileAdapter } from './file-adapter.mjs';
import { OIDC_MOUNT_PATH, createRequestListener, listenOnLoopback } from './http-server.mjs';
import { createInteractionHandler } from './interaction-routes.mjs';
import { loadIssuerState } from './issuer-state.mjs';
import { createFindAccount } from './logto-claims.mjs';
import { createProviderConfig } from './provider-config.mjs';

export { DEFAULT_DATA_DIR } from './data-dir.mjs';
export { DEMO_USERS, passwordUsers } from './demo-users.mjs';

/** @typedef {Pick<Console, 'info' | 'warn' | 'error'>} Logger */

/**
 * @typedef {object} LocalIssuerOptions
 * @property {number} [port] Port to listen on; 0 picks a free one. Default 3001.
 * @property {string} [host] Host name in the issuer URL, and where to listen: `localhost` (default)
 *   listens on 127.0.0.1 and ::1; an IP address listens on that address only.
 * @property {string} [dataDir] Folder for keys, client registration and grants. Default `.local-issuer/`.
 * @property {string} [appUrl] Base URL of the Next.js app. Default `http://localhost:3000`.
 * @property {number} [accessTokenTtl] Access-token lifetime in seconds. Default 3600, as Logto's.
 * @property {Logger} [logger] Where server errors go. Default `console`.
 */

/**
 * @typedef {object} LocalIssuer
 * @property {string} issuer Issuer identifier, e.g. `http://localhost:3001/oidc`.
 * @property {string} url Origin the issuer serves on, e.g. `http://localhost:3001`.
 * @property {string} clientId The app's client id.
 * @property {string} clientSecret The app's client secret (`client_secret_basic`).
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
  logger = console,
} = {}) {
  if (!Number.isInteger(accessTokenTtl) || accessTokenTtl <= 0) {
    throw new TypeError(`accessTokenTtl must be a positive whole number of seconds, got ${accessTokenTtl}`);
  }

  const state = await loadIssuerState({ dataDir, appUrl });
  const storage = createFileAdapter(join(dataDir, 'store.json'), { onError: (error) => logger.error(error) });

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
        findAccount: createFindAccount(url),
        accessTokenTtl,
      }),
    );
    provider.on('server_error', (_ctx, error) => logger.error(error));
    listener = createRequestListener({
      oidcCallback: provider.callback(),
      handleInteraction: createInteractionHandler(provider, { logger }),
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
    close: async () => {
      await server.close();
      await storage.flush();
    },
  };
}
