import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logtoTablesSql } from '../../lib/logto/database/sql-account-store';
import { startPostgresServer, type PostgresServer } from '../postgres/postgres-server';
import type { CellLog } from './cell-log';

/** The database a cell's app keeps its sessions in: a throwaway PostgreSQL 15 cluster the runner starts and stops. */
export interface CellDatabase {
  /** DATABASE_URL of the app's database (`next start`). */
  url: string;
  /** DATABASE_URL of a second database on the same server, with the same tables, for the drop-in tests. */
  dropInUrl: string;
  /** Runs SQL on the app's database; resolves the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Ends the server as a crash does (SIGKILL to the postmaster and its backends); {@link CellDatabase.start} brings it back. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/** The Account row next-auth wrote at a Logto sign-in (next-auth's adapter schema, epoch seconds in `expires_at`). */
export interface LogtoAccountRow {
  userId: string;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: string | number | null;
  id_token: string | null;
}

/**
 * Starts PostgreSQL 15 (scripts/postgres/postgres-server.ts), makes the app's database and the drop-in tests' one,
 * and applies to each the host app's schema (`schemaFile`, relative to `appDir`: next-auth's tables as the app's
 * adapter reads them) and the kit's tables (`logtoTablesSql()`), as the team's migrations would.
 */
export async function startCellDatabase(appDir: string, schemaFile: string, log: CellLog): Promise<CellDatabase> {
  const server: PostgresServer = await startPostgresServer();
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
  log.write(`PostgreSQL 15 on port ${server.port}: databases app and dropin, ${schemaFile} and the kit's tables applied\n`);
  return {
    url: server.urlOf('app'),
    dropInUrl: server.urlOf('dropin'),
    query: (sql, params) => server.query(sql, params, 'app'),
    kill: () => server.kill(),
    start: () => server.start(),
    stop: () => server.stop(),
  };
}

/**
 * What a Logto sign-in must have left in the database: the user's Account row holding Logto's tokens (access,
 * refresh, id_token, `expires_at` in the future) and the Session row of `sessionToken` (the browser's session
 * cookie) for the same user. Returns the adapter's user id.
 */
export async function expectDatabaseSignIn(database: CellDatabase, sessionToken: string | undefined): Promise<string> {
  if (!sessionToken) throw new Error('no session cookie after sign-in');
  const sessions = await database.query<{ userId: string }>('SELECT "userId" FROM "Session" WHERE "sessionToken" = $1', [sessionToken]);
  if (sessions.length !== 1) throw new Error(`the session cookie names ${sessions.length} Session rows, not 1`);
  const userId = sessions[0].userId;
  const accounts = await database.query<LogtoAccountRow>(
    'SELECT "userId", access_token, refresh_token, expires_at, id_token FROM "Account" WHERE provider = $1 AND "userId" = $2',
    ['logto', userId],
  );
  const account = accounts[0];
  if (!account) throw new Error(`the Session row's user ${userId} has no Logto Account row`);
  const missing = (['access_token', 'refresh_token', 'id_token'] as const).filter((column) => !account[column]);
  if (missing.length > 0) throw new Error(`the Account row has no ${missing.join(', ')}`);
  if (!(Number(account.expires_at) > Date.now() / 1000)) throw new Error(`the Account row's expires_at ${String(account.expires_at)} is not in the future`);
  return userId;
}
