import { resolveAuthUrls } from '../../lib/logto/next-auth/settings';
import { checkBackchannelLogout } from './backchannel-check';
import { skip, type CheckResult } from './check-result';
import { checkApiResources, checkClientCredentials, checkPostLogoutRedirectUri, checkRedirectUri, type ClientSettings } from './client-probes';
import { checkEnv, checkHttps, checkNextAuthSecret, readDoctorEnv } from './env-checks';
import { systemLookup, type Lookup } from './host-address';
import type { Fetch, ProbeContext } from './http-probe';
import { checkClockSkew, checkDiscovery, checkIdTokenAlg, checkLogoutEndpoints } from './tenant-checks';

export type { CheckResult, CheckId, CheckStatus } from './check-result';

/** What the doctor checks and how it reaches the issuer. */
export interface DoctorOptions {
  /** The variables the app would see (see doctor-env.ts for how the CLI reads them). */
  env: Record<string, string | undefined>;
  /** Whether the app has a back-channel logout receiver; that line is skipped without one. */
  backchannelReceiver?: boolean;
  /** The issuer is `npm run dev`'s local issuer (not Logto), as the CLI knows when it reads the dev values. */
  localIssuer?: boolean;
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: Fetch;
  /** This machine's clock in ms; default Date.now. */
  now?: () => number;
  /** Resolves the app's host name (back-channel logout); default node:dns lookup, bounded by `timeoutMs`. */
  lookup?: Lookup;
}

/** Every check's result in print order; `ok` is false when any check failed (a ⚠ is no failure). */
export interface DoctorReport {
  checks: CheckResult[];
  ok: boolean;
}

/**
 * Checks the app's environment and the Logto tenant it names, for real and without a browser or a user:
 * discovery, alg and keys, client credentials, registered URIs, endpoints, clock, secret, and the optional
 * features. Never throws for a bad tenant: every problem becomes a failed check with its fix.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = readDoctorEnv(options.env);
  const context: ProbeContext = {
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 5_000,
    now: options.now ?? Date.now,
  };
  // The kit's own derivation, so the probes ask about exactly the URIs a sign-in and a sign-out send.
  const nextAuthUrl = env.usable('NEXTAUTH_URL');
  const urls = nextAuthUrl ? resolveAuthUrls(nextAuthUrl) : undefined;
  const client: ClientSettings = {
    clientId: env.usable('AUTH_LOGTO_ID'),
    clientSecret: env.usable('AUTH_LOGTO_SECRET'),
    callbackUrl: urls?.callbackUrl('logto'),
    home: urls?.home,
  };

  // The raw issuer, even one readLogtoEnv rejects for a missing /oidc, so that discovery can give the hint.
  const discovery = await checkDiscovery(env.raw('AUTH_LOGTO_ISSUER'), context);
  const { metadata } = discovery;
  const checks: CheckResult[] = [
    checkEnv(env),
    checkNextAuthSecret(env),
    checkHttps(env, options.env.NODE_ENV),
    discovery.result,
    await checkIdTokenAlg(env.usable('AUTH_LOGTO_ID_TOKEN_ALG'), metadata, context),
    checkLogoutEndpoints(metadata),
    checkClockSkew(discovery.answer),
    await checkClientCredentials(client, metadata, context),
    await checkRedirectUri(client, metadata, context),
    await checkPostLogoutRedirectUri(client, metadata, context),
    // A malformed list is the environment line's ✗; "not configured" would send the reader the wrong way.
    env.raw('AUTH_LOGTO_RESOURCES') !== undefined && env.usable('AUTH_LOGTO_RESOURCES') === undefined
      ? skip('api-resources', 'not run: AUTH_LOGTO_RESOURCES is malformed (see the environment line)')
      : await checkApiResources(env.resources, client, metadata, context),
    await checkBackchannelLogout(
      { receiver: options.backchannelReceiver ?? false, issuer: metadata?.issuer, apiBase: urls?.apiBase, metadata, localIssuer: options.localIssuer },
      { lookup: options.lookup ?? systemLookup, timeoutMs: context.timeoutMs },
    ),
  ];
  return { checks, ok: checks.every((check) => check.status !== 'fail') };
}
