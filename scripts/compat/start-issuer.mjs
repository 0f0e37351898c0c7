#!/usr/bin/env node
// Starts scripts/local-issuer for one compatibility cell and prints one JSON line on stdout:
// `{"issuer":…,"url":…,"clients":[{"clientId":…,"clientSecret":…},…]}`.
//
// Unlike scripts/local-issuer/index.mjs, which registers one client at `<NEXTAUTH_URL origin>/api/auth`,
// a cell may serve next-auth under a basePath or a NEXTAUTH_URL with a path, and may sign in through a
// second OAuth client: COMPAT_ISSUER_CLIENTS is a JSON array of
// `{ "redirect_uris": [...], "post_logout_redirect_uris": [...] }`, one per client; the first one is
// the Logto app. It composes the local issuer from the same modules, so it answers the same way.
//
// Reads COMPAT_ISSUER_DATA_DIR (a throwaway folder) and COMPAT_ISSUER_CLIENTS. Listens on a free port of
// 127.0.0.1. Stops on SIGTERM or SIGINT, and when its stdin closes, so an orphan never outlives the runner.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { Provider } from 'oidc-provider';

import { createFileAdapter } from '../local-issuer/file-adapter.mjs';
import { OIDC_MOUNT_PATH, createRequestListener, listenOnLoopback } from '../local-issuer/http-server.mjs';
import { createInteractionHandler } from '../local-issuer/interaction-routes.mjs';
import { loadIssuerState } from '../local-issuer/issuer-state.mjs';
import { createFindAccount } from '../local-issuer/logto-claims.mjs';
import { createProviderConfig } from '../local-issuer/provider-config.mjs';

const HOST = '127.0.0.1';
const logger = {
  info: (...args) => console.error('[local-issuer]', ...args),
  warn: (...args) => console.error('[local-issuer]', ...args),
  error: (...args) => console.error('[local-issuer]', ...args),
};

try {
  const dataDir = required('COMPAT_ISSUER_DATA_DIR');
  const registrations = JSON.parse(required('COMPAT_ISSUER_CLIENTS'));
  if (!Array.isArray(registrations) || registrations.length === 0) {
    throw new Error('COMPAT_ISSUER_CLIENTS must be a non-empty JSON array');
  }

  const server = await listenOnLoopbackLater();
  const url = `http://${HOST}:${server.port}`;
  const issuer = `${url}${OIDC_MOUNT_PATH}`;

  const state = await loadIssuerState({ dataDir, appUrl: new URL(registrations[0].redirect_uris[0]).origin });
  state.client = { ...state.client, ...uris(registrations[0]) };
  const config = createProviderConfig({
    state,
    adapter: createFileAdapter(join(dataDir, 'store.json'), { onError: logger.error }).adapter,
    findAccount: createFindAccount(url),
    accessTokenTtl: 3600,
  });
  const extraClients = registrations.slice(1).map((registration, index) => ({
    ...config.clients[0],
    client_id: `compat-client-${index + 2}`,
    client_secret: randomBytes(32).toString('base64url'),
    ...uris(registration),
  }));
  config.clients.push(...extraClients);

  const provider = new Provider(issuer, config);
  provider.on('server_error', (_ctx, error) => logger.error(error));
  server.setListener(
    createRequestListener({
      oidcCallback: provider.callback(),
      handleInteraction: createInteractionHandler(provider, { logger }),
    }),
  );

  const clients = config.clients.map((client) => ({ clientId: client.client_id, clientSecret: client.client_secret }));
  process.stdout.write(`${JSON.stringify({ issuer, url, clients })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop).on('error', stop).resume();
} catch (error) {
  console.error(`start-issuer.mjs: could not start the local issuer: ${error.message}`);
  process.exit(1);
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

function uris({ redirect_uris, post_logout_redirect_uris }) {
  return { redirect_uris, post_logout_redirect_uris };
}

// The issuer URL needs the bound port, known only once listening, so requests reach the provider through
// a listener set right after (as scripts/local-issuer/index.mjs does).
async function listenOnLoopbackLater() {
  let listener;
  const server = await listenOnLoopback({ host: HOST, port: 0 }, (req, res) => {
    if (listener) listener(req, res);
    else res.writeHead(503, { 'retry-after': '1' }).end();
  });
  return { ...server, setListener: (next) => (listener = next) };
}
