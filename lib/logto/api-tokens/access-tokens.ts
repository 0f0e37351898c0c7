import { createHash } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import { isLogtoToken } from '../session/callbacks';
import { isSessionRevoked } from '../logout/end-revoked-session';
import type { LogtoEnv } from '../env';
import { EXPIRY_MARGIN_SECONDS, type RefreshContext } from '../session/refresh-access-token';
import { runRefreshGrant, targetKey, type GrantStep, type GrantTarget } from '../session/refresh-grant';
import { readSessionToken, writeSessionToken, type RequestContext } from '../next-auth/session-cookie';
import type { SessionRevocations } from '../logout/session-revocations';
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
  | 'issuer_error';

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
  env: Pick<LogtoEnv, 'AUTH_LOGTO_RESOURCES' | 'AUTH_LOGTO_SCOPES' | 'NEXTAUTH_URL'>;
  providerId: string;
  refresh: RefreshContext;
  /** The composed next-auth options (what `withLogto` returned): secret, cookies, jwt, session. */
  authOptions(): NextAuthOptions;
  /** Sign-outs and back-channel logouts recorded: a revoked session gets no tokens. */
  revocations: SessionRevocations;
  store?: AccessTokenStore;
}

/**
 * Gets tokens with refresh grants naming `resource` / `organization_id`, through the same chain and single
 * flight as the session's refresh, and writes the rotated refresh token back into the session cookie. The
 * tokens themselves stay out of the cookie: they are kept in `store`, keyed by a hash of session and target.
 * @see https://docs.logto.io/authorization/validate-access-tokens
 */
export function createLogtoAccessTokens(context: AccessTokenContext): LogtoAccessTokens {
  const { env, providerId, refresh } = context;
  const store = context.store ?? createTtlCache<CachedAccessToken>({ maxEntries: 10_000 });
  const baseUrl = env.NEXTAUTH_URL;
  const nowSeconds = () => refresh.nowSeconds?.() ?? Math.floor(Date.now() / 1000);

  async function tokenFor(ctx: RequestContext, target: GrantTarget): Promise<string> {
    const authOptions = context.authOptions();
    const token = await readSessionToken(ctx.req, authOptions, baseUrl);
    if (!token || !isLogtoToken(token, providerId) || token.error) {
      throw new LogtoAccessTokenError('not_signed_in', 'No Logto session in this request: the user must sign in (again) first.');
    }
    // The cookie is read without the jwt callback: a session that ended must not get tokens from its refresh token.
    if (await isSessionRevoked(token, context.revocations, refresh.logger)) {
      throw new LogtoAccessTokenError(
        'not_signed_in',
        'This session was signed out, or Logto ended it (back-channel logout): the user must sign in again.',
      );
    }
    if (token.tokensUnavailable) {
      throw new LogtoAccessTokenError('issuer_error', 'The server-side token store did not answer (is Redis up?); try again in a moment.');
    }
    if (!token.refreshToken) {
      throw new LogtoAccessTokenError(
        'no_refresh_token',
        'The session has no refresh token: ask for offline_access with prompt=consent (the provider literal does), ' +
          'and enable refresh tokens for the app in Logto Console; then sign in again.',
      );
    }
    // Per session (its random id), so two sessions of one user never share a token.
    const cacheKey = createHash('sha256')
      .update(`${token.sessionId ?? token.sub ?? ''}\n${targetKey(target)}`)
      .digest('base64url');
    const cached = await store.get(cacheKey);
    if (cached && nowSeconds() < cached.expiresAt - EXPIRY_MARGIN_SECONDS) return cached.accessToken;

    const session = { refreshToken: token.refreshToken, accessToken: token.accessToken, expiresAt: token.expiresAt, idToken: token.idToken };
    const { step, session: after } = await runRefreshGrant(refresh, session, target, {
      minValiditySeconds: EXPIRY_MARGIN_SECONDS,
      nowSeconds: nowSeconds(),
    });
    const revoked = !step.ok && step.error === 'invalid_grant';
    if (after.refreshToken !== token.refreshToken || revoked) {
      // Logto rotated the refresh token: the cookie must carry the new one, or the next grant reuses the old one
      // and Logto revokes the whole grant. A revoked grant marks the session, so the app asks for a new sign-in.
      await writeSessionToken(ctx, authOptions, baseUrl, { ...token, ...after, ...(revoked && { error: 'RefreshAccessTokenError' }) });
    }
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
