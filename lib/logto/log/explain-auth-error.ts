import { CLOCK_SKEW_SECONDS } from '../oidc/time-claims';

/** What went wrong in a failed sign-in, for the server log: the cause and the fix. */
export interface AuthErrorExplanation {
  cause: string;
  fix: string;
}

type Rule = [RegExp, (match: RegExpMatchArray) => AuthErrorExplanation];

// next-auth v4 logs adapter failures as `adapter_error_<method>` and session reads as SESSION_ERROR (database
// sessions); the kit's account store logs LOGTO_DATABASE_ERROR.
const DATABASE_CODES = /^(adapter_error_|SESSION_ERROR$|LOGTO_DATABASE_ERROR$)/;
const DATABASE_EXPLANATION: AuthErrorExplanation = {
  cause: 'the database of the sessions (the adapter\'s, where the kit keeps Logto\'s tokens too) did not answer or refused the query',
  fix: 'check that the database runs and that DATABASE_URL (your adapter\'s connection) points at it; sessions are kept and come back once it answers',
};

const rules: Rule[] = [
  // First: the store's own failure (e.g. ECONNREFUSED from Redis) would otherwise read as Logto's.
  [
    /the sign-out could not be recorded in the session revocation store/,
    () => ({
      cause:
        'the session revocation store (Redis at REDIS_URL, or the `revocations` option) did not take the sign-out: the cookie is ' +
        'cleared and Logto was told, but a copy of the old cookie still reads as signed in on the other instances',
      fix: 'check that Redis is up and reachable from every instance (REDIS_URL); this instance remembers the sign-out meanwhile',
    }),
  ],
  [
    /unexpected JWT alg received, expected (\S+), got: (\S+)/,
    ([, expected, got = '']) => ({
      cause: `Logto signed the ID token with ${got} but this app expects ${expected}`,
      // An unsigned (`none`) or client-secret (HS*) id_token is never accepted: AUTH_LOGTO_ID_TOKEN_ALG refuses them.
      fix: /^(none|HS\d+)$/.test(got)
        ? 'nothing to configure: this app never accepts unsigned or HS* ID tokens; check AUTH_LOGTO_ISSUER points at your Logto tenant'
        : `set AUTH_LOGTO_ID_TOKEN_ALG=${got} in .env.local if your tenant really signs with ${got} (Logto signs with ES384 by default)`,
    }),
  ],
  [
    /(?:iss mismatch|unexpected iss value), expected (\S+), got: (\S+)/,
    ([, expected, got]) => ({
      cause: `the token was issued by ${got}, not by ${expected}`,
      fix: 'check AUTH_LOGTO_ISSUER: it must be your Logto endpoint followed by /oidc',
    }),
  ],
  [
    /aud mismatch|aud is missing the client_id|azp mismatch|azp must be the client_id|missing required JWT property azp/,
    () => ({
      cause: 'the ID token was issued for another application',
      fix: 'check that AUTH_LOGTO_ID is the App ID of this Logto application',
    }),
  ],
  [
    /invalid_client/,
    () => ({
      cause: 'Logto rejected the client credentials',
      fix: 'check AUTH_LOGTO_ID and AUTH_LOGTO_SECRET against the Logto Console (Applications → your app)',
    }),
  ],
  [
    /redirect_uri/,
    () => ({
      cause: 'Logto rejected the redirect URI',
      fix: 'register <NEXTAUTH_URL>/api/auth/callback/logto as a redirect URI of the Logto application',
    }),
  ],
  [
    // Logto >= 1.41 refuses every grant of a user its app-level access control denies with exactly this description
    // (core/src/oidc/application-access-control.ts); `access_denied` alone is also a cancel at Logto.
    /access_denied.*Access denied\.|Access denied\..*access_denied|may not use this app/,
    () => ({
      cause: "Logto's app-level access control refuses this user",
      fix: 'allow the user (or a role of theirs) in Logto Console → Applications → this app → Rules, if they should use the app',
    }),
  ],
  [
    /access_denied/,
    () => ({ cause: 'the user cancelled the sign-in or was denied access at Logto', fix: 'nothing to fix; the user can retry' }),
  ],
  [
    /state mismatch|state missing|checks\.state|State cookie was missing|PKCE code_verifier cookie was missing|[Nn]once cookie was missing/,
    () => ({
      cause: 'the callback does not belong to a sign-in started in this browser (state/PKCE/nonce cookie missing or mismatched)',
      fix: 'start the sign-in again; if it keeps failing, make NEXTAUTH_URL match the address in the browser',
    }),
  ],
  [
    /nonce mismatch|missing required JWT property nonce/,
    () => ({ cause: 'the ID token nonce does not match this sign-in', fix: 'start the sign-in again' }),
  ],
  [
    /time claim auth_time refused: the user signed in .* longer than max_age|too much time has elapsed since the last End-User authentication/,
    () => ({
      cause: "the user's sign-in at Logto is older than the max_age this app asks for",
      fix: 'nothing to configure if max_age is intended: the user signs in again (send prompt=login with max_age to make Logto ask); else raise or drop max_age in the provider\'s authorization params',
    }),
  ],
  [
    /time claim (exp|iat|nbf|auth_time) refused: the token has no|missing required JWT property (exp|iat|auth_time)|JWT (exp|iat|nbf|auth_time) claim must be|time claim (exp|iat|nbf|auth_time) refused: the token's/,
    (match) => ({
      cause: `the ID token's \`${match[1] ?? match[2] ?? match[3] ?? match[4]}\` claim is missing or not a number of seconds`,
      fix: 'check that AUTH_LOGTO_ISSUER points at your Logto tenant',
    }),
  ],
  [
    /time claim (exp|iat|nbf|auth_time) refused|JWT expired|jwt expired|JWT issued in the future|JWT not active yet|"exp"/,
    (match) => ({
      cause: match[1]
        ? `the ID token's \`${match[1]}\` claim does not fit this server's clock, even with the ${CLOCK_SKEW_SECONDS} s allowed skew`
        : 'the ID token is expired or not yet valid',
      fix: "check that the server's clock is right (NTP)",
    }),
  ],
  [
    /failed to validate JWT signature|no valid key found/,
    () => ({
      cause: "the ID token signature does not match any key in Logto's JWKS",
      fix: 'check AUTH_LOGTO_ISSUER points at the tenant that issued the token',
    }),
  ],
  [
    /invalid_grant/,
    () => ({
      cause: 'Logto refused the grant (code or refresh token used, expired or revoked)',
      fix: 'sign in again',
    }),
  ],
  [
    /missing required JWT property (\w+)/,
    ([, claim]) => ({
      cause: `the ID token has no \`${claim}\` claim, which OpenID Connect requires`,
      fix: 'check that AUTH_LOGTO_ISSUER points at your Logto tenant',
    }),
  ],
  [
    /names the issuer/,
    () => ({ cause: 'the discovery document belongs to another issuer', fix: 'set AUTH_LOGTO_ISSUER to your Logto endpoint followed by /oidc' }),
  ],
  [
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|outgoing request timed out|socket hang up|expected 200 OK|server_error|temporarily_unavailable/,
    () => ({
      cause: 'Logto could not be reached or answered with an error',
      fix: 'check AUTH_LOGTO_ISSUER and that the server can reach it',
    }),
  ],
];

/**
 * Turns an error from next-auth / openid-client into a cause and a fix a developer can act on,
 * or undefined when it is not one we know.
 */
export function explainAuthError(error: unknown, code?: string): AuthErrorExplanation | undefined {
  const text = describeError(error);
  // A database's ECONNREFUSED must not read as Logto's: next-auth names adapter failures by their code.
  if ((code !== undefined && DATABASE_CODES.test(code)) || /\bAdapterError\b/.test(text)) return DATABASE_EXPLANATION;
  for (const [pattern, explain] of rules) {
    const match = text.match(pattern);
    if (match) return explain(match);
  }
  return undefined;
}

/** The messages of an error and its causes, joined: next-auth wraps openid-client's errors. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message);
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string') parts.push(code);
      current = current.cause;
    } else if (typeof current === 'object' && 'error' in current) {
      current = current.error;
    } else if (typeof current === 'object' && typeof (current as { message?: unknown }).message === 'string') {
      // next-auth/react reports client errors as plain `{ message }` objects.
      parts.push((current as { message: string }).message);
      break;
    } else {
      parts.push(plainText(current));
      break;
    }
  }
  return parts.join(' ← ');
}

/** A value that is no error as text: strings as they are, objects as JSON, others by their type. */
function plainText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return value.toString();
    case 'object':
      return JSON.stringify(value);
    default:
      return typeof value;
  }
}
