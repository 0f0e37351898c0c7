/** The Logto Account row next-auth's adapter wrote at sign-in; `expires_at` in epoch seconds. */
export interface LogtoAccountRow {
  userId: string;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
  id_token: string | null;
}

/** A Session row of next-auth's database strategy. */
export interface SessionRow {
  sessionToken: string;
  userId: string;
}

/** A User row, as next-auth's adapter created it from the profile. */
export interface UserRow {
  id: string;
  name: string | null;
  email: string | null;
}

/**
 * The database a database-session cell's app keeps next-auth's rows in (User, Account, Session), as the HTTP
 * steps read and change it: whatever the engine (a SQLite file, a PostgreSQL server), the same questions.
 */
export interface CellDatabase {
  /** What it is, for the log, e.g. `SQLite file /tmp/…/app/db.sqlite`. */
  readonly description: string;
  /** The User row with id `userId`. */
  findUser(userId: string): Promise<UserRow | undefined>;
  /** The Account row of provider `logto` for the Logto user `sub` (its `providerAccountId`). */
  findLogtoAccount(sub: string): Promise<LogtoAccountRow | undefined>;
  /** Sets that row's `expires_at` (epoch seconds), as time passing would. */
  setLogtoAccountExpiry(sub: string, expiresAt: number): Promise<void>;
  /** The Session row whose token is the session cookie's value. */
  findSession(sessionToken: string): Promise<SessionRow | undefined>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Runs one statement and resolves its rows (none for a write). */
export type CellQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * A {@link CellDatabase} over SQL: next-auth's tables as Prisma's and Kysely's adapters name them (`"User"`,
 * `"Account"`, `"Session"`, camelCase columns, the OAuth token columns snake_case), quoted so that PostgreSQL
 * keeps their case. `dialect` picks the placeholders: `?` for SQLite, `$1` for PostgreSQL.
 */
export function createSqlCellDatabase(options: {
  description: string;
  dialect: 'sqlite' | 'postgres';
  query: CellQuery;
  close: () => Promise<void>;
}): CellDatabase {
  const { query, dialect } = options;
  const sql = (text: string) => (dialect === 'postgres' ? numberPlaceholders(text) : text);
  const first = async (text: string, params: unknown[]) => (await query(sql(text), params))[0];
  return {
    description: options.description,
    async findUser(userId) {
      const row = await first('SELECT "id", "name", "email" FROM "User" WHERE "id" = ?', [userId]);
      return row && { id: String(row.id), name: nullableString(row.name), email: nullableString(row.email) };
    },
    async findLogtoAccount(sub) {
      const row = await first(
        'SELECT "userId", "access_token", "refresh_token", "expires_at", "id_token" FROM "Account" WHERE "provider" = ? AND "providerAccountId" = ?',
        ['logto', sub],
      );
      return (
        row && {
          userId: String(row.userId),
          access_token: nullableString(row.access_token),
          refresh_token: nullableString(row.refresh_token),
          expires_at: row.expires_at === null || row.expires_at === undefined ? null : Number(row.expires_at),
          id_token: nullableString(row.id_token),
        }
      );
    },
    async setLogtoAccountExpiry(sub, expiresAt) {
      await query(sql('UPDATE "Account" SET "expires_at" = ? WHERE "provider" = ? AND "providerAccountId" = ?'), [expiresAt, 'logto', sub]);
    },
    async findSession(sessionToken) {
      const row = await first('SELECT "sessionToken", "userId" FROM "Session" WHERE "sessionToken" = ?', [sessionToken]);
      return row && { sessionToken: String(row.sessionToken), userId: String(row.userId) };
    },
    close: options.close,
  };
}

function numberPlaceholders(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
