/** The id_token's `auth_time`, else its `iat` (close to it at sign-in; `auth_time` is optional), in epoch seconds. */
export function authTimeOf(claims: { auth_time?: unknown; iat?: unknown }): number | undefined {
  if (typeof claims.auth_time === 'number') return claims.auth_time;
  return typeof claims.iat === 'number' ? claims.iat : undefined;
}
