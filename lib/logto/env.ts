/** Signing algorithms an OpenID Provider can really sign an id_token with: no `none`, no HS* (RFC 7518 §3.1). */
export const ID_TOKEN_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;

/** One of {@link ID_TOKEN_ALGORITHMS}. */
export type IdTokenAlgorithm = (typeof ID_TOKEN_ALGORITHMS)[number];

/** The validated environment the Logto kit runs with. */
export interface LogtoEnv {
  /** Your Logto endpoint followed by `/oidc`, e.g. `https://your-tenant.logto.app/oidc`. */
  AUTH_LOGTO_ISSUER: string;
  AUTH_LOGTO_ID: string;
  AUTH_LOGTO_SECRET: string;
  /** The alg Logto signs id_tokens with; ES384 unless the tenant rotated to RSA keys. */
  AUTH_LOGTO_ID_TOKEN_ALG: IdTokenAlgorithm;
  /** Where the app runs, without a trailing slash. */
  NEXTAUTH_URL: string;
  /** Encrypts the session cookie and signs CSRF tokens; at least 32 characters. */
  NEXTAUTH_SECRET: string;
}

/** Thrown when the environment is incomplete; its message names every bad variable and the fix. */
export class LogtoEnvError extends Error {
  override name = 'LogtoEnvError';
}

/** A check of one variable's (non-empty) value: an error phrase such as "must be an http(s) URL", or undefined. */
type Check = (value: string) => string | undefined;

const httpUrl: Check = (value) => {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:' ? undefined : 'must be an http(s) URL';
  } catch {
    return 'must be an http(s) URL';
  }
};

const required: Record<Exclude<keyof LogtoEnv, 'AUTH_LOGTO_ID_TOKEN_ALG'>, Check[]> = {
  AUTH_LOGTO_ISSUER: [
    httpUrl,
    (value) =>
      /\/oidc$/.test(value)
        ? undefined
        : 'must be your Logto endpoint followed by /oidc, e.g. https://your-tenant.logto.app/oidc',
  ],
  AUTH_LOGTO_ID: [(value) => (value.trim() ? undefined : 'is blank')],
  AUTH_LOGTO_SECRET: [(value) => (value.trim() ? undefined : 'is blank')],
  NEXTAUTH_URL: [httpUrl],
  // Required in development too: sign-out verifies next-auth's CSRF token and reads the session with it.
  NEXTAUTH_SECRET: [(value) => (value.length >= 32 ? undefined : 'must be at least 32 characters (openssl rand -base64 32)')],
};

const idTokenAlg: Check = (value) =>
  (ID_TOKEN_ALGORITHMS as readonly string[]).includes(value)
    ? undefined
    : `must be one of ${ID_TOKEN_ALGORITHMS.join(', ')} (Logto signs with ES384 unless you rotated to RSA keys)`;

/**
 * Validates the Logto and next-auth variables of `source` (normally `process.env`); an empty value counts
 * as missing, as in create-t3-app. Throws one {@link LogtoEnvError} naming every bad variable.
 * @see https://docs.logto.io/quick-starts/next-auth
 */
export function readLogtoEnv(source: Record<string, string | undefined> = process.env): LogtoEnv {
  const problems: string[] = [];
  const read = (name: string, checks: Check[]): string => {
    const value = source[name];
    if (value === undefined || value === '') {
      problems.push(`  - ${name} ${value === undefined ? 'is missing' : 'is empty (an empty value counts as missing)'}`);
      return '';
    }
    const problem = checks.map((check) => check(value)).find(Boolean);
    if (problem) problems.push(`  - ${name} ${problem}`);
    return value;
  };
  const values = Object.fromEntries(
    Object.entries(required).map(([name, checks]) => [name, read(name, checks)]),
  ) as Omit<LogtoEnv, 'AUTH_LOGTO_ID_TOKEN_ALG'>;
  const alg = source.AUTH_LOGTO_ID_TOKEN_ALG ? read('AUTH_LOGTO_ID_TOKEN_ALG', [idTokenAlg]) : 'ES384';
  if (problems.length > 0) {
    throw new LogtoEnvError(
      `Invalid environment for Logto sign-in:\n${problems.join('\n')}\n` +
        'Set these in .env.local (see .env.example for what each one means).',
    );
  }
  return {
    ...values,
    AUTH_LOGTO_ID_TOKEN_ALG: alg as IdTokenAlgorithm,
    NEXTAUTH_URL: values.NEXTAUTH_URL.replace(/\/$/, ''),
  };
}
