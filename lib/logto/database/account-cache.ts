import { createTtlCache } from '../store/ttl-cache';
import type { AccountTokenStore, StoredAccount } from './account-token-store';

/** The users' Logto Account rows as session reads see them, kept in this process for a few seconds. */
export interface AccountCache {
  /** The user's Account row for `provider` (or null), from the cache while it is young, else from the store. */
  find(userId: string, provider: string): Promise<StoredAccount | null>;
  /** Keeps the row as this process just wrote or read it. */
  remember(account: StoredAccount): void;
  /** Drops what is kept of a user, whose tokens a sign-in just replaced. */
  forget(userId: string, provider: string): void;
}

/** How long a row read for a session is reused, in milliseconds. */
export const ACCOUNT_CACHE_TTL_MS = 30_000;

/**
 * An {@link AccountCache} over `store`. What a session read shows from a row another instance changed is at most
 * `ttlMs` old: a refresh that is due reads the row again before it asks Logto (account-refresh.ts), a sign-out or a
 * back-channel logout deletes the Session row next-auth reads first, and a new sign-in here forgets the row.
 */
export function createAccountCache(store: AccountTokenStore, { ttlMs = ACCOUNT_CACHE_TTL_MS, maxEntries = 10_000 } = {}): AccountCache {
  // Wrapped, so that a user without a Logto account (null) is kept too.
  const rows = createTtlCache<{ account: StoredAccount | null }>({ maxEntries });
  const keyOf = (userId: string, provider: string) => `${provider}\n${userId}`;
  return {
    async find(userId, provider) {
      const key = keyOf(userId, provider);
      const cached = rows.get(key);
      if (cached) return cached.account;
      const account = await store.findAccount(userId, provider);
      rows.set(key, { account }, ttlMs);
      return account;
    },
    remember(account) {
      rows.set(keyOf(account.userId, account.provider), { account }, ttlMs);
    },
    forget(userId, provider) {
      rows.delete(keyOf(userId, provider));
    },
  };
}
