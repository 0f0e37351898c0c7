import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Issuer } from 'openid-client';
import { DISCOVERY_TTL_MS } from './issuer-cache';
import { JWKS_REFETCH_WINDOW_MS, MAX_FORCED_JWKS_REFETCHES } from './jwks-refetch-guard';

/**
 * The issuer's signing keys for the JWTs the kit verifies with jose (logout tokens, API access tokens), fetched
 * from the cached discovery's `jwks_uri` once and kept as long as discovery is: no request per token. A `kid` it
 * does not know refetches the set, at most as often as the id_token JWKS guard allows (5 a minute), so a flood of
 * bogus tokens cannot hammer Logto.
 */
export function createIssuerKeys(getIssuer: () => Promise<Issuer>): JWTVerifyGetKey {
  const sets = new WeakMap<Issuer, JWTVerifyGetKey>();
  return async (header, token) => {
    const issuer = await getIssuer();
    let keys = sets.get(issuer);
    if (!keys) {
      if (typeof issuer.metadata.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
      keys = createRemoteJWKSet(new URL(issuer.metadata.jwks_uri), {
        cacheMaxAge: DISCOVERY_TTL_MS,
        cooldownDuration: JWKS_REFETCH_WINDOW_MS / MAX_FORCED_JWKS_REFETCHES,
        // Logto waits 2.5 s for a back-channel logout's answer.
        timeoutDuration: 1500,
      });
      sets.set(issuer, keys);
    }
    return keys(header, token);
  };
}
