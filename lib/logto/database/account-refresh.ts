import { randomUUID } from 'node:crypto';
import { EXPIRY_MARGIN_SECONDS } from '../session/refresh-access-token';
import {
  grantOnce,
  SESSION_TARGET,
  targetKey,
  type GrantStep,
  type GrantTarget,
  type RefreshGrantContext,
} from '../session/refresh-grant';
import { createTtlCache } from '../store/ttl-cache';
import { accountLockKey, keyOf, type AccountKey, type AccountTokenStore, type AccountTokens, type StoredAccount } from './account-token-store';

/** What {@link keepAccountFresh} and {@link runAccountGrant} need: the refresh machinery and the account store. */
export interface AccountRefreshContext extends RefreshGrantContext {
  store: AccountTokenStore;
  /** Clock in epoch seconds; tests pass their own. */
  nowSeconds?: () => number;
  /** How long one grant may hold an account's refresh lock, in milliseconds (10 s). */
  lockTtlMs?: number;
  /** How often an instance waiting for another's grant reads the Account row again, in milliseconds (50). */
  pollMs?: number;
}

/** An account after a session read: its tokens, fresh unless `error` says the user must sign in again. */
export interface FreshAccount {
  account: StoredAccount;
  error?: 'RefreshAccessTokenError';
}

/** The outcome of one grant for an account: the step, and the Account row as it stands after it. */
export interface AccountGrant {
  step: GrantStep;
  account: StoredAccount;
}

const DEFAULT_LOCK_TTL_MS = 10_000;
const DEFAULT_POLL_MS = 50;

// Accounts whose missing refresh token was reported: once an hour per account, not on every session read.
const reportedMissing = createTtlCache<true>({ maxEntries: 10_000 });

/**
 * The account's tokens for a session read: as stored while the access token is valid; otherwise refreshed
 * once across every request and instance ({@link runAccountGrant}), or marked `RefreshAccessTokenError`.
 */
export async function keepAccountFresh(account: StoredAccount, context: AccountRefreshContext): Promise<FreshAccount> {
  if (!isDue(account, nowOf(context), 0)) return { account };
  if (!account.refreshToken) {
    const key = accountLockKey(account);
    if (!reportedMissing.get(key)) {
      reportedMissing.set(key, true, 60 * 60 * 1000);
      context.logger.error(
        'LOGTO_REFRESH_ERROR',
        new Error(
          'The access token expired and the Account row has no refresh token (Logto refused it, or the sign-in did not ask ' +
            'for offline_access with prompt=consent): the user signs in again',
        ),
      );
    }
    return { account, error: 'RefreshAccessTokenError' };
  }
  const { step, account: after } = await runAccountGrant(context, account, SESSION_TARGET);
  return step.ok ? { account: after } : { account: after, error: 'RefreshAccessTokenError' };
}

/**
 * Runs a refresh grant for `target` on the account's refresh token, exactly once across instances: requests of
 * this process share one run (the single flight); instances take the account's lock in the database, and the one
 * that waits reads the row again instead of granting, for the session's own target, once the holder wrote it.
 * The rotated tokens are written with a compare-and-swap on the old refresh token.
 */
export async function runAccountGrant(
  context: AccountRefreshContext,
  account: StoredAccount,
  target: GrantTarget,
  { minValiditySeconds = 0 } = {},
): Promise<AccountGrant> {
  const flightKey = [accountLockKey(account), account.refreshToken ?? '', account.accessToken ?? '', targetKey(target)].join('\n');
  return context.singleFlight.run(flightKey, () => grantAcrossInstances(context, keyOf(account), target, minValiditySeconds));
}

async function grantAcrossInstances(
  context: AccountRefreshContext,
  key: AccountKey,
  target: GrantTarget,
  minValiditySeconds: number,
): Promise<AccountGrant> {
  const { store } = context;
  const lockTtlMs = context.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const owner = randomUUID();
  // A holder that died keeps the lock until it expires; waiting longer than that is never needed.
  const giveUpAt = Date.now() + lockTtlMs + 2000;
  for (;;) {
    const settled = settle(await store.readAccount(key), context, target, minValiditySeconds);
    if (settled.done) return settled.grant;
    if (await store.acquireRefreshLock(key, owner, lockTtlMs)) {
      try {
        // Read again under the lock: the previous holder may have written between the read and the lock.
        const locked = settle(await store.readAccount(key), context, target, minValiditySeconds);
        return locked.done ? locked.grant : await grantAndStore(context, locked.account, target);
      } finally {
        await store.releaseRefreshLock(key, owner).catch((error: unknown) => context.logger.error('LOGTO_DATABASE_ERROR', error));
      }
    }
    if (Date.now() >= giveUpAt) {
      return failed(settled.account, target, 'another instance held the account\'s refresh lock past its expiry');
    }
    await new Promise((resolve) => setTimeout(resolve, context.pollMs ?? DEFAULT_POLL_MS));
  }
}

type Settled = { done: true; grant: AccountGrant } | { done: false; account: StoredAccount & { refreshToken: string } };

/** Whether the row as read ends the grant: fresh for the session's target, gone, or without a refresh token. */
function settle(account: StoredAccount | null, context: AccountRefreshContext, target: GrantTarget, minValiditySeconds: number): Settled {
  if (!account) {
    const gone = { userId: '', provider: '', providerAccountId: '', accessToken: null, refreshToken: null, expiresAt: null, idToken: null };
    return { done: true, grant: failed(gone, target, 'the Account row is gone (the user was deleted or the account unlinked)', 'invalid_grant') };
  }
  const own = targetKey(target) === '';
  if (own && account.accessToken && !isDue(account, nowOf(context), minValiditySeconds)) {
    const step: GrantStep = {
      ok: true,
      target: '',
      accessToken: account.accessToken,
      refreshToken: account.refreshToken ?? '',
      ...(account.expiresAt !== null && { expiresAt: account.expiresAt }),
      ...(account.idToken !== null && { idToken: account.idToken }),
    };
    return { done: true, grant: { step, account } };
  }
  if (!account.refreshToken) {
    return { done: true, grant: failed(account, target, 'the Account row has no refresh token: the user signs in again', 'invalid_grant') };
  }
  return { done: false, account: account as StoredAccount & { refreshToken: string } };
}

/** One grant with the lock held, then the compare-and-swap of its tokens into the row. */
async function grantAndStore(
  context: AccountRefreshContext,
  account: StoredAccount & { refreshToken: string },
  target: GrantTarget,
): Promise<AccountGrant> {
  const { store } = context;
  const key = keyOf(account);
  const step = await grantOnce(
    context,
    {
      refreshToken: account.refreshToken,
      ...(account.accessToken !== null && { accessToken: account.accessToken }),
      ...(account.expiresAt !== null && { expiresAt: account.expiresAt }),
      ...(account.idToken !== null && { idToken: account.idToken }),
    },
    target,
  );
  if (!step.ok) {
    if (step.error !== 'invalid_grant') return { step, account };
    // Logto refused the refresh token (revoked, expired, reused): forget it, so no later read asks again.
    const dead: AccountTokens = { ...tokensOf(account), refreshToken: null };
    await store.swapTokens(key, account.refreshToken, dead);
    return { step, account: { ...account, ...dead } };
  }
  const own = step.target === '';
  const next: AccountTokens = {
    accessToken: own ? step.accessToken : account.accessToken,
    expiresAt: own ? (step.expiresAt ?? null) : account.expiresAt,
    refreshToken: step.refreshToken,
    idToken: step.idToken ?? account.idToken,
  };
  if (await store.swapTokens(key, account.refreshToken, next)) return { step, account: { ...account, ...next } };
  // The row changed without the lock (a new sign-in wrote its tokens): those are newer than this grant's.
  return { step, account: (await store.readAccount(key)) ?? { ...account, ...next } };
}

function tokensOf(account: StoredAccount): AccountTokens {
  return { accessToken: account.accessToken, refreshToken: account.refreshToken, expiresAt: account.expiresAt, idToken: account.idToken };
}

function failed(account: StoredAccount, target: GrantTarget, description: string, error = 'request_failed'): AccountGrant {
  return { step: { ok: false, target: targetKey(target), error, description }, account };
}

/** Whether the access token is missing, expired, or expires within the kit's margin plus `minValiditySeconds`. */
function isDue(account: StoredAccount, nowSeconds: number, minValiditySeconds: number): boolean {
  if (!account.accessToken || account.expiresAt === null) return true;
  return nowSeconds >= account.expiresAt - EXPIRY_MARGIN_SECONDS - minValiditySeconds;
}

function nowOf(context: AccountRefreshContext): number {
  return context.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
}
