import { organizationsOf, rolesOf } from './demo-tenant.mjs';

/**
 * Logto's scope-to-claims mapping, for the scopes this issuer simulates.
 * @see https://github.com/logto-io/logto/blob/master/packages/toolkit/core-kit/src/openid.ts
 */
export const LOGTO_SCOPE_CLAIMS = Object.freeze({
  openid: ['sub'],
  profile: ['name', 'username', 'picture', 'created_at', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  roles: ['roles'],
  custom_data: ['custom_data'],
  identities: ['identities', 'sso_identities'],
  'urn:logto:scope:organizations': ['organizations', 'organization_data'],
  'urn:logto:scope:organization_roles': ['organization_roles'],
});

// Logto's "extended" claims reach the ID token only when enabled in its Console (Custom JWT >
// ID token). Since Logto 1.37 a tenant enables `roles`, `organizations` and `organization_roles`
// by default (alteration 1.37.0-1770295353-add-default-id-token-config); the others, as here,
// come from the userinfo endpoint only. https://docs.logto.io/developers/custom-id-token
const USERINFO_ONLY_CLAIMS = ['custom_data', 'identities', 'sso_identities', 'organization_data'];

/**
 * Maps a demo user to the claims Logto would return for it. Avatar paths become absolute URLs on
 * `origin`, the issuer's own origin, so pictures load without internet access.
 */
export function toLogtoClaims(user, origin) {
  const absolute = (path) => (path === null ? null : new URL(path, origin).href);
  const withAbsoluteAvatar = (details) =>
    typeof details.avatar === 'string' ? { ...details, avatar: absolute(details.avatar) } : details;
  const organizations = organizationsOf(user.id);
  return {
    sub: user.id,
    // Logto returns null, not an absent claim, for an empty name, picture, username or email.
    name: user.name,
    username: user.username,
    picture: absolute(user.avatar),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    email: user.primaryEmail,
    // Logto derives both *_verified claims from the presence of the value (core's oidc/scope.ts).
    email_verified: user.primaryEmail !== null,
    phone_number: user.primaryPhone,
    phone_number_verified: user.primaryPhone !== null,
    roles: rolesOf(user.id),
    // Shaped as Logto's core/src/oidc/scope.ts builds them from the user's organizations.
    organizations: organizations.map(({ id }) => id),
    organization_roles: organizations.flatMap(({ id, roles }) => roles.map((role) => `${id}:${role}`)),
    organization_data: organizations.map(({ id, name, description }) => ({ id, name, description })),
    custom_data: user.customData,
    identities: Object.fromEntries(
      Object.entries(user.identities).map(([target, { userId, details }]) => [
        target,
        { userId, details: withAbsoluteAvatar(details) },
      ]),
    ),
    sso_identities: [],
  };
}

/**
 * Builds oidc-provider's `findAccount` over the issuer's users; see {@link toLogtoClaims}.
 * @param {string} origin
 * @param {import('./user-directory.mjs').UserDirectory} users
 */
export function createFindAccount(origin, users) {
  return async (_ctx, sub) => {
    const user = users.findById(sub);
    if (!user) return undefined;
    return {
      accountId: user.id,
      claims: async (use) => {
        const claims = toLogtoClaims(user, origin);
        if (use === 'id_token') for (const claim of USERINFO_ONLY_CLAIMS) delete claims[claim];
        return claims;
      },
    };
  };
}
