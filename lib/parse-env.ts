import { z } from 'zod';

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

// An empty `FOO=` line in .env.local means "not set", as in create-t3-app.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const required = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const schema = z
  .object({
    AUTH_LOGTO_ISSUER: required(
      httpUrl.refine((value) => /\/oidc$/.test(value), {
        error: 'must be your Logto endpoint followed by /oidc, e.g. https://your-tenant.logto.app/oidc',
      }),
    ),
    AUTH_LOGTO_ID: required(z.string().trim().min(1, { error: 'is blank' })),
    AUTH_LOGTO_SECRET: required(z.string().trim().min(1, { error: 'is blank' })),
    AUTH_LOGTO_ID_TOKEN_ALG: optional(
      z.enum(ID_TOKEN_ALGORITHMS, {
        error: `must be one of ${ID_TOKEN_ALGORITHMS.join(', ')} (Logto signs with ES384 unless you rotated to RSA keys)`,
      }),
    ),
    NEXTAUTH_URL: required(httpUrl),
    // Required in development too: sign-out verifies next-auth's CSRF token and reads the session with it.
    NEXTAUTH_SECRET: required(z.string().min(32, { error: 'must be at least 32 characters (openssl rand -base64 32)' })),
  });

/** The validated environment the app runs with. */
export interface Env {
  AUTH_LOGTO_ISSUER: string;
  AUTH_LOGTO_ID: string;
  AUTH_LOGTO_SECRET: string;
  /** The alg Logto signs id_tokens with; ES384 unless the tenant rotated to RSA keys. */
  AUTH_LOGTO_ID_TOKEN_ALG: IdTokenAlgorithm;
  NEXTAUTH_URL: string;
  /** Encrypts the session cookie and signs CSRF tokens; at least 32 characters. */
  NEXTAUTH_SECRET: string;
}

/** Thrown when the environment is incomplete; its message names every bad variable and the fix. */
export class EnvError extends Error {
  override name = 'EnvError';
}

/**
 * Validates `source` (normally `process.env`); empty strings count as missing.
 * @see https://docs.logto.io/quick-starts/next-auth
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  - ${name} ${describeIssue(issue, source[name])}`;
    });
    throw new EnvError(
      `Invalid environment for Logto sign-in:\n${lines.join('\n')}\n` +
        'Set these in .env.local (see .env.example for what each one means).',
    );
  }
  const value = result.data;
  return {
    AUTH_LOGTO_ISSUER: value.AUTH_LOGTO_ISSUER,
    AUTH_LOGTO_ID: value.AUTH_LOGTO_ID,
    AUTH_LOGTO_SECRET: value.AUTH_LOGTO_SECRET,
    AUTH_LOGTO_ID_TOKEN_ALG: value.AUTH_LOGTO_ID_TOKEN_ALG ?? 'ES384',
    NEXTAUTH_URL: value.NEXTAUTH_URL.replace(/\/$/, ''),
    NEXTAUTH_SECRET: value.NEXTAUTH_SECRET,
  };
}

function describeIssue(issue: z.core.$ZodIssue, raw: string | undefined): string {
  if (issue.code !== 'invalid_type') return issue.message;
  return raw === undefined ? 'is missing' : 'is empty (an empty value counts as missing)';
}
