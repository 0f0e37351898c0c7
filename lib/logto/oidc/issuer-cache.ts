import { isDeepStrictEqual } from 'node:util';
import { Issuer } from 'openid-client';
import type { AuthLogger } from '../log/logger';

/** How long discovered metadata is served before it is refetched in the background (milliseconds). */
export const DISCOVERY_TTL_MS = 10 * 60 * 1000;
/** After a failed background refetch, how long stale metadata is served before the next try (milliseconds). */
export const DISCOVERY_RETRY_MS = 30 * 1000;

/** Thrown when the discovery document names another issuer than the one configured. */
export class IssuerMismatchError extends Error {
  override name = 'IssuerMismatchError';
}

/** Options of {@link createIssuerCache}. */
export interface IssuerCacheOptions {
  /** The configured issuer (`AUTH_LOGTO_ISSUER`); the discovered `issuer` must equal it. */
  issuer: string;
  /** The discovery document URL (the provider's `wellKnown`). */
  wellKnown: string;
  logger: AuthLogger;
  ttlMs?: number;
  retryMs?: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** A per-process cache of one issuer's discovery document, as an openid-client `Issuer`. */
export interface IssuerCache {
  /** The cached Issuer; fetches on first use, refreshes stale metadata in the background. */
  get(): Promise<Issuer>;
}

/**
 * Caches discovery with a TTL, one fetch for many concurrent first callers, and stale metadata
 * kept when a refetch fails, so a discovery blip never fails a sign-in.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export function createIssuerCache(options: IssuerCacheOptions): IssuerCache {
  const { issuer, wellKnown, logger, ttlMs = DISCOVERY_TTL_MS, retryMs = DISCOVERY_RETRY_MS } = options;
  const now = options.now ?? Date.now;
  let cached: { issuer: Issuer; freshUntil: number } | undefined;
  let inFlight: Promise<Issuer> | undefined;

  async function discover(): Promise<Issuer> {
    const discovered = await Issuer.discover(wellKnown);
    // OIDC Discovery §4.3: "The issuer value returned MUST be identical to the Issuer URL that was
    // used as the prefix to /.well-known/openid-configuration to retrieve the configuration information."
    if (discovered.metadata.issuer !== issuer) {
      throw new IssuerMismatchError(
        `The discovery document at ${wellKnown} names the issuer "${discovered.metadata.issuer}", ` +
          `but AUTH_LOGTO_ISSUER is "${issuer}". Set AUTH_LOGTO_ISSUER to your Logto endpoint followed by /oidc.`,
      );
    }
    // Unchanged metadata keeps the previous Issuer, and with it openid-client's JWKS cache.
    if (cached && isDeepStrictEqual(cached.issuer.metadata, discovered.metadata)) return cached.issuer;
    return discovered;
  }

  function refetch(): Promise<Issuer> {
    inFlight ??= discover()
      .then((fresh) => {
        cached = { issuer: fresh, freshUntil: now() + ttlMs };
        return fresh;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    async get() {
      if (!cached) return refetch();
      // Only the caller that starts the refetch handles its failure: one log line per failed refetch.
      if (now() >= cached.freshUntil && !inFlight) {
        const stale = cached;
        refetch().catch((error: unknown) => {
          stale.freshUntil = now() + retryMs;
          logger.error('LOGTO_DISCOVERY_STALE', error);
        });
      }
      return cached.issuer;
    },
  };
}
