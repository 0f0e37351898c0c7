import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSqlCellDatabase, type CellDatabase } from './cell-database';

/**
 * Where a database-session cell's app keeps its rows: `sqlite`, a file in the app's folder (as DATABASE_URL
 * `file:./db.sqlite` puts it for create-t3-app's Prisma driver adapter, relative to the app's working directory);
 * `postgres`, a PostgreSQL 15 server the runner starts, its databases made by the host app's own `migrate` command
 * (postgres-cell-database.ts; the app gets DATABASE_URL, the drop-in tests LOGTO_KIT_TEST_DATABASE_URL).
 */
export type CellDatabaseSpec = SqliteCellDatabaseSpec | { kind: 'postgres'; migrate: string };

/** A SQLite file in the app's folder, which the app's own setup creates. */
export type SqliteCellDatabaseSpec = { kind: 'sqlite'; file: string };

/** Opens the cell's SQLite database for the HTTP steps; the app must have created its tables (setup does). */
export function openCellDatabase(spec: SqliteCellDatabaseSpec, appDir: string): CellDatabase {
  const file = join(appDir, spec.file);
  if (!existsSync(file)) throw new Error(`the app's SQLite file ${file} does not exist (did the setup create its tables?)`);
  // The app's own process writes the same file; wait for its locks instead of failing with SQLITE_BUSY.
  const sqlite = new Database(file, { timeout: 5_000 });
  return createSqlCellDatabase({
    description: `SQLite file ${file}`,
    dialect: 'sqlite',
    query: async (sql, params) => {
      const statement = sqlite.prepare(sql);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    },
    close: async () => {
      sqlite.close();
    },
  });
}
