import { DEFAULT_API_RESOURCE } from './demo-tenant.mjs';
import { BACKCHANNEL_LOGOUT_PATH } from './issuer-state.mjs';
import { DEFAULT_LOGTO_VERSION, LOGTO_VERSIONS, behaviourOf } from './logto-version.mjs';
import { KAKAO_SIGN_UP_MODES } from './user-directory.mjs';

/** Logto's refresh-token lifetime for a "Traditional web" app (Console default: 14 days), in seconds. */
export const DEFAULT_REFRESH_TOKEN_TTL = 14 * 24 * 60 * 60;

/**
 * @typedef {object} IssuerEnv
 * @property {number} port From `LOCAL_ISSUER_PORT`; default 3001.
 * @property {number} accessTokenTtl Seconds, from `LOCAL_ISSUER_ACCESS_TOKEN_TTL`; default 3600.
 * @property {string} appUrl From `NEXTAUTH_URL`; default `http://localhost:3000`.
 * @property {string} apiResource From `LOCAL_ISSUER_API_RESOURCE`; default `https://api.books.example.com`.
 * @property {string | null} backchannelLogoutUri From `LOCAL_ISSUER_BACKCHANNEL_LOGOUT_URI`; default
 *   `<app origin>/api/auth/backchannel-logout`; `off` registers none.
 * @property {boolean} backchannelLogoutSessionRequired From
 *   `LOCAL_ISSUER_BACKCHANNEL_LOGOUT_SESSION_REQUIRED` (`true` or `false`); default true.
 * @property {'1.37' | '1.42'} logtoVersion From `LOCAL_ISSUER_LOGTO_VERSION`: the Logto release whose
 *   behaviour the issuer mimics where the two differ (see logto-version.mjs); default `1.42`.
 * @property {number} refreshTokenTtl Seconds, from `LOCAL_ISSUER_REFRESH_TOKEN_TTL`; default 1209600 (14
 *   days, Logto's). A refresh token is rotated only once 70% of it has passed, so tests shorten it.
 * @property {string[]} accessDeniedUsers From `LOCAL_ISSUER_ACCESS_DENIED_USERS`: user ids (`sub`,
 *   comma-separated, e.g. `bob-demo`) whom the app's access control refuses (Logto 1.41+); default none.
 * @property {'linked' | 'username'} kakaoSignUp From `LOCAL_ISSUER_KAKAO_SIGN_UP`: `linked` (default), the
 *   Kakao account is already the demo user `kakao-demo`; `username`, it is new and its first sign-in asks
 *   for a username, as Logto does with the sign-up identifier "Username".
 */

/**
 * Reads the local issuer's settings from `env`, failing fast with the variable's name.
 * Empty strings count as missing.
 * @returns {IssuerEnv}
 */
export function readIssuerEnv(env = process.env) {
  const appUrl = httpUrl(env, 'NEXTAUTH_URL', 'http://localhost:3000');
  const backchannelLogoutUri =
    env.LOCAL_ISSUER_BACKCHANNEL_LOGOUT_URI === 'off'
      ? null
      : httpUrl(env, 'LOCAL_ISSUER_BACKCHANNEL_LOGOUT_URI', defaultBackchannelLogoutUri(appUrl));
  const logtoVersion = oneOf(env, 'LOCAL_ISSUER_LOGTO_VERSION', LOGTO_VERSIONS, DEFAULT_LOGTO_VERSION);
  const accessDeniedUsers = list(env, 'LOCAL_ISSUER_ACCESS_DENIED_USERS');
  if (accessDeniedUsers.length > 0 && !behaviourOf(logtoVersion).appLevelAccessControl) {
    throw new Error(
      `LOCAL_ISSUER_ACCESS_DENIED_USERS needs app-level access control, which Logto added in 1.41: ` +
        `unset it, or set LOCAL_ISSUER_LOGTO_VERSION=1.42 (got ${logtoVersion})`,
    );
  }
  return {
    port: wholeNumber(env, 'LOCAL_ISSUER_PORT', 3001, { min: 0, max: 65535 }),
    accessTokenTtl: wholeNumber(env, 'LOCAL_ISSUER_ACCESS_TOKEN_TTL', 3600, { min: 1 }),
    appUrl,
    apiResource: resourceIndicator(env, 'LOCAL_ISSUER_API_RESOURCE', DEFAULT_API_RESOURCE),
    backchannelLogoutUri,
    backchannelLogoutSessionRequired: flag(env, 'LOCAL_ISSUER_BACKCHANNEL_LOGOUT_SESSION_REQUIRED', true),
    logtoVersion,
    refreshTokenTtl: wholeNumber(env, 'LOCAL_ISSUER_REFRESH_TOKEN_TTL', DEFAULT_REFRESH_TOKEN_TTL, { min: 1 }),
    accessDeniedUsers,
    kakaoSignUp: oneOf(env, 'LOCAL_ISSUER_KAKAO_SIGN_UP', KAKAO_SIGN_UP_MODES, 'linked'),
  };
}

/** Where the app at `appUrl` receives logout tokens: `<origin>/api/auth/backchannel-logout`. */
export function defaultBackchannelLogoutUri(appUrl) {
  return `${new URL(appUrl).origin}${BACKCHANNEL_LOGOUT_PATH}`;
}

function wholeNumber(env, name, fallback, { min, max = Number.MAX_SAFE_INTEGER }) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function httpUrl(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const url = URL.parse(raw);
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function flag(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be "true" or "false", got "${raw}"`);
  return raw === 'true';
}

function oneOf(env, name, allowed, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

function list(env, name) {
  const raw = env[name];
  if (raw === undefined || raw === '') return [];
  const values = raw.split(',').map((value) => value.trim());
  if (values.some((value) => value === '')) {
    throw new Error(`${name} must be a comma-separated list without empty entries, e.g. bob-demo,kakao-demo; got "${raw}"`);
  }
  return values;
}

// RFC 8707 §2: a resource indicator is an absolute URI without a fragment.
function resourceIndicator(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const url = URL.parse(raw);
  if (!url || raw.includes('#')) {
    throw new Error(`${name} must be an absolute URI without a fragment (RFC 8707), e.g. ${fallback}; got "${raw}"`);
  }
  return raw;
}
