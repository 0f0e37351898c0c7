import { findUserById } from './demo-users.mjs';

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
  identities: ['identities'],
});

// Logto's "extended" claims reach the ID token only when enabled in its Console (Custom JWT >
// ID token); by default, as here, the app gets them from the userinfo endpoint.
// https://docs.logto.io/developers/custom-id-token
const EXTENDED_CLAIMS = ['roles', 'custom_data', 'identities'];

/**
 * Maps a demo user to the claims Logto would return for it. Avatar paths become absolute URLs on
 * `origin`, the issuer's own origin, so pictures load without internet access.
 */
export function toLogtoClaims(user, origin) {
  const absolute = (path) => (path === null ? null : new URL(path, origin).href);
  const withAbsoluteAvatar = (details) =>
    typeof details.avatar === 'string' ? { ...details, avatar: absolute(details.avatar) } : details;
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
    roles: user.roles,
    custom_data: user.customData,
    identities: Object.fromEntries(
      Object.entries(user.identities).map(([target, { userId, details }]) => [
        target,
        { userId, details: withAbsoluteAvatar(details) },
      ]),
    ),
  };
}

/** Builds oidc-provider's `findAccount` over the demo users; see {@link toLogtoClaims}. */
export function createFindAccount(origin) {
  return async (_ctx, sub) => {
    const user = findUserById(sub);
    if (!user) return undefined;
    return {
      accountId: user.id,
      claims: async (use) => {
        const claims = toLogtoClaims(user, origin);
        if (use === 'id_token') for (const claim of EXTENDED_CLAIMS) delete claims[claim];
        return claims;
      },
    };
  };
}
