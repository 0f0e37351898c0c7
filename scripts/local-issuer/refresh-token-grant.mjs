import { errors } from 'oidc-provider';
// The registry of grant handlers is internal to oidc-provider; Logto reaches into the same
// internals for its own refresh_token grant (core/src/oidc/oidc-provider-internals.ts).
import instance from 'oidc-provider/lib/helpers/weak_cache.js';

import { assertAppAccess } from './app-access-control.mjs';
import { ORGANIZATION_URN_PREFIX, isOrganizationMember, organizationScopesOf } from './demo-tenant.mjs';

/** The scope a refresh token needs before it can be exchanged for organization tokens. */
export const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';

/**
 * Makes the `refresh_token` grant Logto's (core/src/oidc/grants/refresh-token.ts), checking in its order:
 * - a missing, foreign, expired or reused token (or a revoked grant): oidc-provider's own `invalid_grant`,
 *   reuse of a rotated token revoking the whole grant;
 * - since Logto 1.41, a user the app's access control refuses: 400 `access_denied`, "Access denied.";
 * - with Logto's `organization_id` parameter (Logto RFC 0001), membership of the organization, else 403
 *   `access_denied`, and the scope `urn:logto:scope:organizations`, else 403 `insufficient_scope`.
 * With `organization_id` and no `resource` it returns an organization token, `aud`
 * `urn:logto:organization:<id>`, its scope the organization permissions of the user's organization roles
 * that the request asks for; with `resource`, the resource's token, scopes narrowed to that organization
 * (api-resources.mjs). Everything else, including rotation (provider-config.mjs), stays oidc-provider's.
 * @param {import('oidc-provider').Provider} provider
 * @param {{ accessTokenTtl: number, accessControl: import('./app-access-control.mjs').AppAccessControl }} options
 * @see https://github.com/logto-io/logto/blob/master/packages/core/src/oidc/grants/refresh-token.ts
 */
export function installLogtoRefreshTokenGrant(provider, { accessTokenTtl, accessControl }) {
  const { grantTypeHandlers, grantTypeParams, grantTypeDupes } = instance(provider);
  const refreshTokenGrant = grantTypeHandlers.get('refresh_token');
  const parameters = new Set([...grantTypeParams.get('refresh_token'), 'organization_id']);

  async function logtoRefreshTokenGrant(ctx) {
    const { params, client } = ctx.oidc;
    const organizationId = params.organization_id;
    if (!organizationId && !accessControl.enabled) return refreshTokenGrant(ctx);

    const refreshToken = await usableRefreshToken(provider, params.refresh_token, client.clientId);
    // A missing, foreign, expired or reused token (or a revoked grant) gets the built-in grant's
    // own invalid_grant answer: Logto checks those before app and organization access too.
    if (!refreshToken) return refreshTokenGrant(ctx);

    assertAppAccess(accessControl, refreshToken.accountId);
    if (!organizationId) return refreshTokenGrant(ctx);

    if (!isOrganizationMember(refreshToken.accountId, organizationId)) {
      const error = new errors.AccessDenied('user is not a member of the organization');
      // Logto answers 403 here (core/src/oidc/grants/utils.ts); oidc-provider's default is 400.
      error.statusCode = 403;
      error.status = 403;
      throw error;
    }
    if (!refreshToken.scopes.has(ORGANIZATIONS_SCOPE)) {
      throw new errors.InsufficientScope('refresh token missing required scope', ORGANIZATIONS_SCOPE);
    }
    if (params.resource) return refreshTokenGrant(ctx);

    // The scopes the token may carry: those requested, else all of the refresh token's.
    const requested = params.scope ? ctx.oidc.requestParamScopes : refreshToken.scopes;
    const available = organizationScopesOf(refreshToken.accountId, organizationId);
    const audience = `${ORGANIZATION_URN_PREFIX}${organizationId}`;

    // The built-in grant names the new access token (ctx.oidc.entity) right before saving it:
    // that is where the opaque userinfo token turns into the organization's JWT.
    const assignEntity = ctx.oidc.entity.bind(ctx.oidc);
    ctx.oidc.entity = (key, value) => {
      if (key === 'AccessToken') {
        value.claims = undefined;
        value.resourceServer = new provider.ResourceServer(audience, {
          audience,
          scope: available.join(' '),
          accessTokenTTL: accessTokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES384' } },
        });
        value.scope = available.filter((scope) => requested.has(scope)).join(' ');
      }
      return assignEntity(key, value);
    };
    return refreshTokenGrant(ctx);
  }

  provider.registerGrantType(
    'refresh_token',
    logtoRefreshTokenGrant,
    parameters,
    grantTypeDupes.get('refresh_token'),
  );
}

async function usableRefreshToken(provider, value, clientId) {
  if (typeof value !== 'string' || value === '') return undefined;
  const token = await provider.RefreshToken.find(value, { ignoreExpiration: true });
  if (!token || token.clientId !== clientId || token.isExpired || token.consumed) return undefined;
  if (!(await provider.Grant.find(token.grantId))) return undefined;
  return token;
}
