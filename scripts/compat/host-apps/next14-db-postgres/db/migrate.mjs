// Creates the app's tables (db/schema.sql) in the database at DATABASE_URL: `DATABASE_URL=… node db/migrate.mjs`.
// Safe to run again: every statement is IF NOT EXISTS.
import { readFileSync } from 'node:fs';
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db/migrate.mjs: DATABASE_URL is not set. Fix: set it to the PostgreSQL database to create the tables in.');
  process.exit(1);
}
const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
  await client.query(readFileSync(new URL('./schema.sql', import.meta.url), 'utf8'));
  console.log(`db/migrate.mjs: tables ready in ${new URL(url).pathname.slice(1)}`);
} catch (error) {
  console.error(`db/migrate.mjs: ${error.message}. Fix: check that PostgreSQL runs and that DATABASE_URL points at it.`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
