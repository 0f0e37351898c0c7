import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

// Prisma 6's schema still reads `env("DATABASE_URL")`; unset, the CLI fails to read the schema and falls
// back to downloading the Rust query engine. The tests point it at a throwaway file of their own.
const url = (process.env.DATABASE_URL ??= 'file:./database-tests.db');

// Prisma 6.19's CLI through the better-sqlite3 driver adapter: no engine binary to download, works offline.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
