import { createHash } from 'node:crypto';
import type { LogtoEnv } from '../env';
import { EXPIRY_MARGIN_SECONDS, type RefreshContext } from '../session/refresh-access-token';
import { targetKey, type GrantStep, type GrantTarget } from '../session/refresh-grant';
import type { RequestContext } from '../next-auth/session-cookie';
import type { RequestSessionReader } from '../session/request-session';
import { createTtlCache } from '../store/ttl-cache';
import type {} from '../types/next-auth';

/** Why {@link LogtoAccessTokens.getAccessToken} gave no token. */
export type LogtoAccessTokenErrorCode =
  | 'not_signed_in'
  | 'unknown_resource'
  | 'missing_scope'
  | 'no_refresh_token'
  | 'grant_revoked'
  | 'access_denied'
  | 'app_access_denied'
  | 'issuer_error'
  | 'database_error';

/** A resource or organization token could not be had; `message` says what to configure or do. */
export class LogtoAccessTokenError extends Error {
  override name = 'LogtoAccessTokenError';
  constructor(
    readonly code: LogtoAccessTokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A resource or organization token kept until shortly before it expires. */
export interface CachedAccessToken {
  accessToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  scope?: string;
}

/** Where resource and organization tokens are kept: per process by default; may be async (a shared store). */
export interface AccessTokenStore {
  get(key: string): CachedAccessToken | undefined | Promise<CachedAccessToken | undefined>;
  /** Keeps `value` for `ttlMs` milliseconds. */
  set(key: string, value: CachedAccessToken, ttlMs: number): void | Promise<void>;
}

/** Logto's scope that organization tokens need (and the `organizations` claim). */
export const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';

/** The kit's token getters, for getServerSideProps and API routes. */
export interface LogtoAccessTokens {
  /**
   * A JWT access token for `resource` (one of AUTH_LOGTO_RESOURCES), for the signed-in user; with
   * `organizationId`, for that organization (Logto's organization-level API resources).
   */
  getAccessToken(ctx: RequestContext, resource: string, organizationId?: string): Promise<string>;
  /** An organization token (`aud` `urn:logto:organization:<id>`), for the signed-in user. */
  getOrganizationToken(ctx: RequestContext, organizationId: string): Promise<string>;
}

/** What {@link createLogtoAccessTokens} needs from the kit. */
export interface AccessTokenContext {
  env: Pick<LogtoEnv, 'AUTH_LOGTO_RESOURCES' | 'AUTH_LOGTO_SCOPES'>;
  refresh: Pick<RefreshContext, 'nowSeconds'>;
  /** The request's Logto session: from its cookie (JWT sessions) or its Account row (database sessions). */
  readSession: RequestSessionReader;
  store?: AccessTokenStore;
}

/**
 * Gets tokens with refresh grants naming `resource` / `organization_id`, through the same chain and single
 * flight as the session's refresh, and keeps the rotated refresh token where the session keeps its tokens. The
 * tokens themselves stay out of the session: they are kept in `store`, keyed by a hash of session and target.
 * @see https://docs.logto.io/authorization/validate-access-tokens
 */
export function createLogtoAccessTokens(context: AccessTokenContext): LogtoAccessTokens {
  const { env, refresh } = context;
  const store = context.store ?? createTtlCache<CachedAccessToken>({ maxEntries: 10_000 });
  const nowSeconds = () => refresh.nowSeconds?.() ?? Math.floor(Date.now() / 1000);

  async function tokenFor(ctx: RequestContext, target: GrantTarget): Promise<string> {
    const read = await context.readSession(ctx);
    if ('refused' in read) {
      if (read.refused === 'database_unavailable') {
        throw new LogtoAccessTokenError(
          'database_error',
          `The session could not be read (${read.detail ?? 'the database failed'}): check that the database is up and reachable.`,
        );
      }
      if (read.refused === 'tokens_unavailable') {
        throw new LogtoAccessTokenError('issuer_error', 'The server-side token store did not answer (is Redis up?); try again in a moment.');
      }
      throw new LogtoAccessTokenError(
        'not_signed_in',
        read.refused === 'revoked'
          ? 'This session was signed out, or Logto ended it (back-channel logout): the user must sign in again.'
          : 'No Logto session in this request: the user must sign in (again) first.',
      );
    }
    const { session } = read;
    if (!session.refreshToken) {
      throw new LogtoAccessTokenError(
        'no_refresh_token',
        'The session has no refresh token: ask for offline_access with prompt=consent (the provider literal does), ' +
          'and enable refresh tokens for the app in Logto Console; then sign in again.',
      );
    }
    // Per session (its random id), so two sessions of one user never share a token.
    const cacheKey = createHash('sha256').update(`${session.id}\n${targetKey(target)}`).digest('base64url');
    const cached = await store.get(cacheKey);
    if (cached && nowSeconds() < cached.expiresAt - EXPIRY_MARGIN_SECONDS) return cached.accessToken;

    const step = await session.grant(target, { minValiditySeconds: EXPIRY_MARGIN_SECONDS, nowSeconds: nowSeconds() });
    if (!step.ok) throw errorFor(step, target);
    const expiresAt = step.expiresAt ?? nowSeconds() + 60;
    const keepMs = (expiresAt - EXPIRY_MARGIN_SECONDS - nowSeconds()) * 1000;
    if (keepMs > 0) await store.set(cacheKey, { accessToken: step.accessToken, expiresAt, scope: step.scope }, keepMs);
    return step.accessToken;
  }

  return {
    getAccessToken(ctx, resource, organizationId) {
      if (!env.AUTH_LOGTO_RESOURCES.includes(resource)) {
        return Promise.reject(
          new LogtoAccessTokenError(
            'unknown_resource',
            `"${resource}" is not in AUTH_LOGTO_RESOURCES (${env.AUTH_LOGTO_RESOURCES.join(', ') || 'unset'}): add it there ` +
              'and in Logto Console → API resources, then sign in again so the authorization request names it.',
          ),
        );
      }
      if (organizationId !== undefined) {
        const missing = requireOrganizationsScope();
        if (missing) return Promise.reject(missing);
      }
      return tokenFor(ctx, { resource, organizationId });
    },
    getOrganizationToken(ctx, organizationId) {
      const missing = requireOrganizationsScope();
      return missing ? Promise.reject(missing) : tokenFor(ctx, { organizationId });
    },
  };

  function requireOrganizationsScope(): LogtoAccessTokenError | undefined {
    if (env.AUTH_LOGTO_SCOPES.includes(ORGANIZATIONS_SCOPE)) return undefined;
    return new LogtoAccessTokenError(
      'missing_scope',
      `Organization tokens need the scope ${ORGANIZATIONS_SCOPE}: add it to AUTH_LOGTO_SCOPES and sign in again.`,
    );
  }
}

function errorFor(step: GrantStep & { ok: false }, { resource, organizationId }: GrantTarget): LogtoAccessTokenError {
  const what = [resource && `resource "${resource}"`, organizationId && `organization "${organizationId}"`].filter(Boolean).join(' in ');
  switch (step.error) {
    case 'invalid_target':
      return new LogtoAccessTokenError(
        'unknown_resource',
        `Logto refused the ${what} (invalid_target): register it in Logto Console → API resources and list it in ` +
          'AUTH_LOGTO_RESOURCES; a session that signed in before that must sign in again.',
      );
    case 'access_denied':
      // Logto ≥ 1.41 answers every grant of a user its app-level access control refuses with exactly this
      // description (core/src/oidc/application-access-control.ts, phrase oidc.access_denied).
      if (step.description === 'Access denied.') {
        return new LogtoAccessTokenError(
          'app_access_denied',
          `Logto refused a token for the ${what} (access_denied): the user may not use this app (Logto Console → Applications → this app → Rules).`,
        );
      }
      return new LogtoAccessTokenError(
        'access_denied',
        `Logto refused a token for the ${what} (access_denied): the user is not a member of the organization.`,
      );
    case 'insufficient_scope':
      return new LogtoAccessTokenError(
        'missing_scope',
        `Logto refused a token for the ${what} (insufficient_scope): add ${ORGANIZATIONS_SCOPE} to AUTH_LOGTO_SCOPES and sign in again.`,
      );
    case 'database_error':
      return new LogtoAccessTokenError(
        'database_error',
        `The refresh grant for the ${what} could not be stored (${step.description ?? 'the database failed'}): check that the database is up and reachable.`,
      );
    case 'invalid_grant':
      return new LogtoAccessTokenError(
        'grant_revoked',
        'Logto no longer accepts the session’s refresh token (invalid_grant: signed out, expired, or revoked): the user must sign in again.',
      );
    default:
      return new LogtoAccessTokenError(
        'issuer_error',
        `The token request for the ${what} failed (${step.error}${step.status ? `, HTTP ${step.status}` : ''}): ` +
          'check that AUTH_LOGTO_ISSUER is reachable from the server.',
      );
  }
}
