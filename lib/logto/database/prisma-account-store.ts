import {
  accountLockKey,
  type AccountTokens,
  type LogtoDatabaseStore,
  type SessionLink,
  type StoredAccount,
} from './account-token-store';

/** The Account columns the kit reads, as next-auth's Prisma schema names them. */
interface PrismaAccountRow {
  userId: string;
  provider: string;
  providerAccountId: string;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
  id_token: string | null;
}

type AccountSelect = { [column in keyof PrismaAccountRow]: true };
type AccountWhere = { userId: string; provider: string } | { provider: string; providerAccountId: string };
type AccountData = Pick<PrismaAccountRow, 'access_token' | 'refresh_token' | 'expires_at' | 'id_token'>;

/**
 * What the kit uses of a Prisma client: next-auth's `Account` model and the kit's two models (schema in
 * docs/database-sessions.md). Structural, so the kit needs no `@prisma/client`: pass your `PrismaClient`.
 */
export interface PrismaAccountClient {
  account: {
    findFirst(args: { where: AccountWhere; select: AccountSelect }): PromiseLike<PrismaAccountRow | null>;
    updateMany(args: {
      where: { provider: string; providerAccountId: string; refresh_token?: string };
      data: AccountData;
    }): PromiseLike<{ count: number }>;
  };
  logtoSessionLink: {
    create(args: { data: SessionLink }): PromiseLike<unknown>;
    findMany(args: {
      where: { sid: string } | { provider: string; providerAccountId: string; authTime: { lte: number } };
      select: { sessionToken: true };
    }): PromiseLike<{ sessionToken: string }[]>;
    updateMany(args: { where: { sessionToken: string }; data: { expires: Date } }): PromiseLike<{ count: number }>;
    deleteMany(args: { where: { sessionToken: { in: string[] } } | { expires: { lt: Date } } }): PromiseLike<{ count: number }>;
  };
  logtoRefreshLock: {
    create(args: { data: { accountKey: string; owner: string; expires: Date } }): PromiseLike<unknown>;
    deleteMany(args: {
      where: { accountKey: string; owner: string } | { accountKey: string; expires: { lt: Date } };
    }): PromiseLike<{ count: number }>;
  };
}

const ACCOUNT_SELECT: AccountSelect = {
  userId: true,
  provider: true,
  providerAccountId: true,
  access_token: true,
  refresh_token: true,
  expires_at: true,
  id_token: true,
};

/**
 * The kit's {@link LogtoDatabaseStore} on a Prisma client whose schema is next-auth's (as `@next-auth/prisma-adapter`
 * or `@auth/prisma-adapter` document it) plus the kit's `LogtoSessionLink` and `LogtoRefreshLock` models.
 * Throws naming the missing model when the schema lacks one.
 */
export function createPrismaAccountStore(prisma: PrismaAccountClient): LogtoDatabaseStore {
  for (const model of ['account', 'logtoSessionLink', 'logtoRefreshLock'] as const) {
    if (typeof prisma?.[model] !== 'object' || prisma[model] === null) {
      throw new TypeError(
        `createPrismaAccountStore: the Prisma client has no \`${model}\` model. Add the Logto kit's models to ` +
          'schema.prisma (docs/database-sessions.md), run `prisma migrate dev` and `prisma generate`, then restart.',
      );
    }
  }
  const { account, logtoSessionLink: links, logtoRefreshLock: locks } = prisma;

  return {
    async findAccount(userId, provider) {
      return toStoredAccount(await account.findFirst({ where: { userId, provider }, select: ACCOUNT_SELECT }));
    },
    async readAccount({ provider, providerAccountId }) {
      return toStoredAccount(await account.findFirst({ where: { provider, providerAccountId }, select: ACCOUNT_SELECT }));
    },
    async writeTokens({ provider, providerAccountId }, tokens) {
      await account.updateMany({ where: { provider, providerAccountId }, data: toAccountData(tokens) });
    },
    async swapTokens({ provider, providerAccountId }, expectedRefreshToken, tokens) {
      const { count } = await account.updateMany({
        where: { provider, providerAccountId, refresh_token: expectedRefreshToken },
        data: toAccountData(tokens),
      });
      return count === 1;
    },
    async acquireRefreshLock(key, owner, ttlMs) {
      const accountKey = accountLockKey(key);
      const now = Date.now();
      await locks.deleteMany({ where: { accountKey, expires: { lt: new Date(now) } } });
      try {
        await locks.create({ data: { accountKey, owner, expires: new Date(now + ttlMs) } });
        return true;
      } catch (error) {
        // P2002: "Unique constraint failed", another owner holds the lock.
        if ((error as { code?: unknown } | null)?.code === 'P2002') return false;
        throw error;
      }
    },
    async releaseRefreshLock(key, owner) {
      await locks.deleteMany({ where: { accountKey: accountLockKey(key), owner } });
    },
    async linkSession(link) {
      await links.deleteMany({ where: { expires: { lt: new Date() } } });
      await links.create({ data: link });
    },
    async extendSessionLink(sessionToken, expires) {
      await links.updateMany({ where: { sessionToken }, data: { expires } });
    },
    async sessionsOfSid(sid) {
      return (await links.findMany({ where: { sid }, select: { sessionToken: true } })).map((row) => row.sessionToken);
    },
    async sessionsOfSubBefore(provider, providerAccountId, epochSeconds) {
      const rows = await links.findMany({
        where: { provider, providerAccountId, authTime: { lte: epochSeconds } },
        select: { sessionToken: true },
      });
      return rows.map((row) => row.sessionToken);
    },
    async unlinkSessions(sessionTokens) {
      if (sessionTokens.length > 0) await links.deleteMany({ where: { sessionToken: { in: sessionTokens } } });
    },
  };
}

function toStoredAccount(row: PrismaAccountRow | null): StoredAccount | null {
  if (!row) return null;
  return {
    userId: row.userId,
    provider: row.provider,
    providerAccountId: row.providerAccountId,
    accessToken: row.access_token,
    refreshToken: row.refresh_token,
    expiresAt: row.expires_at,
    idToken: row.id_token,
  };
}

function toAccountData(tokens: AccountTokens): AccountData {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    expires_at: tokens.expiresAt,
    id_token: tokens.idToken,
  };
}

