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
  /** API resource indicators (RFC 8707) sent as `resource` at sign-in; empty when unset. */
  AUTH_LOGTO_RESOURCES: string[];
  /** Scopes asked for besides `openid offline_access profile email`, e.g. `read:books roles`; empty when unset. */
  AUTH_LOGTO_SCOPES: string[];
  /** The resource this app's own API serves (`/api/books`); defaults to the first of AUTH_LOGTO_RESOURCES. */
  AUTH_LOGTO_API_RESOURCE?: string;
}

/** One bad variable of a {@link LogtoEnvError}: its name and what is wrong, e.g. `is missing`. */
export interface LogtoEnvProblem {
  name: string;
  problem: string;
}

/**
 * Thrown when the environment is incomplete; its message names every bad variable and the fix, and
 * `problems` lists the same, one entry per bad variable, for tools that report them (such as the kit repository's doctor).
 */
export class LogtoEnvError extends Error {
  override name = 'LogtoEnvError';
  readonly problems: LogtoEnvProblem[];

  constructor(problems: LogtoEnvProblem[]) {
    super(
      `Invalid environment for Logto sign-in:\n${problems.map(({ name, problem }) => `  - ${name} ${problem}`).join('\n')}\n` +
        'Set these in .env.local (see .env.example for what each one means).',
    );
    this.problems = problems;
  }
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

type OptionalName = 'AUTH_LOGTO_ID_TOKEN_ALG' | 'AUTH_LOGTO_RESOURCES' | 'AUTH_LOGTO_SCOPES' | 'AUTH_LOGTO_API_RESOURCE';

const required: Record<Exclude<keyof LogtoEnv, OptionalName>, Check[]> = {
  AUTH_LOGTO_ISSUER: [
    httpUrl,
    (value) =>
      value.endsWith("/oidc")
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

// RFC 8707 §2: "The value of the resource parameter MUST be an absolute URI ... MUST NOT include a fragment
// component." Logto's own indicators are URLs (https://api.example.com) or URNs (urn:logto:resource:organizations).
const resourceIndicator: Check = (value) => {
  try {
    const url = new URL(value);
    if (url.hash || value.includes('#')) return `has a fragment in "${value}" (RFC 8707 forbids one)`;
    return /^[a-z][a-z0-9+.-]*:/i.test(value) ? undefined : `has "${value}", which is not an absolute URI`;
  } catch {
    return `has "${value}", which is not an absolute URI (e.g. https://api.example.com, as in Logto Console → API resources)`;
  }
};

const resourceList: Check = (value) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .map((entry) => (entry ? resourceIndicator(entry) : 'has an empty entry (separate indicators with single commas)'))
    .find(Boolean);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by spaces.
const scopeList: Check = (value) => {
  const bad = value.split(/\s+/).find((scope) => scope && !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope));
  return bad === undefined ? undefined : `has "${bad}": scopes are space-separated, without quotes or backslashes (RFC 6749 §3.3)`;
};

/**
 * The resource indicators of an AUTH_LOGTO_RESOURCES value, as {@link readLogtoEnv} reads them: comma-separated,
 * trimmed; empty for an empty value. It does not validate them (readLogtoEnv does).
 */
export const splitResources = (value: string): string[] => (value ? value.split(',').map((entry) => entry.trim()) : []);
const splitScopes = (value: string): string[] => value.split(/\s+/).filter(Boolean);

/**
 * Validates the Logto and next-auth variables of `source` (normally `process.env`); an empty value counts
 * as missing, as in create-t3-app. Throws one {@link LogtoEnvError} naming every bad variable.
 * @see https://docs.logto.io/quick-starts/next-auth
 */
export function readLogtoEnv(source: Record<string, string | undefined> = process.env): LogtoEnv {
  const problems: LogtoEnvProblem[] = [];
  const read = (name: string, checks: Check[]): string => {
    const value = source[name];
    if (value === undefined || value === '') {
      problems.push({ name, problem: value === undefined ? 'is missing' : 'is empty (an empty value counts as missing)' });
      return '';
    }
    const problem = checks.map((check) => check(value)).find(Boolean);
    if (problem) problems.push({ name, problem });
    return value;
  };
  const values = Object.fromEntries(
    Object.entries(required).map(([name, checks]) => [name, read(name, checks)]),
  ) as Omit<LogtoEnv, OptionalName>;
  const alg = source.AUTH_LOGTO_ID_TOKEN_ALG ? read('AUTH_LOGTO_ID_TOKEN_ALG', [idTokenAlg]) : 'ES384';
  const resources = splitResources(source.AUTH_LOGTO_RESOURCES ? read('AUTH_LOGTO_RESOURCES', [resourceList]) : '');
  const scopes = splitScopes(source.AUTH_LOGTO_SCOPES ? read('AUTH_LOGTO_SCOPES', [scopeList]) : '');
  const apiResource = source.AUTH_LOGTO_API_RESOURCE
    ? read('AUTH_LOGTO_API_RESOURCE', [
        resourceIndicator,
        (value) =>
          resources.includes(value)
            ? undefined
            : `is "${value}", which AUTH_LOGTO_RESOURCES does not list: add it there, or Logto answers invalid_target`,
      ])
    : resources[0];
  if (problems.length > 0) throw new LogtoEnvError(problems);
  return {
    ...values,
    AUTH_LOGTO_ID_TOKEN_ALG: alg as IdTokenAlgorithm,
    AUTH_LOGTO_RESOURCES: resources,
    AUTH_LOGTO_SCOPES: scopes,
    ...(apiResource ? { AUTH_LOGTO_API_RESOURCE: apiResource } : {}),
    NEXTAUTH_URL: values.NEXTAUTH_URL.replace(/\/$/, ''),
  };
}
