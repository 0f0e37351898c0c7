/**
 * The Logto kit for next-auth v4: its public API. Everything else in this folder is internal (tests import it by
 * path); see README.md beside this file for what is where, how to wire it and how to update it.
 */
import type {} from './types/next-auth';

// The route: the provider literal, `authOptions` and `export default logto.handler(authOptions)`.
export { createLogtoKit, type LogtoKit, type LogtoKitOptions } from './kit';
export { readLogtoEnv, LogtoEnvError, type LogtoEnv, type IdTokenAlgorithm } from './env';
export type { LogtoProfile } from './profile';
export { createRedisClient, type RedisClientOptions } from './store/redis-client';
// Database sessions (an adapter): the store of Logto's tokens in the Account row, for Prisma or plain SQL.
export { createPrismaAccountStore, type PrismaAccountClient } from './database/prisma-account-store';
export { createSqlAccountStore, logtoTablesSql, type SqlQuery, type SqlAccountStoreOptions, type SqlLogtoDatabaseStore } from './database/sql-account-store';

// The app's pages and API routes.
export { getLogtoSession } from './session/get-logto-session';
export type { LogtoOrganization, LogtoAuthorizationClaims } from './session/authorization-claims';
export type { LogtoSession, LogtoSessionUser } from './session/logto-session';
export type { RequestContext } from './next-auth/session-cookie';
export { LogtoAccessTokenError, type LogtoAccessTokenErrorCode } from './api-tokens/access-tokens';
export { bearerChallenge, type AccessTokenRequirements, type BearerVerdict } from './api-tokens/verify-access-token';
export type { LogtoOrganizationData } from './api-tokens/organization-data';

// What `createLogtoKit`'s options take, to replace a default (logger, stores, single flight).
export type { AuthLogger } from './log/logger';
export type { AccessTokenStore, CachedAccessToken } from './api-tokens/access-tokens';
export type { RefreshSingleFlight } from './session/refresh-single-flight';
export type { SessionRevocations, RevocationQuery } from './logout/session-revocations';
export type { SharedStoreClient } from './store/shared-store';
export type { SessionTokenStore, StoredSessionTokens } from './store/session-token-store';
export type { AccountTokenStore, SessionLinkStore, LogtoDatabaseStore, StoredAccount, AccountTokens, AccountKey, SessionLink } from './database/account-token-store';
