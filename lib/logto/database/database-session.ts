import type { Session } from 'next-auth';
import type { AdapterUser } from 'next-auth/adapters';
import { readAuthorizationClaims } from '../session/authorization-claims';
import type { LogtoSession } from '../session/logto-session';
import { keepAccountFresh, type AccountRefreshContext, type FreshAccount } from './account-refresh';
import type { LogtoDatabaseStore } from './account-token-store';
import type { AccountCache } from './account-cache';
import type {} from '../types/next-auth';

/** What the `session` callback needs for database sessions: the provider id, the account refresh, the rows read. */
export interface DatabaseSessionContext {
  providerId: string;
  refresh: AccountRefreshContext & { store: LogtoDatabaseStore };
  /** The Account rows session reads see, kept for a few seconds (account-cache.ts). */
  accounts: AccountCache;
}

/**
 * The `session` callback's part for a database session (next-auth passes `user`, no token): the user's id, and
 * for a user with a Logto account its roles and organizations from the id_token in the Account row, refreshed
 * first when due. A database that fails is logged and the session kept, without Logto's claims.
 */
export async function fillDatabaseSession(session: Session, user: AdapterUser, context: DatabaseSessionContext): Promise<void> {
  let fresh: FreshAccount | undefined;
  try {
    const account = await context.accounts.find(user.id, context.providerId);
    if (account) fresh = await keepAccountFresh(account, context.refresh);
    if (fresh && fresh.account !== account) context.accounts.remember(fresh.account);
  } catch (error) {
    context.refresh.logger.error('LOGTO_DATABASE_ERROR', error);
  }
  const { roles, organizations } = readAuthorizationClaims(fresh?.account.idToken ?? undefined);
  (session as LogtoSession).user = { ...session.user, id: user.id, email: user.email ?? null, roles, organizations };
  if (!fresh) return;
  if (fresh.account.expiresAt !== null) session.accessTokenExpiresAt = fresh.account.expiresAt;
  if (fresh.error) session.error = fresh.error;
}
