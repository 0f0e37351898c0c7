import { setTimeout as sleep } from 'node:timers/promises';
import { ACCOUNT_CACHE_TTL_MS } from '../../../lib/logto/database/account-cache';
import type { CellDatabase } from '../cell-database/cell-database';
import type { HttpBrowser } from '../http-flow/http-browser';
import { readSessionCookie, type NextAuthApp } from '../http-flow/next-auth-flow';
import { expectLogtoTokens, type CellSessions } from './cell-sessions';

/**
 * Database sessions (an adapter): the session cookie holds only the Session row's token; Logto's tokens live in the
 * user's Account row, where the runner reads them and moves `expires_at` as time would.
 */
export function createDatabaseSessions(context: {
  app: NextAuthApp;
  database: CellDatabase;
  /** The Logto user who signs in (the Account row's providerAccountId), and the User row's name and email. */
  user: { sub: string; name: string; email: string };
}): CellSessions {
  const { database, user } = context;
  return {
    strategy: 'database',
    async capture(browser) {
      const cookie = readSessionCookie(browser, context.app);
      if (!cookie) throw new Error('the browser holds no session cookie');
      const session = await database.findSession(cookie);
      if (!session) throw new Error(`no Session row has the session cookie's token (${database.description})`);
      const account = await database.findLogtoAccount(user.sub);
      if (!account) throw new Error(`no Account row for provider logto and ${user.sub} (${database.description})`);
      if (account.userId !== session.userId) throw new Error(`the Session row's user ${session.userId} is not the Logto Account row's ${account.userId}`);
      const userRow = await database.findUser(session.userId);
      if (userRow?.name !== user.name || userRow.email !== user.email) {
        throw new Error(`the User row shows ${JSON.stringify(userRow ?? null)}, not ${user.name} <${user.email}>`);
      }
      const tokens = {
        accessToken: account.access_token ?? undefined,
        refreshToken: account.refresh_token ?? undefined,
        idToken: account.id_token ?? undefined,
        expiresAt: account.expires_at ?? undefined,
      };
      expectLogtoTokens(tokens, 'Account row');
      return { tokens, cookie, capturedAt: Date.now(), where: 'User, Account and Session rows' };
    },
    async expire(_browser, session) {
      // The kit reuses a user's Account row for ACCOUNT_CACHE_TTL_MS per process (database/account-cache.ts): a row
      // whose expiry really passed is due in the row it kept too, but this one is changed behind its back.
      const wait = Math.max(0, session.capturedAt + ACCOUNT_CACHE_TTL_MS + 1_000 - Date.now());
      await sleep(wait);
      const expiresAt = Math.floor(Date.now() / 1000) - 60;
      await database.setLogtoAccountExpiry(user.sub, expiresAt);
      return `Account row expires_at set to ${expiresAt} (was ${session.tokens.expiresAt}) after ${Math.round(wait / 1000)} s for the kit's ${ACCOUNT_CACHE_TTL_MS / 1000} s row cache`;
    },
    async expectGone(_browser: HttpBrowser, session) {
      const row = await database.findSession(session.cookie);
      if (row) throw new Error(`the Session row ${session.cookie.slice(0, 8)}… is still in ${database.description}`);
      return 'Session row deleted';
    },
    close: () => database.close(),
  };
}
