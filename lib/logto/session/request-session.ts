import type { NextAuthOptions } from 'next-auth';
import { isLogtoToken } from './callbacks';
import { isSessionRevoked } from '../logout/end-revoked-session';
import type { SessionRevocations } from '../logout/session-revocations';
import { readSessionToken, writeSessionToken, type RequestContext } from '../next-auth/session-cookie';
import type { RefreshContext } from './refresh-access-token';
import { runRefreshGrant, type GrantStep, type GrantTarget } from './refresh-grant';
import type {} from '../types/next-auth';

/** The Logto session a request carries, whichever session strategy keeps its tokens. */
export interface RequestLogtoSession {
  /** Names this app session in the kit's caches (hashed there with what is cached). */
  id: string;
  /** The session's own (opaque, userinfo) access token. */
  accessToken?: string;
  /** When `accessToken` expires, epoch seconds. */
  expiresAt?: number;
  refreshToken?: string;
  /**
   * Runs a refresh grant for `target` from the session's refresh token, through the kit's single flight, and
   * keeps the rotated tokens where the session keeps them (its cookie, or its Account row).
   */
  grant(target: GrantTarget, options: { minValiditySeconds: number; nowSeconds: number }): Promise<GrantStep>;
}

/** A request's Logto session, or why there is none the kit may use. */
export type RequestSessionRead =
  | { session: RequestLogtoSession }
  | {
      /**
       * `revoked`: signed out, or Logto ended it (back-channel logout); `tokens_unavailable`: the server-side token
       * store (`tokenStorage: 'server'`) did not answer; `database_unavailable`: the database did not.
       */
      refused: 'not_signed_in' | 'revoked' | 'tokens_unavailable' | 'database_unavailable';
      /** What failed, for the `_unavailable` ones. */
      detail?: string;
    };

/** Reads the Logto session of a request, for the readers of it that are not next-auth's session route. */
export type RequestSessionReader = (ctx: RequestContext) => Promise<RequestSessionRead>;

/** What {@link createCookieSessionReader} needs from the kit. */
export interface CookieSessionReaderContext {
  providerId: string;
  baseUrl: string;
  refresh: RefreshContext;
  /** The composed next-auth options (what `withLogto` returned). */
  authOptions(): NextAuthOptions;
  /** Sign-outs and back-channel logouts recorded: a revoked session gets no tokens. */
  revocations: SessionRevocations;
}

/**
 * JWT sessions: the session cookie, read without the `jwt` callback. A grant's rotated refresh token is written
 * back into the cookie (or the next grant reuses the old one and Logto revokes the whole grant); a refused one
 * marks the session `RefreshAccessTokenError`.
 */
export function createCookieSessionReader(context: CookieSessionReaderContext): RequestSessionReader {
  const { providerId, baseUrl, refresh } = context;
  return async (ctx) => {
    const authOptions = context.authOptions();
    const token = await readSessionToken(ctx.req, authOptions, baseUrl);
    if (!token || !isLogtoToken(token, providerId) || token.error) return { refused: 'not_signed_in' };
    // Read without the jwt callback: a session that ended must not get tokens from its refresh token.
    if (await isSessionRevoked(token, context.revocations, refresh.logger)) return { refused: 'revoked' };
    if (token.tokensUnavailable) return { refused: 'tokens_unavailable' };
    const { refreshToken } = token;
    return {
      session: {
        id: token.sessionId ?? token.sub ?? '',
        accessToken: token.accessToken,
        expiresAt: token.expiresAt,
        refreshToken,
        async grant(target, options) {
          const tokens = { refreshToken: refreshToken ?? '', accessToken: token.accessToken, expiresAt: token.expiresAt, idToken: token.idToken };
          const { step, session: after } = await runRefreshGrant(refresh, tokens, target, options);
          const revoked = !step.ok && step.error === 'invalid_grant';
          if (after.refreshToken !== refreshToken || revoked) {
            await writeSessionToken(ctx, authOptions, baseUrl, { ...token, ...after, ...(revoked && { error: 'RefreshAccessTokenError' }) });
          }
          return step;
        },
      },
    };
  };
}
