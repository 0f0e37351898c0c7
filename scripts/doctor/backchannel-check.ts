import { fail, pass, skip, warn, type CheckResult } from './check-result';
import { isLogtoCloudHost, resolveHostAddress, type Lookup } from './host-address';
import type { ProviderMetadata } from './tenant-checks';

/** Where the app receives Logto's logout tokens, under next-auth's API base (`<NEXTAUTH_URL>/api/auth`). */
export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout';

/** What the back-channel logout check looks at. */
export interface BackchannelSetup {
  /** Whether the app has a back-channel logout receiver; the check is "not configured" without one. */
  receiver: boolean;
  /** The tenant's issuer, from its discovery document. */
  issuer?: string;
  /** next-auth's API base, `<NEXTAUTH_URL>/api/auth` (lib/logto/next-auth/settings.ts). */
  apiBase?: string;
  metadata?: ProviderMetadata;
  /** The issuer is `npm run dev`'s local issuer, which is not Logto and posts logout tokens to any address. */
  localIssuer?: boolean;
}

/** How the check resolves the app's host name. */
export interface HostLookup {
  lookup: Lookup;
  timeoutMs: number;
}

/**
 * When the app has a back-channel logout receiver: ✓ when the tenant supports OIDC Back-Channel Logout and
 * its logout tokens can reach the receiver. Logto Cloud cannot reach a loopback or private address (✗);
 * self-hosted Logto ≥ 1.42 silently skips one unless told otherwise (⚠). Whether the URI is registered in
 * Logto is not visible without the Management API, so the line says what to register.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html
 */
export async function checkBackchannelLogout(setup: BackchannelSetup, host: HostLookup): Promise<CheckResult> {
  const id = 'backchannel-logout';
  const { receiver, issuer, apiBase, metadata } = setup;
  if (!receiver) return skip(id, 'not configured (this app has no back-channel logout receiver)');
  if (!metadata || !issuer) return skip(id, 'not run: no discovery document');
  if (!apiBase) return skip(id, 'not run: NEXTAUTH_URL is missing or malformed');
  const receiverUrl = `${apiBase}${BACKCHANNEL_LOGOUT_PATH}`;
  // Back-Channel Logout 1.0 §2.1: an OP that supports it advertises backchannel_logout_supported.
  if (metadata.backchannel_logout_supported !== true) {
    return fail(
      id,
      'the issuer does not advertise backchannel_logout_supported: it will never send logout tokens',
      'use a Logto version with back-channel logout (Logto OSS ≥ 1.8 / Logto Cloud), or rely on end_session and short sessions',
    );
  }
  const issuerHost = new URL(issuer).hostname;
  const appHost = new URL(apiBase).hostname;
  const registerIt = `register it as "Backchannel logout URI" in Logto Console (the doctor cannot see that setting)`;
  const target = await resolveHostAddress(appHost, host.lookup, host.timeoutMs);
  if (target.kind === 'public') return pass(id, `supported, and ${receiverUrl} is on a public address; ${registerIt}`);
  if (target.kind === 'unresolved') {
    return warn(
      id,
      `the host name ${appHost} of NEXTAUTH_URL does not resolve here (${target.reason}), so the doctor cannot tell whether Logto can reach ${receiverUrl}`,
      `check the host name in NEXTAUTH_URL: Logto must reach ${receiverUrl} at a public address`,
    );
  }
  const where = `${target.kind} address${target.address ? ` (${appHost} resolves to ${target.address})` : ''}`;
  if (isLogtoCloudHost(issuerHost)) {
    return fail(
      id,
      `Logto Cloud (${issuerHost}) cannot send logout tokens to ${receiverUrl}: it is on a ${where}`,
      'deploy the app at a public https URL (or expose it through a tunnel) and set NEXTAUTH_URL to it',
    );
  }
  if (setup.localIssuer) {
    return pass(
      id,
      `supported; the local issuer (not Logto) sends logout tokens to ${receiverUrl}, a ${where} that self-hosted Logto ≥ 1.42 would skip (docs/back-channel-logout.md)`,
    );
  }
  // Logto ≥ 1.42 keeps oidc-provider 9's SSRF guard on the provider's outgoing requests, back-channel logout
  // included, unless the server runs with OIDC_PROVIDER_SSRF_PROTECTION_DISABLED=true
  // (logto-io/logto packages/core/src/oidc/fetch.ts, packages/shared/src/node/env/GlobalValues.ts).
  return warn(
    id,
    `${receiverUrl} is on a ${where}: self-hosted Logto 1.42 and later skip back-channel logout calls to loopback and private addresses, silently, so a sign-out at Logto would not end this app's session`,
    'register a back-channel logout URI at a public address Logto can reach (NEXTAUTH_URL); or, when Logto and the app share a network you trust, ' +
      'start the Logto server with OIDC_PROVIDER_SSRF_PROTECTION_DISABLED=true (see docs/back-channel-logout.md)',
  );
}
