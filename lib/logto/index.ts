/**
 * The Logto kit for next-auth v4: copy this folder into your app and wire it in your
 * `pages/api/auth/[...nextauth].ts` (see the README's "Copy into your app").
 *
 * - env.ts: `readLogtoEnv`, the AUTH_LOGTO_* and NEXTAUTH_* variables, validated with clear errors
 * - kit.ts: `createLogtoKit`, which composes the callbacks and serves the route
 * - discovery-cache.ts, issuer-cache.ts, jwks-refetch-guard.ts: one request to Logto per sign-in
 * - refresh-access-token.ts, refresh-single-flight.ts: refresh in the `jwt` callback, deduplicated
 * - callbacks.ts: the `jwt` / `session` logic for Logto sessions, other providers untouched
 * - sign-out.ts: next-auth's `signOut()` also revokes at Logto and ends the Logto session
 * - logger.ts, explain-auth-error.ts: one log line per failure, with its cause and fix
 * - cookies.ts, error-redirect.ts: next-auth's cookies and redirects, as next-auth itself does them
 * - redirect.ts: the `redirect` callback and callbackUrl checks: same origin only, never a 500
 * - time-claims.ts: `checkTimeClaims`, exp/iat/nbf/auth_time against the clock with one 10 s skew
 * - session.ts: `getLogtoSession(ctx, authOptions)` for getServerSideProps and API routes
 * - access-tokens.ts, refresh-grant.ts, session-cookie-writer.ts, ttl-cache.ts: `logto.getAccessToken(ctx, resource)`
 *   and `logto.getOrganizationToken(ctx, id)`, sharing the refresh chain and writing the rotated refresh token back
 * - verify-access-token.ts: `logto.verifyAccessToken(authorization, { audience, scopes })` for your own API routes
 * - authorization-claims.ts: `session.user.roles` and `session.user.organizations` from the id_token
 * - organization-data.ts: `logto.getOrganizationData(ctx)`, organization names from userinfo, cached per session
 * - session-jwt.ts: next-auth's session cookie format, with the derived key kept instead of derived per request
 * - fast-session-read.ts: session reads without next-auth's per-request setup; the cookie re-issued only when
 *   the token changed or after session.updateAge; anything unusual goes to next-auth
 * - profile.ts: `LogtoProfile`, the claims Logto issues
 * - shared-store.ts, shared-store-cipher.ts: Redis (any ioredis-shaped client) for several instances, with fallback
 * - redis-refresh-single-flight.ts: the refresh single flight across instances, results encrypted in Redis
 * - session-revocations.ts, redis-session-revocations.ts: back-channel logout revocations and jti replay checks
 * - backchannel-logout.ts, logout-token.ts: `POST /api/auth/backchannel-logout`, logout tokens checked per spec
 * - issuer-keys.ts: one jose JWKS per process for logout tokens and API access tokens
 * - urls.ts: the callback URL, home and error page as next-auth derives them from NEXTAUTH_URL and `pages`
 * - end-revoked-session.ts: the `jwt` callback signs a revoked session out before any refresh
 */
export { readLogtoEnv, LogtoEnvError, ID_TOKEN_ALGORITHMS, type LogtoEnv, type IdTokenAlgorithm } from './env';
export { createLogtoKit, type LogtoKit, type LogtoKitOptions } from './kit';
export { getLogtoSession } from './session/get-logto-session';
export { createSessionJwt, deriveEncryptionKey, type SessionJwtCodec } from './next-auth/session-jwt';
export { createAuthLogger, authLogger, type AuthLogger, type LogSink } from './log/logger';
export { createRefreshSingleFlight, type RefreshSingleFlight } from './session/refresh-single-flight';
export { checkTimeClaims, CLOCK_SKEW_SECONDS, TimeClaimError, type TimeClaimOptions } from './oidc/time-claims';
export type { LogtoProfile } from './profile';
export {
  LogtoAccessTokenError,
  ORGANIZATIONS_SCOPE,
  type AccessTokenStore,
  type CachedAccessToken,
  type LogtoAccessTokenErrorCode,
} from './api-tokens/access-tokens';
export { bearerChallenge, type AccessTokenRequirements, type BearerVerdict } from './api-tokens/verify-access-token';
export type { LogtoOrganization, LogtoAuthorizationClaims } from './session/authorization-claims';
export type { LogtoOrganizationData, LogtoOrganizationDirectory } from './api-tokens/organization-data';
export type { RequestContext } from './next-auth/session-cookie';

// Several instances: shared through Redis when the app passes a client (see README "Running several instances").
export {
  createSharedStore,
  SharedStoreUnavailableError,
  type SharedStore,
  type SharedStoreClient,
  type SharedStoreOptions,
} from './store/shared-store';
export { createRedisRefreshSingleFlight, type RedisRefreshSingleFlightOptions } from './store/redis-refresh-single-flight';
export {
  createMemorySessionRevocations,
  type SessionRevocations,
  type RevocationQuery,
  type MemorySessionRevocationsOptions,
} from './logout/session-revocations';
export { createRedisSessionRevocations, type RedisSessionRevocationsOptions } from './store/redis-session-revocations';
export {
  verifyLogoutToken,
  LogoutTokenError,
  type LogoutTokenClaims,
  type LogoutTokenExpectations,
} from './logout/logout-token';
export { createRedisClient, isRedisUrl, type RedisClientOptions } from './store/redis-client';
