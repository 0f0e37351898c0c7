import { AsyncLocalStorage } from 'node:async_hooks';
import { decodeJwt } from 'jose';
import type { Account } from 'next-auth';
import type { Adapter, AdapterSession } from 'next-auth/adapters';
import type { AuthLogger } from '../log/logger';
import { authTimeOf } from '../session/auth-time';
import type { LogtoDatabaseStore } from './account-token-store';

/** The Logto sign-in under way in one callback request, from the `signIn` callback to the adapter's `createSession`. */
interface PendingSignIn {
  account?: Account;
}

const signIns = new AsyncLocalStorage<PendingSignIn>();

/** Runs one `/api/auth/callback/<provider>` request so the session next-auth creates can be linked to its sign-in. */
export function runSignInRequest<T>(handle: () => Promise<T>): Promise<T> {
  return signIns.run({}, handle);
}

/** What {@link recordLogtoSignIn} and {@link linkLogtoSessions} need. */
export interface SessionLinkContext {
  store: LogtoDatabaseStore;
  logger: AuthLogger;
}

/**
 * At a Logto sign-in the team's `signIn` callback allowed: writes the new tokens into the Account row (next-auth v4
 * writes them only when it links a new account) and remembers the sign-in for {@link linkLogtoSessions}.
 */
export async function recordLogtoSignIn(account: Account, { store }: SessionLinkContext): Promise<void> {
  await store.writeTokens(
    { provider: account.provider, providerAccountId: account.providerAccountId },
    {
      accessToken: account.access_token ?? null,
      refreshToken: account.refresh_token ?? null,
      expiresAt: account.expires_at ?? null,
      idToken: account.id_token ?? null,
    },
  );
  const pending = signIns.getStore();
  if (pending) pending.account = account;
}

/**
 * The adapter with the kit's session links kept along: a session created during a Logto sign-in is linked to its
 * `sid` and `sub` (back-channel logout deletes it by them), links follow `updateSession` and go with `deleteSession`.
 */
export function linkLogtoSessions(adapter: Adapter, { store, logger }: SessionLinkContext): Adapter {
  const { createSession, updateSession, deleteSession } = adapter;
  return {
    ...adapter,
    ...(createSession && {
      async createSession(session: AdapterSession) {
        const created = await createSession.call(adapter, session);
        const account = signIns.getStore()?.account;
        if (account) {
          const claims = account.id_token ? decodeJwt(account.id_token) : {};
          await store.linkSession({
            sessionToken: created.sessionToken,
            userId: created.userId,
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            sid: typeof claims.sid === 'string' ? claims.sid : null,
            authTime: authTimeOf(claims) ?? Math.floor(Date.now() / 1000),
            expires: created.expires,
          });
        }
        return created;
      },
    }),
    ...(updateSession && {
      async updateSession(session: Partial<AdapterSession> & Pick<AdapterSession, 'sessionToken'>) {
        const updated = await updateSession.call(adapter, session);
        if (session.expires) {
          await store.extendSessionLink(session.sessionToken, session.expires).catch((error: unknown) => logger.error('LOGTO_DATABASE_ERROR', error));
        }
        return updated;
      },
    }),
    ...(deleteSession && {
      async deleteSession(sessionToken: string) {
        const deleted = await deleteSession.call(adapter, sessionToken);
        await store.unlinkSessions([sessionToken]).catch((error: unknown) => logger.error('LOGTO_DATABASE_ERROR', error));
        return deleted;
      },
    }),
  } as Adapter;
}
