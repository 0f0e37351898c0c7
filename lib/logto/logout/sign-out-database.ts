import type { NextApiRequest, NextApiResponse } from 'next';
import type { NextAuthOptions } from 'next-auth';
import type { Client } from 'openid-client';
import { keyOf, type AccountTokenStore } from '../database/account-token-store';
import { expireCookieChunks, verifyCsrfToken } from '../next-auth/cookies';
import { sendRedirect } from '../next-auth/send-redirect';
import { deriveNextAuthSettings } from '../next-auth/settings';
import { sendEndSessionRedirect } from './end-session-redirect';
import { SIGNED_OUT_LOCALLY_QUERY, type SignOutContext } from './sign-out';

/** What {@link signOutDatabaseSession} needs: what sign-out needs, and the Account rows. */
export interface DatabaseSignOutContext extends SignOutContext {
  store: AccountTokenStore;
}

/**
 * `POST /api/auth/signout` for a database session of a user with a Logto account: checks next-auth's CSRF
 * token, deletes the Session row (the adapter's `deleteSession`), clears the cookie, revokes the Account's
 * refresh token (end_session does not) and answers Logto's end_session URL with the stored id_token as
 * `id_token_hint`. Returns false when next-auth should handle the request itself (bad CSRF token, no session,
 * no Logto account, or a database that fails: next-auth then signs out locally and logs its own error).
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export async function signOutDatabaseSession(
  req: NextApiRequest,
  res: NextApiResponse,
  authOptions: NextAuthOptions,
  context: DatabaseSignOutContext,
): Promise<boolean> {
  const { home, logger, store } = context;
  const { cookies } = deriveNextAuthSettings(home, authOptions);
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  if (!verifyCsrfToken(req.cookies[cookies.csrfToken.name], body.csrfToken, authOptions.secret ?? '')) return false;

  const sessionToken = req.cookies[cookies.sessionToken.name];
  const adapter = authOptions.adapter;
  if (!sessionToken || !adapter?.getSessionAndUser || !adapter.deleteSession) return false;
  let found;
  let account;
  try {
    found = await adapter.getSessionAndUser(sessionToken);
    account = found && (await store.findAccount(found.user.id, context.providerId));
    if (!found || !account) return false;
    await adapter.deleteSession(sessionToken);
  } catch (error) {
    logger.error('LOGTO_DATABASE_ERROR', error);
    return false;
  }
  res.setHeader('Set-Cookie', expireCookieChunks(req.cookies, cookies.sessionToken));
  // next-auth's own sign-out passes database sessions' events the adapter's session (core/routes/signout.ts).
  await authOptions.events?.signOut?.({ session: found.session as never, token: undefined as never });

  let client: Client;
  try {
    client = await context.getClient();
    if (account.refreshToken) {
      await client.revoke(account.refreshToken, 'refresh_token');
      // The user's other sessions share this Account row: they see RefreshAccessTokenError at their next
      // refresh instead of sending Logto a revoked token.
      await store.swapTokens(keyOf(account), account.refreshToken, {
        accessToken: account.accessToken,
        refreshToken: null,
        expiresAt: account.expiresAt,
        idToken: account.idToken,
      });
    }
  } catch (error) {
    logger.error('LOGTO_SIGN_OUT_ERROR', error);
    sendRedirect(req, res, `${home}/?${SIGNED_OUT_LOCALLY_QUERY}`);
    return true;
  }
  sendEndSessionRedirect(req, res, client, { home, idToken: account.idToken });
  return true;
}
