import type { OAuthConfig } from 'next-auth/providers/oauth';
import { custom, type Client, type GrantBody, type GrantExtras, type Issuer, type TokenSet } from 'openid-client';
import type { AuthLogger } from '../log/logger';
import { createIssuerCache, type IssuerCache } from './issuer-cache';
import { createJwksRefetchGuard } from './jwks-refetch-guard';
import { checkTimeClaims, CLOCK_SKEW_SECONDS } from './time-claims';

/** The provider, once discovery is cached: what next-auth and this app's helpers talk to Logto with. */
export interface CachedOidcProvider<P> {
  /** An openid-client Client on the cached Issuer (JWKS cached per process); for callback, refresh, revoke, sign-out. */
  getClient(): Promise<Client>;
  /** The provider with the discovered endpoints in place of `wellKnown`, so next-auth makes no discovery request. */
  resolveProvider(): Promise<OAuthConfig<P>>;
}

/** Options of {@link cacheDiscovery}. */
export interface CacheDiscoveryOptions {
  /** The provider's callback URL, `${NEXTAUTH_URL}/api/auth/callback/<id>`. */
  callbackUrl: string;
  logger: AuthLogger;
  /** A prepared cache; tests pass one with their own clock. */
  issuerCache?: IssuerCache;
}

/**
 * Wraps a `wellKnown` provider so discovery is fetched once per process (not per request, as next-auth v4
 * does) and the id_token keys are cached: a warm callback makes one request to the issuer, the token request.
 */
export function cacheDiscovery<P>(provider: OAuthConfig<P>, options: CacheDiscoveryOptions): CachedOidcProvider<P> {
  const { wellKnown, issuer } = provider;
  if (!wellKnown || !issuer) throw new TypeError(`Provider "${provider.id}" needs both wellKnown and issuer`);
  const { callbackUrl, logger } = options;
  const issuerCache = options.issuerCache ?? createIssuerCache({ issuer, wellKnown, logger });
  const clients = new WeakMap<Issuer, Client>();
  const maxAuthAge = readMaxAge(provider);

  function createClient(discovered: Issuer): Client {
    const guard = createJwksRefetchGuard(discovered, { logger });
    class GuardedClient extends discovered.Client {
      override async grant(body: GrantBody, extras?: GrantExtras): Promise<TokenSet> {
        const tokenSet = await super.grant(body, extras);
        if (tokenSet.id_token) await guard.ensureKeyFor(tokenSet.id_token);
        return tokenSet;
      }

      // Every id_token this client accepts, at sign-in and on refresh, has its time claims checked with one
      // skew once openid-client verified the signature (it checks exp and nbf, but not iat or auth_time).
      override async callback(...args: Parameters<Client['callback']>): Promise<TokenSet> {
        const tokenSet = await super.callback(...args);
        if (tokenSet.id_token) checkTimeClaims(tokenSet.claims(), { maxAuthAge });
        return tokenSet;
      }

      override async refresh(...args: Parameters<Client['refresh']>): Promise<TokenSet> {
        const tokenSet = await super.refresh(...args);
        // OIDC Core §12.2: a refreshed id_token keeps the original auth_time, so max_age is not applied again.
        if (tokenSet.id_token) checkTimeClaims(tokenSet.claims());
        return tokenSet;
      }
    }
    // The same client metadata next-auth v4 builds per request (core/lib/oauth/client.ts).
    const client = new GuardedClient({
      client_id: provider.clientId!,
      client_secret: provider.clientSecret,
      redirect_uris: [callbackUrl],
      ...provider.client,
    });
    client[custom.clock_tolerance] = CLOCK_SKEW_SECONDS;
    return client;
  }

  async function getClient(): Promise<Client> {
    const discovered = await issuerCache.get();
    let client = clients.get(discovered);
    if (!client) {
      client = createClient(discovered);
      clients.set(discovered, client);
    }
    return client;
  }

  // The provider per discovered Issuer: `issuer.metadata` deep-copies all of Logto's metadata on every read.
  const resolved = new WeakMap<Issuer, OAuthConfig<P>>();

  async function resolveProvider(): Promise<OAuthConfig<P>> {
    const discovered = await issuerCache.get();
    let provider = resolved.get(discovered);
    if (!provider) {
      provider = providerFor(discovered, await getClient());
      resolved.set(discovered, provider);
    }
    return provider;
  }

  function providerFor(discovered: Issuer, client: Client): OAuthConfig<P> {
    const { metadata } = discovered;
    const authorization = typeof provider.authorization === 'object' ? provider.authorization : {};
    return {
      ...provider,
      // next-auth v4 still builds a throwaway Client per sign-in (core/lib/oauth/client.ts) on an Issuer that
      // knows no supported auth methods; openid-client then guesses the method by catching a TypeError
      // (client.js checkBasicSupport), which is costly. Naming the cached client's method skips the guess.
      client: { token_endpoint_auth_method: client.metadata.token_endpoint_auth_method, ...provider.client },
      wellKnown: undefined,
      issuer: metadata.issuer,
      authorization: { ...authorization, url: metadata.authorization_endpoint },
      userinfo: { url: metadata.userinfo_endpoint },
      jwks_endpoint: metadata.jwks_uri,
      token: {
        url: metadata.token_endpoint,
        // next-auth builds a throwaway Client per request; the cached one keeps the JWKS between callbacks.
        async request({ provider: requested, params, checks }) {
          const client = await getClient();
          // The redirect URI next-auth put in this request's authorization URL (it can differ per request, e.g.
          // next-auth 4.22 with AUTH_TRUST_HOST): the token exchange must send the same one (RFC 6749 §4.1.3).
          return { tokens: await client.callback(requested.callbackUrl ?? callbackUrl, params, checks) };
        },
      },
    };
  }

  return { getClient, resolveProvider };
}

/** The `max_age` (seconds) the provider's authorization request sends, if any. */
function readMaxAge<P>(provider: OAuthConfig<P>): number | undefined {
  const params = typeof provider.authorization === 'object' ? provider.authorization.params : undefined;
  const value = Number((params)?.max_age ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
