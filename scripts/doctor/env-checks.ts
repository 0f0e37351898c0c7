import { LogtoEnvError, readLogtoEnv, splitResources } from '../../lib/logto/env';
import { isRedisUrl } from '../../lib/logto/store/redis-client';
import { fail, pass, skip, type CheckResult } from './check-result';

/** The environment as the doctor sees it: the usable value of each variable, and what is wrong. */
export interface DoctorEnv {
  /** The value of `name` when it is set and well formed; undefined otherwise. */
  usable(name: string): string | undefined;
  /** The raw value, set or not, for checks that can still give a hint (e.g. an issuer without /oidc). */
  raw(name: string): string | undefined;
  /** One line per bad variable, as the app itself would report it. */
  problems: string[];
  /** The API resource indicators the app asks for (AUTH_LOGTO_RESOURCES), once each; empty when that is bad. */
  resources: string[];
}

/**
 * Reads `source` with the app's own {@link readLogtoEnv} (which also checks AUTH_LOGTO_RESOURCES and
 * AUTH_LOGTO_API_RESOURCE), plus REDIS_URL as lib/logto/store/redis-client.ts checks it, without throwing.
 */
export function readDoctorEnv(source: Record<string, string | undefined>): DoctorEnv {
  const problems: string[] = [];
  const bad = new Set<string>();
  try {
    readLogtoEnv(source);
  } catch (error) {
    if (!(error instanceof LogtoEnvError)) throw error;
    for (const { name, problem } of error.problems) {
      bad.add(name);
      problems.push(`${name} ${problem}`);
    }
  }

  // Read as the app reads them; readLogtoEnv above reported a bad list (one line), and it is then not probed.
  const resources = bad.has('AUTH_LOGTO_RESOURCES')
    ? []
    : splitResources(source.AUTH_LOGTO_RESOURCES ?? '').filter((indicator, index, all) => all.indexOf(indicator) === index);

  const redisUrl = source.REDIS_URL;
  // What createRedisClient (lib/logto/store/redis-client.ts) accepts; it throws at startup for anything else, a socket path too.
  if (redisUrl && !isRedisUrl(redisUrl)) {
    bad.add('REDIS_URL');
    problems.push('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://localhost:6379 (the app does not take a Unix socket path)');
  }

  const raw = (name: string) => (source[name] === '' ? undefined : source[name]);
  return {
    usable: (name) => (bad.has(name) ? undefined : raw(name) ?? (name === 'AUTH_LOGTO_ID_TOKEN_ALG' ? 'ES384' : undefined)),
    raw,
    problems,
    resources,
  };
}

/** ✓ when every variable the app reads is present and well formed; else the app's own list of problems. */
export function checkEnv(env: DoctorEnv): CheckResult {
  if (env.problems.length === 0) return pass('env', 'AUTH_LOGTO_* and NEXTAUTH_* are present and well formed');
  return fail(
    'env',
    env.problems.join('; '),
    'set these in .env.local (see .env.example for what each one means), or in the environment',
  );
}

// Placeholders seen in guides and .env examples; a real secret never contains them.
const PLACEHOLDER_WORDS = ['secret', 'changeme', 'change-me', 'change_me', 'placeholder', 'example', 'your', 'replace', 'password', 'dummy', 'xxxx'];

/**
 * ✓ when NEXTAUTH_SECRET is long (≥ 32 characters, which readLogtoEnv already demands) and looks random:
 * no placeholder word, no repeated or sequential pattern, and an estimated entropy of at least 128 bits.
 */
export function checkNextAuthSecret(env: DoctorEnv): CheckResult {
  const secret = env.usable('NEXTAUTH_SECRET');
  if (secret === undefined) return skip('nextauth-secret', 'not run: NEXTAUTH_SECRET is missing or too short (see the environment line)');
  const weakness = weaknessOf(secret);
  if (weakness) {
    return fail(
      'nextauth-secret',
      `NEXTAUTH_SECRET ${weakness}`,
      'generate a random one: openssl rand -base64 32 (changing it signs every user out)',
    );
  }
  return pass('nextauth-secret', `${secret.length} characters, ~${Math.floor(entropyBits(secret))} bits estimated`);
}

/** Why `secret` is guessable, or undefined. A heuristic: it flags placeholders, patterns and small alphabets. */
export function weaknessOf(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  const word = PLACEHOLDER_WORDS.find((candidate) => lower.includes(candidate));
  if (word) return `looks like a placeholder (it contains "${word}")`;
  if (/^(.{1,16}?)\1+$/s.test(secret)) return 'repeats a short pattern';
  let steps = 0;
  for (let index = 1; index < secret.length; index += 1) {
    if (Math.abs(secret.charCodeAt(index) - secret.charCodeAt(index - 1)) === 1) steps += 1;
  }
  if (steps > secret.length / 2) return 'is mostly a sequence (abc…, 123…)';
  const bits = entropyBits(secret);
  // 128 bits: what `openssl rand -base64 32` gives with room to spare (~190 estimated).
  if (bits < 128) return `has low entropy (~${Math.floor(bits)} bits estimated, want ≥ 128)`;
  return undefined;
}

/** Shannon entropy of the character distribution times the length: a rough upper bound on the bits in `value`. */
function entropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * value.length;
}

/** ✓ unless NODE_ENV=production and NEXTAUTH_URL is plain http (cookies then travel unencrypted and are not `Secure`). */
export function checkHttps(env: DoctorEnv, nodeEnv: string | undefined): CheckResult {
  const url = env.usable('NEXTAUTH_URL');
  if (url === undefined) return skip('https', 'not run: NEXTAUTH_URL is missing or malformed (see the environment line)');
  const { protocol } = new URL(url);
  if (nodeEnv !== 'production') {
    return pass('https', `NODE_ENV is ${nodeEnv ?? 'unset'}, not production: ${protocol.slice(0, -1)} is fine here`);
  }
  if (protocol === 'https:') return pass('https', 'NODE_ENV=production and NEXTAUTH_URL is https');
  return fail(
    'https',
    `NODE_ENV=production but NEXTAUTH_URL is ${url} (plain http: session cookies are not Secure)`,
    'serve the app over https and set NEXTAUTH_URL=https://…; register the https callback and post sign-out URIs in Logto too',
  );
}
