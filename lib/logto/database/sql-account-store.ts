import { accountLockKey, type AccountTokens, type LogtoDatabaseStore, type StoredAccount } from './account-token-store';

/**
 * Runs one SQL statement with positional parameters and resolves its rows (`RETURNING` rows for writes):
 * `pool.query` of pg as it is; Kysely's `db.executeQuery(CompiledQuery.raw(sql, params))`; for
 * better-sqlite3, `(sql, params) => { const s = db.prepare(sql); return s.reader ? s.all(params) : (s.run(params), []) }`.
 */
export type SqlQuery = (
  sql: string,
  params: unknown[],
) => Promise<{ rows: readonly unknown[] } | readonly unknown[]>;

/** The Account columns the kit reads and writes; the defaults are next-auth's adapter schema's. */
export interface AccountColumns {
  userId: string;
  provider: string;
  providerAccountId: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  idToken: string;
}

/** Options of {@link createSqlAccountStore}. */
export interface SqlAccountStoreOptions {
  query: SqlQuery;
  /** Decides the parameter placeholders: `$1` (postgres) or `?` (sqlite). */
  dialect: 'postgres' | 'sqlite';
  /**
   * The adapter's account table: `Account` (Prisma, Kysely; the default), `account` (Drizzle), `accounts`
   * (`@auth/pg-adapter`); `schema.table` works too.
   */
  accountTable?: string;
  /** Column names of the account table that differ from next-auth's (`userId`, `refresh_token`, …). */
  columns?: Partial<AccountColumns>;
}

/** A {@link LogtoDatabaseStore} on plain SQL, with the DDL of the kit's two tables. */
export interface SqlLogtoDatabaseStore extends LogtoDatabaseStore {
  /** Creates the kit's tables and indexes if missing (the statements of {@link logtoTablesSql}). */
  createTables(): Promise<void>;
}

const DEFAULT_COLUMNS: AccountColumns = {
  userId: 'userId',
  provider: 'provider',
  providerAccountId: 'providerAccountId',
  accessToken: 'access_token',
  refreshToken: 'refresh_token',
  expiresAt: 'expires_at',
  idToken: 'id_token',
};

/** The kit's table of session links (sid, sub → sessionToken). */
export const SESSION_LINK_TABLE = 'logto_session_link';
/** The kit's table of refresh locks (one refresh grant per account at a time, across instances). */
export const REFRESH_LOCK_TABLE = 'logto_refresh_lock';

/**
 * The DDL of the kit's two tables, valid on PostgreSQL and SQLite alike; run it from a migration of yours, or
 * let {@link SqlLogtoDatabaseStore.createTables} run it. Times are epoch numbers (BIGINT).
 */
export function logtoTablesSql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS "${SESSION_LINK_TABLE}" (` +
      '"session_token" TEXT PRIMARY KEY, "user_id" TEXT NOT NULL, "provider" TEXT NOT NULL, ' +
      '"provider_account_id" TEXT NOT NULL, "sid" TEXT, "auth_time" BIGINT NOT NULL, "expires" BIGINT NOT NULL)',
    `CREATE INDEX IF NOT EXISTS "${SESSION_LINK_TABLE}_sid" ON "${SESSION_LINK_TABLE}" ("sid")`,
    `CREATE INDEX IF NOT EXISTS "${SESSION_LINK_TABLE}_account" ON "${SESSION_LINK_TABLE}" ("provider", "provider_account_id")`,
    `CREATE TABLE IF NOT EXISTS "${REFRESH_LOCK_TABLE}" (` +
      '"lock_key" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "expires" BIGINT NOT NULL)',
  ];
}

/**
 * The kit's {@link LogtoDatabaseStore} on any SQL driver through `query` (pg, better-sqlite3, Kysely, Drizzle's
 * client): the tokens in the adapter's account table, sid links and refresh locks in the kit's own tables.
 * Needs `RETURNING` (PostgreSQL; SQLite 3.35 or later).
 */
export function createSqlAccountStore(options: SqlAccountStoreOptions): SqlLogtoDatabaseStore {
  if (typeof options?.query !== 'function') {
    throw new TypeError('createSqlAccountStore: pass `query(sql, params)`, a function that runs SQL on your database (docs/database-sessions.md)');
  }
  if (options.dialect !== 'postgres' && options.dialect !== 'sqlite') {
    throw new TypeError(`createSqlAccountStore: dialect must be "postgres" or "sqlite", not ${JSON.stringify(options.dialect)}`);
  }
  const { dialect } = options;
  const table = quoteIdentifier(options.accountTable ?? 'Account');
  const c = Object.fromEntries(
    Object.entries({ ...DEFAULT_COLUMNS, ...options.columns }).map(([name, column]) => [name, quoteIdentifier(column)]),
  ) as unknown as AccountColumns;
  const links = quoteIdentifier(SESSION_LINK_TABLE);
  const locks = quoteIdentifier(REFRESH_LOCK_TABLE);
  const selectAccount =
    `SELECT ${c.userId} AS "userId", ${c.provider} AS "provider", ${c.providerAccountId} AS "providerAccountId", ` +
    `${c.accessToken} AS "accessToken", ${c.refreshToken} AS "refreshToken", ${c.expiresAt} AS "expiresAt", ` +
    `${c.idToken} AS "idToken" FROM ${table}`;
  const setTokens = `${c.accessToken} = ?, ${c.refreshToken} = ?, ${c.expiresAt} = ?, ${c.idToken} = ?`;

  async function run(sql: string, params: unknown[]): Promise<readonly Record<string, unknown>[]> {
    // Written with `?`; PostgreSQL numbers its placeholders. No statement here has a `?` of its own.
    let index = 0;
    const text = dialect === 'postgres' ? sql.replace(/\?/g, () => `$${++index}`) : sql;
    const result = await options.query(text, params);
    // Rows are objects keyed by column name (the AS aliases below), whatever the driver.
    return (Array.isArray(result) ? result : (result as { rows: readonly unknown[] }).rows) as readonly Record<string, unknown>[];
  }
  const tokenParams = (tokens: AccountTokens) => [tokens.accessToken, tokens.refreshToken, tokens.expiresAt, tokens.idToken];

  return {
    async createTables() {
      for (const statement of logtoTablesSql()) await run(statement, []);
    },
    async findAccount(userId, provider) {
      const rows = await run(`${selectAccount} WHERE ${c.userId} = ? AND ${c.provider} = ? LIMIT 1`, [userId, provider]);
      return toStoredAccount(rows[0]);
    },
    async readAccount({ provider, providerAccountId }) {
      const rows = await run(`${selectAccount} WHERE ${c.provider} = ? AND ${c.providerAccountId} = ? LIMIT 1`, [
        provider,
        providerAccountId,
      ]);
      return toStoredAccount(rows[0]);
    },
    async writeTokens({ provider, providerAccountId }, tokens) {
      await run(`UPDATE ${table} SET ${setTokens} WHERE ${c.provider} = ? AND ${c.providerAccountId} = ? RETURNING ${c.provider}`, [
        ...tokenParams(tokens),
        provider,
        providerAccountId,
      ]);
    },
    async swapTokens({ provider, providerAccountId }, expectedRefreshToken, tokens) {
      const rows = await run(
        `UPDATE ${table} SET ${setTokens} WHERE ${c.provider} = ? AND ${c.providerAccountId} = ? AND ${c.refreshToken} = ? ` +
          `RETURNING ${c.provider}`,
        [...tokenParams(tokens), provider, providerAccountId, expectedRefreshToken],
      );
      return rows.length === 1;
    },
    async acquireRefreshLock(key, owner, ttlMs) {
      const lockKey = accountLockKey(key);
      const now = Date.now();
      await run(`DELETE FROM ${locks} WHERE "lock_key" = ? AND "expires" < ? RETURNING "lock_key"`, [lockKey, now]);
      const rows = await run(
        `INSERT INTO ${locks} ("lock_key", "owner", "expires") VALUES (?, ?, ?) ON CONFLICT ("lock_key") DO NOTHING RETURNING "owner"`,
        [lockKey, owner, now + ttlMs],
      );
      return rows.length === 1;
    },
    async releaseRefreshLock(key, owner) {
      await run(`DELETE FROM ${locks} WHERE "lock_key" = ? AND "owner" = ? RETURNING "lock_key"`, [accountLockKey(key), owner]);
    },
    async linkSession(link) {
      await run(`DELETE FROM ${links} WHERE "expires" < ? RETURNING "session_token"`, [Date.now()]);
      await run(
        `INSERT INTO ${links} ("session_token", "user_id", "provider", "provider_account_id", "sid", "auth_time", "expires") ` +
          'VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "session_token"',
        [link.sessionToken, link.userId, link.provider, link.providerAccountId, link.sid, link.authTime, link.expires.getTime()],
      );
    },
    async extendSessionLink(sessionToken, expires) {
      await run(`UPDATE ${links} SET "expires" = ? WHERE "session_token" = ? RETURNING "session_token"`, [expires.getTime(), sessionToken]);
    },
    async sessionsOfSid(sid) {
      const rows = await run(`SELECT "session_token" FROM ${links} WHERE "sid" = ?`, [sid]);
      return rows.map((row) => String(row.session_token));
    },
    async sessionsOfSubBefore(provider, providerAccountId, epochSeconds) {
      const rows = await run(
        `SELECT "session_token" FROM ${links} WHERE "provider" = ? AND "provider_account_id" = ? AND "auth_time" <= ?`,
        [provider, providerAccountId, epochSeconds],
      );
      return rows.map((row) => String(row.session_token));
    },
    async unlinkSessions(sessionTokens) {
      if (sessionTokens.length === 0) return;
      const list = sessionTokens.map(() => '?').join(', ');
      await run(`DELETE FROM ${links} WHERE "session_token" IN (${list}) RETURNING "session_token"`, sessionTokens);
    },
  };
}

/** `"name"`, or `"schema"."name"`, with embedded quotes doubled (SQL-92). */
function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '') throw new TypeError('createSqlAccountStore: table and column names must be non-empty strings');
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

function toStoredAccount(row: Record<string, unknown> | undefined): StoredAccount | null {
  if (!row) return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  // PostgreSQL's BIGINT comes back as a string from pg; INTEGER as a number.
  const expiresAt = row.expiresAt === null || row.expiresAt === undefined ? null : Number(row.expiresAt);
  return {
    userId: String(row.userId),
    provider: String(row.provider),
    providerAccountId: String(row.providerAccountId),
    accessToken: text(row.accessToken),
    refreshToken: text(row.refreshToken),
    expiresAt: expiresAt !== null && Number.isFinite(expiresAt) ? expiresAt : null,
    idToken: text(row.idToken),
  };
}
