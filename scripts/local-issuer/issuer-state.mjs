import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

import { ensureDataDir, readJson, readOrCreateJson, writeJsonSync } from './data-dir.mjs';

/**
 * @typedef {object} ClientRegistration The app's registration, as kept in `client.json`.
 * @property {string} client_id
 * @property {string} client_secret
 * @property {string[]} redirect_uris
 * @property {string[]} post_logout_redirect_uris
 * @property {string} [backchannel_logout_uri] Where logout tokens go (Logto Console: "Backchannel logout URI").
 * @property {boolean} [backchannel_logout_session_required] Logto Console: "Is session required"; adds `sid`.
 */

/**
 * @typedef {object} BackchannelLogoutSettings
 * @property {string | null} uri The app's receiver; `null` registers none.
 * @property {boolean} sessionRequired Whether logout tokens and ID tokens carry `sid`.
 */

/**
 * @typedef {object} IssuerState
 * @property {{ keys: import('jose').JWK[] }} jwks Private signing keys (`keys.json`).
 * @property {string[]} cookieKeys Keys that sign the issuer's cookies (`cookie-keys.json`).
 * @property {ClientRegistration} client The app's registration (`client.json`).
 */

/** The callback path of next-auth's `logto` provider, relative to the app URL. */
export const CALLBACK_PATH = '/api/auth/callback/logto';

/** The path of the app's back-channel logout receiver, relative to the app URL. */
export const BACKCHANNEL_LOGOUT_PATH = '/api/auth/backchannel-logout';

/**
 * Loads the signing keys, cookie keys and client registration from `dataDir`, creating them on
 * first start. When `appUrl` or the back-channel logout settings changed since the last start,
 * the registration follows them.
 * @param {{ dataDir: string, appUrl: string, backchannelLogout: BackchannelLogoutSettings }} input
 */
export async function loadIssuerState({ dataDir, appUrl, backchannelLogout }) {
  ensureDataDir(dataDir);

  const keysFile = join(dataDir, 'keys.json');
  let jwks = readJson(keysFile);
  if (jwks === undefined) {
    jwks = { keys: [await generateSigningKey()] };
    writeJsonSync(keysFile, jwks);
  }

  const cookieKeys = readOrCreateJson(join(dataDir, 'cookie-keys.json'), () => [
    randomBytes(32).toString('base64url'),
  ]);

  const clientFile = join(dataDir, 'client.json');
  const stored = readJson(clientFile);
  const client = {
    client_id: stored?.client_id ?? randomLowercaseId(21),
    client_secret: stored?.client_secret ?? randomBytes(32).toString('base64url'),
    ...clientUris(appUrl),
    ...(backchannelLogout.uri && {
      backchannel_logout_uri: backchannelLogout.uri,
      backchannel_logout_session_required: backchannelLogout.sessionRequired,
    }),
  };
  if (JSON.stringify(stored) !== JSON.stringify(client)) writeJsonSync(clientFile, client);

  return { jwks, cookieKeys, client };
}

/** The redirect and post-logout URIs registered for an app served at `appUrl`. */
function clientUris(appUrl) {
  const origin = new URL(appUrl).origin;
  return {
    redirect_uris: [`${origin}${CALLBACK_PATH}`],
    post_logout_redirect_uris: [origin, `${origin}/`],
  };
}

async function generateSigningKey() {
  const { privateKey } = await generateKeyPair('ES384', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES384', use: 'sig' };
}

// Logto application IDs are 21 characters of lowercase letters and digits.
function randomLowercaseId(length) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
