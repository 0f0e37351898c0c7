import { errors } from 'oidc-provider';

import {
  ORGANIZATION_RESOURCE,
  ORGANIZATION_SCOPES,
  resourceScopesOf,
} from './demo-tenant.mjs';

/** Logto signs every JWT access token with the tenant's one signing key (ES384 by default). */
const JWT_ACCESS_TOKEN = Object.freeze({ accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES384' } } });

/**
 * oidc-provider's `features.resourceIndicators` (RFC 8707) as Logto configures it: an unknown
 * indicator is `invalid_target`, a known one yields a JWT access token whose scopes are what the
 * user's roles grant, narrowed to one organization's roles when `organization_id` is sent.
 * @param {{ apiResource: string, accessTokenTtl: number }} options
 * @see https://github.com/logto-io/logto/blob/master/packages/core/src/oidc/init.ts
 */
export function createResourceIndicatorsFeature({ apiResource, accessTokenTtl }) {
  return {
    enabled: true,
    // Logto falls back to the API resource marked "default" in its Console; this tenant has none.
    defaultResource: async () => undefined,
    // Logto turns off oidc-provider's reuse of the resource granted at authorization: a token
    // for an API resource is only issued when the token request names it.
    useGrantedResource: async () => false,
    getResourceServerInfo: async (ctx, indicator) => {
      if (indicator === ORGANIZATION_RESOURCE) {
        return { ...JWT_ACCESS_TOKEN, accessTokenTTL: accessTokenTtl, scope: ORGANIZATION_SCOPES.join(' ') };
      }
      if (indicator !== apiResource) throw new errors.InvalidTarget();

      const { params, entities, session } = ctx.oidc;
      // At the authorization endpoint the user is the session's; at the token endpoint, the grant's.
      const userId = session?.accountId ?? entities.Account?.accountId;
      const organizationId = typeof params?.organization_id === 'string' ? params.organization_id : undefined;
      const scopes = userId === undefined ? [] : resourceScopesOf(userId, { organizationId });
      return { ...JWT_ACCESS_TOKEN, accessTokenTTL: accessTokenTtl, scope: scopes.join(' ') };
    },
  };
}

/**
 * oidc-provider's `extraTokenClaims`: an access token for an API resource requested together with
 * `organization_id` carries that id, as Logto's `getExtraTokenClaimsForOrganizationApiResource` does.
 */
export async function extraTokenClaims(ctx, token) {
  const organizationId = ctx.oidc.params?.organization_id;
  if (!organizationId || !ctx.oidc.params?.resource) return undefined;
  if (!(token instanceof ctx.oidc.provider.AccessToken)) return undefined;
  return { organization_id: organizationId };
}
