import { decodeProtectedHeader } from 'jose';
import type { Issuer } from 'openid-client';
import type { AuthLogger } from '../log/logger';

/** At most this many forced JWKS refetches per window, however many unknown `kid`s arrive. */
export const MAX_FORCED_JWKS_REFETCHES = 5;
/** The window of {@link MAX_FORCED_JWKS_REFETCHES}, in milliseconds. */
export const JWKS_REFETCH_WINDOW_MS = 60 * 1000;

/** Makes sure the issuer's JWKS holds the key an id_token names before openid-client verifies it. */
export interface JwksRefetchGuard {
  ensureKeyFor(idToken: string): Promise<void>;
}

/**
 * Refetches the JWKS at once for a `kid` never seen before (key rotation must not wait for
 * openid-client's 60 s refetch throttle), bounded so a flood of bogus `kid`s cannot hammer the issuer.
 */
export function createJwksRefetchGuard(
  issuer: Issuer,
  { logger, now = Date.now }: { logger: AuthLogger; now?: () => number },
): JwksRefetchGuard {
  const seenKids = new Set<string>();
  let windowStart = 0;
  let refetches = 0;

  return {
    async ensureKeyFor(idToken) {
      const { kid } = decodeProtectedHeader(idToken);
      if (!kid || seenKids.has(kid)) return;
      if (now() - windowStart >= JWKS_REFETCH_WINDOW_MS) {
        windowStart = now();
        refetches = 0;
      }
      if (refetches >= MAX_FORCED_JWKS_REFETCHES) {
        logger.warn('LOGTO_JWKS_REFETCH_LIMIT', { kid, limit: MAX_FORCED_JWKS_REFETCHES });
        return;
      }
      refetches += 1;
      // Remember the kid even if it proves bogus: the same kid never forces a second refetch.
      if (seenKids.size >= 100) seenKids.clear();
      seenKids.add(kid);
      await reloadJwks(issuer);
    },
  };
}

/** Refetches the issuer's `jwks_uri` now, bypassing openid-client's 60 s throttle. */
export function reloadJwks(issuer: Issuer): Promise<void> {
  // openid-client v5's Issuer has a public but untyped reloadJwksUri(); typed here, not by augmentation, so the kit needs no .d.ts.
  return (issuer as Issuer & { reloadJwksUri(): Promise<void> }).reloadJwksUri();
}
