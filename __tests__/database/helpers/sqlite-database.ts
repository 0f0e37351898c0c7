import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The SQL `prisma migrate deploy` applies for the tests' schema (__tests__/database/prisma). */
const MIGRATION = join(__dirname, '..', 'prisma', 'migrations', '0_init', 'migration.sql');

/** A throwaway SQLite file with next-auth's tables and the kit's, and a connection to look at its rows. */
export interface SqliteDatabase {
  /** `file:<path>`, for DATABASE_URL and Prisma's driver adapter. */
  url: string;
  /** Rows of a read-only query, for assertions. */
  rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** Runs a write, for test setup (e.g. expiring an access token). */
  run(sql: string, ...params: unknown[]): void;
}

/**
 * Creates the database file for the tests of the enclosing describe block, with the migration applied in
 * `beforeAll` (before a route that uses it loads), and removes it after them. The path is known at once, so
 * it can go into the route's environment.
 */
export function useSqliteDatabase(): SqliteDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'logto-kit-db-'));
  const path = join(dir, 'app.db');
  let db: Database.Database | undefined;
  const open = () => {
    if (!db) throw new Error('useSqliteDatabase: the database exists only inside the tests and hooks of its describe block');
    return db;
  };
  beforeAll(() => {
    db = new Database(path);
    db.exec(readFileSync(MIGRATION, 'utf8'));
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: `file:${path}`,
    rows: <T>(sql: string, ...params: unknown[]) => open().prepare(sql).all(...params) as T[],
    run: (sql, ...params) => void open().prepare(sql).run(...params),
  };
}
