import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logtoTablesSql } from '../../../lib/logto/database/sql-account-store';
import { startPostgresServer } from '../../postgres/postgres-server';
import type { CellLog } from '../cell-log';
import { createSqlCellDatabase, type CellDatabase } from './cell-database';

/**
 * A cell's PostgreSQL: a throwaway PostgreSQL 15 cluster the runner starts (Debian's package, as `.ci/run` installs it)
 * and stops, its rows read as a {@link CellDatabase}; {@link CellDatabase.close} stops the server and removes its data.
 */
export interface PostgresCellDatabase extends CellDatabase {
  /** DATABASE_URL of the app's database (`next start`). */
  readonly url: string;
  /** DATABASE_URL of a second database on the same server, with the same tables, for the drop-in tests. */
  readonly dropInUrl: string;
  /** Runs SQL on the app's database; resolves the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Ends the server as a crash does (SIGKILL to the postmaster and its backends); {@link PostgresCellDatabase.restart} brings it back. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory. */
  restart(): Promise<void>;
}

/**
 * Starts PostgreSQL 15 (scripts/postgres/postgres-server.ts), makes the app's database and the drop-in tests' one, and
 * applies to each the host app's schema (`schemaFile`, relative to `appDir`: next-auth's tables as the app's adapter
 * reads them) and the kit's tables (`logtoTablesSql()`), as the team's migrations would.
 */
export async function startPostgresCellDatabase(appDir: string, schemaFile: string, log: CellLog): Promise<PostgresCellDatabase> {
  const server = await startPostgresServer();
  try {
    const schema = readFileSync(join(appDir, schemaFile), 'utf8');
    for (const name of ['app', 'dropin']) {
      await server.query(`CREATE DATABASE ${name}`);
      await server.query(schema, [], name);
      for (const statement of logtoTablesSql()) await server.query(statement, [], name);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  const description = `PostgreSQL 15 on 127.0.0.1:${server.port}, database app`;
  log.write(`${description} (and dropin for the drop-in tests): ${schemaFile} and the kit's tables applied\n`);
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => server.query<T>(sql, params, 'app');
  return {
    ...createSqlCellDatabase({ description, dialect: 'postgres', query: (sql, params) => query(sql, params), close: () => server.stop() }),
    url: server.urlOf('app'),
    dropInUrl: server.urlOf('dropin'),
    query,
    kill: () => server.kill(),
    restart: () => server.start(),
  };
}
