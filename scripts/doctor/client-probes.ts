import { createHash, randomBytes } from 'node:crypto';
import { fail, pass, skip, type CheckResult } from './check-result';
import { oauthErrorOf, probe, ProbeError, type ProbeAnswer, type ProbeContext } from './http-probe';
import type { ProviderMetadata } from './tenant-checks';

/** The app's client as the probes need it; any field may be missing when the env is broken. */
export interface ClientSettings {
  clientId?: string;
  clientSecret?: string;
  /** The redirect URI the kit sends, from NEXTAUTH_URL (lib/logto/next-auth/settings.ts): `<apiBase>/callback/logto`. */
  callbackUrl?: string;
  /** The post sign-out redirect URI the kit sends: the app's home under its basePath. */
  home?: string;
}

/**
 * ✓ when the token endpoint answers `invalid_grant` to a made-up authorization code sent with the client's
 * credentials as next-auth sends them (client_secret_basic): the client is known and its secret is right.
 */
export async function checkClientCredentials(
  client: ClientSettings,
  metadata: ProviderMetadata | undefined,
  context: ProbeContext,
): Promise<CheckResult> {
  const id = 'client-credentials';
  if (!metadata?.token_endpoint) return skip(id, 'not run: no discovery document (or it has no token_endpoint)');
  if (!client.clientId || !client.clientSecret) return skip(id, 'not run: AUTH_LOGTO_ID or AUTH_LOGTO_SECRET is missing');
  // RFC 6749 §2.3.1: client_secret_basic form-encodes id and secret before base64 (openid-client does too).
  const basic = Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`).toString('base64');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: `doctor-probe-${randomBytes(8).toString('hex')}`,
    redirect_uri: client.callbackUrl ?? 'http://localhost:3000/api/auth/callback/logto',
    code_verifier: randomBytes(32).toString('base64url'),
  });
  let answer: ProbeAnswer;
  try {
    answer = await probe(
      metadata.token_endpoint,
      { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body },
      context,
    );
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return fail(id, `${metadata.token_endpoint}: ${error.message}`, error.fix);
  }
  const error = oauthErrorOf(answer)?.error;
  if (error === 'invalid_grant') return pass(id, 'the token endpoint knows AUTH_LOGTO_ID and accepts AUTH_LOGTO_SECRET (invalid_grant to a dummy code)');
  if (error === 'invalid_client') {
    return fail(
      id,
      `the token endpoint answered ${answer.status} invalid_client: the App ID or App secret is wrong`,
      'copy App ID and App secret from Logto Console → Applications → your "Traditional web" app into AUTH_LOGTO_ID and AUTH_LOGTO_SECRET',
    );
  }
  if (error === 'unauthorized_client') {
    return fail(
      id,
      `the token endpoint answered ${answer.status} unauthorized_client: this application may not use the authorization code grant`,
      'use a "Traditional web" application in Logto (a machine-to-machine or SPA app cannot sign users in with a secret)',
    );
  }
  return fail(
    id,
    `the token endpoint answered ${answer.status} ${error ?? answer.text.slice(0, 120)}; expected 400 invalid_grant`,
    'check AUTH_LOGTO_ISSUER points at Logto, and AUTH_LOGTO_ID / AUTH_LOGTO_SECRET at a "Traditional web" application',
  );
}

/** What the authorization endpoint did with a probe: sent the browser on, or back with an error, or refused. */
type AuthorizationOutcome =
  | { kind: 'proceeds'; location: string }
  | { kind: 'redirected-error'; error: string; description?: string }
  | { kind: 'refused'; status: number; error?: string; description?: string };

/**
 * Sends the authorization request next-auth would send (code, PKCE S256, state) and reads the answer without
 * following it. Logto answers 303 to its sign-in page when the request is good.
 */
async function probeAuthorization(
  metadata: ProviderMetadata & { authorization_endpoint: string },
  clientId: string,
  redirectUri: string,
  extra: Record<string, string>,
  context: ProbeContext,
): Promise<AuthorizationOutcome> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(16).toString('base64url'),
    ...extra,
  }).toString();
  const answer = await probe(url.href, {}, context);
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location) {
    const target = new URL(location, url);
    // RFC 6749 §4.1.2.1: once the redirect URI is known good, errors go back to it as `error=`.
    if (`${target.origin}${target.pathname}` === redirectUri && target.searchParams.has('error')) {
      return {
        kind: 'redirected-error',
        error: target.searchParams.get('error') ?? '',
        description: target.searchParams.get('error_description') ?? undefined,
      };
    }
    return { kind: 'proceeds', location: target.href };
  }
  return { kind: 'refused', status: answer.status, ...oauthErrorOf(answer) };
}

/** The reason a probe could not run, or undefined when it can. */
function missingForProbe(client: ClientSettings, metadata: ProviderMetadata | undefined, endpoint: keyof ProviderMetadata) {
  if (!metadata) return 'not run: no discovery document';
  if (typeof metadata[endpoint] !== 'string') return `not run: the discovery document has no ${String(endpoint)}`;
  if (!client.clientId) return 'not run: AUTH_LOGTO_ID is missing';
  if (!client.callbackUrl || !client.home) return 'not run: NEXTAUTH_URL is missing or malformed';
  return undefined;
}

/** A failure line for a client Logto does not know, which every authorization probe runs into first. */
function unknownClient(id: 'redirect-uri' | 'post-logout-redirect-uri' | 'api-resources', status: number): CheckResult {
  return fail(
    id,
    `the issuer answered ${status} invalid_client: it does not know AUTH_LOGTO_ID`,
    'set AUTH_LOGTO_ID to the App ID in Logto Console → Applications → your app',
  );
}

/**
 * ✓ when the callback URL (`${NEXTAUTH_URL}/api/auth/callback/logto`) is a registered redirect URI: the authorization endpoint
 * sends the probe on to the sign-in page instead of answering 400 `invalid_redirect_uri`.
 */
export async function checkRedirectUri(
  client: ClientSettings,
  metadata: ProviderMetadata | undefined,
  context: ProbeContext,
): Promise<CheckResult> {
  const id = 'redirect-uri';
  const missing = missingForProbe(client, metadata, 'authorization_endpoint');
  if (missing) return skip(id, missing);
  const redirectUri = client.callbackUrl!;
  let outcome: AuthorizationOutcome;
  try {
    outcome = await probeAuthorization(metadata as ProviderMetadata & { authorization_endpoint: string }, client.clientId!, redirectUri, {}, context);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return fail(id, `${metadata!.authorization_endpoint}: ${error.message}`, error.fix);
  }
  if (outcome.kind === 'proceeds') {
    // Shown without the interaction id, which changes on every run.
    const page = new URL(outcome.location).pathname.replace(/\/[^/]{16,}$/, '/…');
    return pass(id, `${redirectUri} is accepted (the issuer sends the browser on to ${page})`);
  }
  if (outcome.kind === 'refused' && outcome.error === 'invalid_client') return unknownClient(id, outcome.status);
  if (outcome.kind === 'refused' && outcome.error === 'invalid_redirect_uri') {
    return fail(
      id,
      `${redirectUri} is not a registered redirect URI (${outcome.status} invalid_redirect_uri)`,
      `add ${redirectUri} under "Redirect URIs" in Logto Console → Applications → your app, and save`,
    );
  }
  const error = outcome.kind === 'refused' ? `${outcome.status} ${outcome.error ?? ''}` : `error=${outcome.error}`;
  return fail(
    id,
    `the authorization endpoint refused the probe (${error.trim()}${outcome.description ? `: ${outcome.description}` : ''})`,
    'check the application type in Logto ("Traditional web") and AUTH_LOGTO_ID',
  );
}

/**
 * ✓ when the app's home (NEXTAUTH_URL, minus next-auth's `/api/auth`) is a registered post sign-out redirect URI: end_session with `client_id` and
 * `post_logout_redirect_uri` shows its confirm page (or redirects) instead of 400 `invalid_request`.
 */
export async function checkPostLogoutRedirectUri(
  client: ClientSettings,
  metadata: ProviderMetadata | undefined,
  context: ProbeContext,
): Promise<CheckResult> {
  const id = 'post-logout-redirect-uri';
  const missing = missingForProbe(client, metadata, 'end_session_endpoint');
  if (missing) return skip(id, missing);
  const home = client.home!;
  const url = new URL(metadata!.end_session_endpoint!);
  // The same parameters lib/logto/logout/sign-out.ts sends, minus id_token_hint (there is no user here).
  url.searchParams.set('client_id', client.clientId!);
  url.searchParams.set('post_logout_redirect_uri', home);
  let answer: ProbeAnswer;
  try {
    answer = await probe(url.href, {}, context);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return fail(id, `${metadata!.end_session_endpoint}: ${error.message}`, error.fix);
  }
  // oidc-provider (Logto's core): a registered URI gets the confirm form (200); some setups redirect at once.
  if (answer.status === 200 || (answer.status >= 300 && answer.status < 400)) {
    return pass(id, `${home} is accepted by end_session (${answer.status})`);
  }
  const error = oauthErrorOf(answer);
  if (error?.error === 'invalid_client') return unknownClient(id, answer.status);
  if (answer.status === 400 && error?.error === 'invalid_request') {
    return fail(
      id,
      `${home} is not a registered post sign-out redirect URI (${answer.status} invalid_request${error.description ? `: ${error.description}` : ''})`,
      `add ${home} under "Post sign-out redirect URIs" in Logto Console → Applications → your app, and save`,
    );
  }
  return fail(
    id,
    `end_session answered ${answer.status} ${error?.error ?? ''}`.trim(),
    'check that AUTH_LOGTO_ISSUER points at Logto and AUTH_LOGTO_ID at this application',
  );
}

/** A resource indicator no tenant registers, to tell an issuer that checks `resource` from one that ignores it. */
const UNREGISTERED_RESOURCE = 'https://doctor-probe.invalid/never-registered';

/**
 * When AUTH_LOGTO_RESOURCES is set (AUTH_LOGTO_API_RESOURCE must be one of them): ✓ when the authorization endpoint accepts
 * each indicator (RFC 8707). Logto answers `invalid_target` for an API resource it does not have; that the
 * issuer checks at all is first confirmed with an indicator no tenant has.
 */
export async function checkApiResources(
  resources: string[],
  client: ClientSettings,
  metadata: ProviderMetadata | undefined,
  context: ProbeContext,
): Promise<CheckResult> {
  const id = 'api-resources';
  if (resources.length === 0) return skip(id, 'not configured (AUTH_LOGTO_RESOURCES is not set)');
  const missing = missingForProbe(client, metadata, 'authorization_endpoint');
  if (missing) return skip(id, missing);
  const endpoint = metadata as ProviderMetadata & { authorization_endpoint: string };
  const redirectUri = client.callbackUrl!;
  const verdicts = new Map<string, AuthorizationOutcome>();
  try {
    for (const resource of [UNREGISTERED_RESOURCE, ...resources]) {
      verdicts.set(resource, await probeAuthorization(endpoint, client.clientId!, redirectUri, { resource }, context));
    }
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return fail(id, `${endpoint.authorization_endpoint}: ${error.message}`, error.fix);
  }

  const control = verdicts.get(UNREGISTERED_RESOURCE)!;
  if (control.kind === 'refused' && control.error === 'invalid_client') return unknownClient(id, control.status);
  if (control.kind === 'refused' && control.error === 'invalid_redirect_uri') {
    return skip(id, 'not run: the redirect URI is not registered, so the issuer refuses every authorization probe');
  }
  if (control.kind === 'proceeds') {
    return fail(
      id,
      'the issuer accepts an API resource no tenant has, so it does not check resource indicators (RFC 8707)',
      'point AUTH_LOGTO_ISSUER at Logto (it checks them), or unset AUTH_LOGTO_RESOURCES if this issuer has no API resources',
    );
  }
  const rejected = resources.filter((resource) => verdicts.get(resource)!.kind !== 'proceeds');
  if (rejected.length > 0) {
    const reasons = rejected.map((resource) => {
      const verdict = verdicts.get(resource)!;
      return `${resource} (${verdict.kind === 'proceeds' ? '' : verdict.error})`;
    });
    return fail(
      id,
      `the issuer does not accept ${reasons.join(', ')}`,
      `create ${rejected.length > 1 ? 'these API resources' : 'this API resource'} with exactly this identifier in Logto Console → API resources, or fix AUTH_LOGTO_RESOURCES`,
    );
  }
  return pass(id, `${resources.join(', ')} accepted by the authorization endpoint`);
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
