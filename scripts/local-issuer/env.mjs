/**
 * @typedef {object} IssuerEnv
 * @property {number} port From `LOCAL_ISSUER_PORT`; default 3001.
 * @property {number} accessTokenTtl Seconds, from `LOCAL_ISSUER_ACCESS_TOKEN_TTL`; default 3600.
 * @property {string} appUrl From `NEXTAUTH_URL`; default `http://localhost:3000`.
 */

/**
 * Reads the local issuer's settings from `env`, failing fast with the variable's name.
 * Empty strings count as missing.
 * @returns {IssuerEnv}
 */
export function readIssuerEnv(env = process.env) {
  return {
    port: wholeNumber(env, 'LOCAL_ISSUER_PORT', 3001, { min: 0, max: 65535 }),
    accessTokenTtl: wholeNumber(env, 'LOCAL_ISSUER_ACCESS_TOKEN_TTL', 3600, { min: 1 }),
    appUrl: httpUrl(env, 'NEXTAUTH_URL', 'http://localhost:3000'),
  };
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
