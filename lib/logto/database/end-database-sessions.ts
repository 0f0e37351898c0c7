import type { Adapter } from 'next-auth/adapters';
import type { LogoutTokenClaims } from '../logout/logout-token';
import type { SessionLinkStore } from './account-token-store';

/** What {@link endDatabaseSessions} needs: the links, the adapter that deletes Session rows, the provider id. */
export interface EndDatabaseSessionsContext {
  store: SessionLinkStore;
  adapter: Adapter;
  providerId: string;
}

/**
 * Deletes the Session rows a valid logout token names: the sessions its `sid` began, else (no `sid`) every
 * session of its `sub` signed in at or before its `iat`; then forgets their links. Those users are signed out
 * at their next request, on every instance.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCActions
 */
export async function endDatabaseSessions(claims: LogoutTokenClaims, { store, adapter, providerId }: EndDatabaseSessionsContext): Promise<void> {
  const sessionTokens =
    claims.sid !== undefined
      ? await store.sessionsOfSid(claims.sid)
      : await store.sessionsOfSubBefore(providerId, claims.sub ?? '', claims.iat);
  for (const sessionToken of sessionTokens) {
    try {
      await adapter.deleteSession?.(sessionToken);
    } catch (error) {
      // Some adapters throw for a row that is gone (Prisma's delete does): a session that signed out meanwhile.
      if (await adapter.getSessionAndUser?.(sessionToken)) throw error;
    }
  }
  await store.unlinkSessions(sessionTokens);
}
