import { startPostgresServer } from '../../postgres/postgres-server';
import type { CellLog } from '../cell-log';
import { runCommand } from '../commands';
import { pickFailureReason } from '../failure-reason';
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
 * runs the host app's `migrate` command in `appDir` for each, with DATABASE_URL pointing at it, as the team migrates a
 * database: it creates next-auth's tables as the app's adapter reads them and the kit's (`logtoTablesSql()`).
 */
export async function startPostgresCellDatabase(options: {
  appDir: string;
  migrate: string;
  env: NodeJS.ProcessEnv;
  log: CellLog;
}): Promise<PostgresCellDatabase> {
  const server = await startPostgresServer();
  try {
    for (const name of ['app', 'dropin']) {
      await server.query(`CREATE DATABASE ${name}`);
      const migration = await runCommand('sh', ['-c', options.migrate], {
        cwd: options.appDir,
        env: { ...options.env, DATABASE_URL: server.urlOf(name) },
        log: options.log,
        timeoutMs: 60_000,
      });
      if (migration.code !== 0) throw new Error(`\`${options.migrate}\` failed on database ${name}: ${pickFailureReason(migration.output)}`);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  const description = `PostgreSQL 15 on 127.0.0.1:${server.port}, database app`;
  options.log.write(`${description} (and dropin for the drop-in tests), both migrated with \`${options.migrate}\`\n`);
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
