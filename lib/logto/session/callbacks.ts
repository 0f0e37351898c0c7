import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Account, CallbacksOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import { readAuthorizationClaims } from './authorization-claims';
import type { LogtoSession } from './logto-session';
import { authTimeOf } from './auth-time';
import { endRevokedSession } from '../logout/end-revoked-session';
import { keepAccessTokenFresh, type RefreshContext } from './refresh-access-token';
import type { SessionRevocations } from '../logout/session-revocations';
import { fillDatabaseSession, type DatabaseSessionContext } from '../database/database-session';
import { recordLogtoSignIn } from '../database/session-links';
import type {} from '../types/next-auth';

/** The JWT fields the kit owns; cleared when the user signs in with another provider. */
const LOGTO_FIELDS = ['accessToken', 'expiresAt', 'refreshToken', 'idToken', 'sid', 'sessionId', 'authTime', 'error'] as const;

/** Whether `token` is a session that signed in through Logto (`provider` is remembered at sign-in). */
export function isLogtoToken(token: JWT, providerId: string): boolean {
  // Cookies written before `provider` was remembered carry Logto's id_token and no provider.
  return token.provider === providerId || (token.provider === undefined && typeof token.idToken === 'string');
}

/** The session token right after a sign-in: Logto's tokens for a Logto sign-in, none for any other provider. */
export function startSessionToken(token: JWT, account: Account, providerId: string): JWT {
  const fresh: JWT = { ...token, provider: account.provider };
  for (const field of LOGTO_FIELDS) delete fresh[field];
  if (account.provider !== providerId) return fresh;
  const claims = account.id_token ? decodeJwt(account.id_token) : {};
  const authTime = authTimeOf(claims);
  return {
    ...fresh,
    sub: account.providerAccountId,
    accessToken: account.access_token,
    expiresAt: account.expires_at,
    refreshToken: account.refresh_token,
    idToken: account.id_token,
    // Names this session's resource tokens in the kit's token store (access-tokens.ts); 22 characters.
    sessionId: randomBytes(16).toString('base64url'),
    // Back-channel logout names the session by `sid`, present when "Is session required" is on in Logto.
    ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}),
    // When the user signed in, for "sub logged out before T"; next-auth renews the JWT's own `iat` on every read.
    ...(authTime !== undefined ? { authTime } : {}),
  };
}

/** What {@link composeLogtoCallbacks} needs: the Logto provider's id, the refresh machinery, the revocations. */
export interface LogtoCallbackContext {
  providerId: string;
  refresh: RefreshContext;
  /** Sign-outs and back-channel logouts recorded; a revoked session ends on its next read. */
  revocations: SessionRevocations;
  /** For database sessions: the Account rows that hold Logto's tokens. */
  database?: DatabaseSessionContext;
}

type Callbacks = Partial<CallbacksOptions>;
type SignInParams = Parameters<CallbacksOptions['signIn']>[0];
type JwtParams = Parameters<CallbacksOptions['jwt']>[0];
type SessionParams = Parameters<CallbacksOptions['session']>[0];

/**
 * The team's `jwt` and `session` callbacks with the kit's logic run first: Logto sessions get their
 * tokens stored and refreshed; sessions of other providers pass through untouched. With database sessions,
 * `signIn` writes a Logto sign-in's tokens into the Account row once the team's own `signIn` allowed it.
 */
export function composeLogtoCallbacks(own: Callbacks | undefined, context: LogtoCallbackContext): Callbacks {
  const { providerId, database } = context;
  return {
    ...own,
    ...(database && {
      async signIn(params: SignInParams) {
        const allowed = own?.signIn ? await own.signIn(params) : true;
        if (allowed === true && params.account?.provider === providerId) {
          await recordLogtoSignIn(params.account, { store: database.refresh.store, logger: database.refresh.logger });
          // An existing user (next-auth passes the adapter's user): the session reads must see the new tokens.
          database.accounts.forget(params.user.id, providerId);
        }
        return allowed;
      },
    }),
    async jwt(params: JwtParams) {
      let token = params.token;
      if (params.account) token = startSessionToken(token, params.account, providerId);
      else if (isLogtoToken(token, providerId)) {
        await endRevokedSession(token, context.revocations, context.refresh.logger);
        token = await keepAccessTokenFresh(token, context.refresh);
      }
      return own?.jwt ? own.jwt({ ...params, token }) : token;
    },
    async session(params: SessionParams) {
      const { session, token, user } = params;
      if (!token && user && database) {
        await fillDatabaseSession(session, user, database);
      } else if (token) {
        if (session.user || token.sub) {
          // From the id_token the cookie already holds: roles and organizations cost the cookie nothing.
          const { roles, organizations } = readAuthorizationClaims(isLogtoToken(token, providerId) ? token.idToken : undefined);
          session.user = {
            ...session.user,
            ...(token.sub && { id: token.sub }),
            // next-auth v4 turns the mapper's null email into undefined, which JSON drops; a Kakao user without
            // an email gets an explicit null, as the profile mapper returned it.
            email: token.email ?? null,
            roles,
            organizations,
          } as LogtoSession['user'];
        }
        if (isLogtoToken(token, providerId)) {
          session.accessTokenExpiresAt = token.expiresAt;
          if (token.error) session.error = token.error;
        }
      }
      return own?.session ? own.session({ ...params, session }) : session;
    },
  };
}
