#!/usr/bin/env node
// Starts scripts/local-issuer for one compatibility cell and prints one JSON line on stdout:
// `{"issuer":…,"url":…,"clients":[{"clientId":…,"clientSecret":…},…]}`.
//
// A cell may serve next-auth under a basePath or a NEXTAUTH_URL with a path, and may sign in through more
// than one OAuth client, so it registers its own applications, as a team does in the Logto Console:
// COMPAT_ISSUER_CLIENTS is a JSON array of `{ "redirect_uris": [...], "post_logout_redirect_uris": [...] }`, each
// optionally with `backchannel_logout_uri` (sent with "Is session required" on, so logout tokens carry `sid`).
// They are stored through the issuer's adapter before it starts (oidc-provider looks up a client id it
// has no static registration for in the adapter's `Client` model), so the issuer itself runs unchanged.
//
// Reads COMPAT_ISSUER_DATA_DIR (a throwaway folder) and COMPAT_ISSUER_CLIENTS. Listens on a free port of
// 127.0.0.1. Stops on SIGTERM or SIGINT, and when its stdin closes, so an orphan never outlives the runner.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startLocalIssuer } from '../local-issuer/index.mjs';

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

  // The metadata of the issuer's own registration (scripts/local-issuer/provider-config.mjs), with this
  // cell's URIs: a Logto "Traditional web" application.
  const clients = registrations.map(({ redirect_uris, post_logout_redirect_uris, backchannel_logout_uri }, index) => ({
    client_id: `compat-app-${index + 1}`,
    client_secret: randomBytes(32).toString('base64url'),
    client_name: `Compatibility cell app ${index + 1}`,
    redirect_uris,
    post_logout_redirect_uris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES384',
    ...(backchannel_logout_uri && { backchannel_logout_uri, backchannel_logout_session_required: true }),
  }));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = Object.fromEntries(
    clients.map((client) => [`Client:${client.client_id}`, { payload: client, expiresAt: null }]),
  );
  writeFileSync(join(dataDir, 'store.json'), JSON.stringify(store), { mode: 0o600 });

  const appOrigin = new URL(registrations[0].redirect_uris[0]).origin;
  const issuer = await startLocalIssuer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    appUrl: appOrigin,
    backchannelLogoutUri: null,
    logger,
  });
  const handshake = {
    issuer: issuer.issuer,
    url: issuer.url,
    clients: clients.map((client) => ({ clientId: client.client_id, clientSecret: client.client_secret })),
  };
  process.stdout.write(`${JSON.stringify(handshake)}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    issuer.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
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
