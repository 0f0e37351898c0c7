import { isIP } from 'node:net';
import { fail, pass, skip, type CheckResult } from './check-result';
import type { ProviderMetadata } from './tenant-checks';

/** Where the app receives Logto's logout tokens, under next-auth's API base (`<NEXTAUTH_URL>/api/auth`). */
export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout';

/**
 * When the app has a back-channel logout receiver: ✓ when the tenant supports OIDC Back-Channel Logout and
 * can reach the receiver (a public issuer cannot POST to a loopback or private NEXTAUTH_URL). Whether the URI
 * is registered in Logto is not visible without the Management API, so the line says what to register.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html
 */
export function checkBackchannelLogout(
  receiver: boolean,
  issuer: string | undefined,
  apiBase: string | undefined,
  metadata: ProviderMetadata | undefined,
): CheckResult {
  const id = 'backchannel-logout';
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
  if (!isPrivateHost(issuerHost) && isPrivateHost(appHost)) {
    return fail(
      id,
      `the issuer (${issuerHost}) is on the internet but NEXTAUTH_URL (${appHost}) is a local or private address: logout tokens cannot reach ${receiverUrl}`,
      'deploy the app at a public https URL (or expose it through a tunnel) and set NEXTAUTH_URL to it',
    );
  }
  return pass(
    id,
    `supported, and the issuer can reach ${receiverUrl}; register it as "Backchannel logout URI" in Logto Console (the doctor cannot see that setting)`,
  );
}

/** Loopback, private (RFC 1918, RFC 4193), link-local, or a name that only resolves inside a network. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
  }
  if (isIP(host) === 6) return host === '::1' || /^f[cd]/.test(host) || host.startsWith('fe80:');
  return !host.includes('.') || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host);
}
