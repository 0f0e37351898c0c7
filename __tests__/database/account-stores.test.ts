import Database from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import type { LogtoDatabaseStore } from '@/lib/logto/database/account-token-store';
import { createPrismaAccountStore, type PrismaAccountClient } from '@/lib/logto/database/prisma-account-store';
import { createSqlAccountStore } from '@/lib/logto/database/sql-account-store';
import { useSqliteDatabase, type SqliteDatabase } from './helpers/sqlite-database';

const ALICE = { provider: 'logto', providerAccountId: 'alice-sub' };
const TOKENS = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: 1_750_000_000, idToken: 'id-1' };
const LATER = new Date(Date.now() + 60 * 60 * 1000);

/** Alice's User and Account rows, as next-auth's adapter writes them at her first sign-in. */
function insertAlice(database: SqliteDatabase) {
  database.run('DELETE FROM "User"');
  // The kit's tables: Prisma's models, and the SQL store's own once createTables() made them.
  const kitTables = database.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'logto%'");
  for (const { name } of kitTables) database.run(`DELETE FROM "${name}"`);
  database.run('INSERT INTO "User" (id, name, email) VALUES (?, ?, ?)', 'user-a', 'Alice', 'alice@example.com');
  database.run(
    'INSERT INTO "Account" (id, userId, type, provider, providerAccountId, access_token, refresh_token, expires_at, id_token) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    'account-a', 'user-a', 'oauth', 'logto', 'alice-sub', 'access-1', 'refresh-1', 1_750_000_000, 'id-1',
  );
}

/** The same contract, whichever implementation keeps the rows. */
function describeStore(name: string, open: (database: SqliteDatabase) => Promise<LogtoDatabaseStore>) {
  describe(name, () => {
    const database = useSqliteDatabase();
    let store: LogtoDatabaseStore;
    beforeAll(async () => {
      store = await open(database);
    });
    beforeEach(() => insertAlice(database));

    it('finds the user’s account of a provider, and reads it by its key', async () => {
      const expected = { userId: 'user-a', ...ALICE, ...TOKENS };
      await expect(store.findAccount('user-a', 'logto')).resolves.toEqual(expected);
      await expect(store.readAccount(ALICE)).resolves.toEqual(expected);
      await expect(store.findAccount('user-a', 'github')).resolves.toBeNull();
      await expect(store.readAccount({ provider: 'logto', providerAccountId: 'nobody' })).resolves.toBeNull();
    });

    it('swaps the tokens only while the row still holds the expected refresh token', async () => {
      const next = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: 1_750_003_600, idToken: 'id-2' };

      await expect(store.swapTokens(ALICE, 'refresh-1', next)).resolves.toBe(true);
      await expect(store.swapTokens(ALICE, 'refresh-1', { ...next, refreshToken: 'refresh-3' })).resolves.toBe(false);

      expect(database.rows('SELECT access_token, refresh_token, expires_at, id_token FROM "Account"')).toEqual([
        { access_token: 'access-2', refresh_token: 'refresh-2', expires_at: 1_750_003_600, id_token: 'id-2' },
      ]);
    });

    it('writes a sign-in’s tokens whatever the row held, and null forgets a refresh token', async () => {
      await store.writeTokens(ALICE, { ...TOKENS, refreshToken: null, accessToken: 'access-9' });

      expect(database.rows('SELECT access_token, refresh_token FROM "Account"')).toEqual([{ access_token: 'access-9', refresh_token: null }]);
    });

    it('gives an account’s refresh lock to one owner until it is released or expires', async () => {
      await expect(store.acquireRefreshLock(ALICE, 'instance-a', 60_000)).resolves.toBe(true);
      await expect(store.acquireRefreshLock(ALICE, 'instance-b', 60_000)).resolves.toBe(false);
      await expect(store.acquireRefreshLock({ ...ALICE, providerAccountId: 'bob-sub' }, 'instance-b', 60_000)).resolves.toBe(true);
      await store.releaseRefreshLock(ALICE, 'instance-b');
      await expect(store.acquireRefreshLock(ALICE, 'instance-b', 60_000)).resolves.toBe(false);
      await store.releaseRefreshLock(ALICE, 'instance-a');
      await expect(store.acquireRefreshLock(ALICE, 'instance-b', 1)).resolves.toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await expect(store.acquireRefreshLock(ALICE, 'instance-c', 60_000)).resolves.toBe(true);
    });

    it('finds linked sessions by sid, and by sub up to a sign-in time; unlinks them', async () => {
      const link = { userId: 'user-a', ...ALICE, expires: LATER };
      await store.linkSession({ ...link, sessionToken: 'session-1', sid: 'sid-1', authTime: 1000 });
      await store.linkSession({ ...link, sessionToken: 'session-2', sid: 'sid-2', authTime: 2000 });
      await store.linkSession({ ...link, sessionToken: 'session-3', sid: null, authTime: 3000 });

      await expect(store.sessionsOfSid('sid-2')).resolves.toEqual(['session-2']);
      await expect(store.sessionsOfSubBefore('logto', 'alice-sub', 2000).then((tokens) => tokens.sort())).resolves.toEqual(['session-1', 'session-2']);
      await expect(store.sessionsOfSubBefore('logto', 'bob-sub', 9000)).resolves.toEqual([]);
      await store.unlinkSessions(['session-1', 'session-3']);
      await expect(store.sessionsOfSubBefore('logto', 'alice-sub', 9000)).resolves.toEqual(['session-2']);
    });

    it('prunes links whose session expired when it links a new one, unless updateSession moved them along', async () => {
      const link = { userId: 'user-a', ...ALICE, sid: null, authTime: 1000 };
      await store.linkSession({ ...link, sessionToken: 'old', expires: new Date(Date.now() + 1000) });
      await store.linkSession({ ...link, sessionToken: 'extended', expires: new Date(Date.now() + 1000) });
      await store.extendSessionLink('extended', LATER);
      await new Promise((resolve) => setTimeout(resolve, 1100));

      await store.linkSession({ ...link, sessionToken: 'new', expires: LATER });

      await expect(store.sessionsOfSubBefore('logto', 'alice-sub', 9000).then((tokens) => tokens.sort())).resolves.toEqual(['extended', 'new']);
    });
  });
}

describe('the kit’s account stores on SQLite', () => {
  describeStore('createPrismaAccountStore', async (database) =>
    createPrismaAccountStore(new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: database.url }) })),
  );

  describeStore('createSqlAccountStore (better-sqlite3)', async (database) => {
    const db = new Database(database.url.slice('file:'.length));
    const store = createSqlAccountStore({
      dialect: 'sqlite',
      // The query function docs/database-sessions.md gives for better-sqlite3.
      query: async (sql, params) => {
        const statement = db.prepare(sql);
        return statement.reader ? statement.all(...params) : (statement.run(...params), []);
      },
    });
    await store.createTables();
    return store;
  });
});

describe('createPrismaAccountStore', () => {
  it('names the model a Prisma client without the kit’s schema lacks, and the fix', () => {
    const client = { account: {}, logtoSessionLink: {} } as unknown as PrismaAccountClient;

    expect(() => createPrismaAccountStore(client)).toThrow(/no `logtoRefreshLock` model.*schema\.prisma.*prisma migrate dev/);
  });
});
