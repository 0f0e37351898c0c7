import type { E2eStack } from './stack';

/** The local issuer's counters (GET /admin/metrics, scripts/local-issuer/admin-routes.mjs). */
export interface IssuerMetrics {
  /** Successful token-endpoint grants, by grant type. */
  grants: Record<string, number>;
  /** Token-endpoint requests the issuer refused. */
  grantErrors: number;
  /** Grants revoked, e.g. for a reused refresh token. */
  revokedGrants: number;
}

/** Reads the stack's issuer counters: how many refresh grants it served, how many grants it revoked. */
export async function readIssuerMetrics(stack: E2eStack): Promise<IssuerMetrics> {
  const response = await fetch(`${stack.issuerUrl}/admin/metrics`);
  if (!response.ok) throw new Error(`GET /admin/metrics answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as IssuerMetrics;
}

/**
 * Lets the user in or refuses them by the app's access control (Logto 1.41+), as an admin changing the app's
 * rules in the Console: `POST /admin/app-access`. Takes effect at the user's next sign-in or refresh.
 */
export async function setAppAccess(stack: E2eStack, sub: string, allowed: boolean): Promise<void> {
  const url = `${stack.issuerUrl}/admin/app-access?sub=${encodeURIComponent(sub)}&allowed=${allowed}`;
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /admin/app-access answered ${response.status}: ${await response.text()}`);
}
