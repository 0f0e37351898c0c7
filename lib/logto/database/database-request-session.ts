import type { NextAuthOptions } from 'next-auth';
import { deriveNextAuthSettings } from '../next-auth/settings';
import type { RequestSessionReader } from '../session/request-session';
import { targetKey } from '../session/refresh-grant';
import { runAccountGrant, type AccountRefreshContext } from './account-refresh';

/** What {@link createDatabaseSessionReader} needs from the kit. */
export interface DatabaseSessionReaderContext {
  providerId: string;
  baseUrl: string;
  refresh: AccountRefreshContext;
  /** The composed next-auth options (what `withLogto` returned): the adapter and the cookie names. */
  authOptions(): NextAuthOptions;
}

/**
 * Database sessions: the session token from next-auth's cookie, its Session row and user through the adapter
 * (an expired row counts as none, as next-auth's session route has it), and the user's Logto Account row.
 * Grants go through {@link runAccountGrant}. A database that fails reads as `database_unavailable`, with its message.
 */
export function createDatabaseSessionReader(context: DatabaseSessionReaderContext): RequestSessionReader {
  const { providerId, baseUrl, refresh } = context;
  return async (ctx) => {
    const authOptions = context.authOptions();
    const { cookies } = deriveNextAuthSettings(baseUrl, authOptions);
    const sessionToken = ctx.req.cookies[cookies.sessionToken.name];
    const getSessionAndUser = authOptions.adapter?.getSessionAndUser;
    if (!sessionToken || !getSessionAndUser) return { refused: 'not_signed_in' };
    try {
      const found = await getSessionAndUser.call(authOptions.adapter, sessionToken);
      if (!found || found.session.expires.valueOf() < Date.now()) return { refused: 'not_signed_in' };
      const account = await refresh.store.findAccount(found.user.id, providerId);
      if (!account) return { refused: 'not_signed_in' };
      return {
        session: {
          id: sessionToken,
          ...(account.accessToken !== null && { accessToken: account.accessToken }),
          ...(account.expiresAt !== null && { expiresAt: account.expiresAt }),
          ...(account.refreshToken !== null && { refreshToken: account.refreshToken }),
          async grant(target, { minValiditySeconds }) {
            try {
              return (await runAccountGrant(refresh, account, target, { minValiditySeconds })).step;
            } catch (error) {
              refresh.logger.error('LOGTO_DATABASE_ERROR', error);
              const description = error instanceof Error ? error.message : String(error);
              return { ok: false, target: targetKey(target), error: 'database_error', description };
            }
          },
        },
      };
    } catch (error) {
      refresh.logger.error('LOGTO_DATABASE_ERROR', error);
      return { refused: 'database_unavailable', detail: error instanceof Error ? error.message : String(error) };
    }
  };
}
