/** The doctor's checks, in the order it prints them. */
export const CHECKS = {
  env: 'Environment variables',
  'nextauth-secret': 'NEXTAUTH_SECRET strength',
  https: 'NEXTAUTH_URL uses https in production',
  discovery: 'Discovery and issuer',
  'id-token-alg': 'ID token algorithm and signing key',
  'logout-endpoints': 'Revocation and end-session endpoints',
  'clock-skew': 'Clock skew against the issuer',
  'client-credentials': 'Client credentials',
  'redirect-uri': 'Redirect URI registered',
  'post-logout-redirect-uri': 'Post sign-out redirect URI registered',
  'api-resources': 'API resources',
  'backchannel-logout': 'Back-channel logout',
} as const;

/** The id of one check, e.g. `redirect-uri`. */
export type CheckId = keyof typeof CHECKS;

/**
 * `pass` ✓, `warn` ⚠ (works here, but likely fails where the doctor cannot see; not a failure), `fail` ✗,
 * `skip` – (not run: a check it needs failed, or the feature is not configured).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One line of the checklist. `fix` is set on every failure and warning. */
export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was found, e.g. "http://localhost:3001/oidc answers; its issuer matches". */
  detail: string;
  fix?: string;
}

/** A passed check. */
export function pass(id: CheckId, detail: string): CheckResult {
  return { id, title: CHECKS[id], status: 'pass', detail };
}

/** A check that found a likely problem the doctor cannot confirm, always with its fix; the run still passes. */
export function warn(id: CheckId, detail: string, fix: string): CheckResult {
  return { id, title: CHECKS[id], status: 'warn', detail, fix };
}

/** A failed check, always with its fix. */
export function fail(id: CheckId, detail: string, fix: string): CheckResult {
  return { id, title: CHECKS[id], status: 'fail', detail, fix };
}

/** A check that did not run, with the reason. */
export function skip(id: CheckId, reason: string): CheckResult {
  return { id, title: CHECKS[id], status: 'skip', detail: reason };
}
