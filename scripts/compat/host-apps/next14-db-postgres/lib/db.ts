import type { Database } from '@auth/kysely-adapter';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';

// The host app's database, as a Next.js app on Kysely keeps it: one pg pool per process, next-auth's tables
// (db/schema.sql) and the Logto kit's (logtoTablesSql()) in the same PostgreSQL database.

/** The pool; a query waits at most 2 s for a connection, so a database outage answers quickly instead of hanging. */
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000 });

// A connection a query holds (Kysely checks each one out with pool.connect()) emits 'error' on itself when its
// server goes away, and an unheard one ends the process (node-postgres, "Client: error"). The query it held is
// rejected with the same error, and whoever made that query logs it. Idle ones report to the pool's 'error'.
pool.on('connect', (client) => client.on('error', () => {}));

/** The app's Kysely instance over {@link pool}, typed with next-auth's tables. */
export const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
