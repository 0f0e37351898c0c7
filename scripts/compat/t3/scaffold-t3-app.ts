import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellLog } from '../cell-log';
import { runCommand } from '../commands';
import { pickFailureReason } from '../failure-reason';

/** The generator and version the `t3-prisma` cell scaffolds with, from the npm registry. */
export const CREATE_T3_APP = 'create-t3-app@7.30.0';

/**
 * Its CLI's non-interactive flags (`--CI`): the stack its `-y` defaults pick (next-auth, Prisma, tRPC, Tailwind),
 * on SQLite, with the Pages Router; no git, no install (the runner installs).
 */
const CREATE_T3_APP_FLAGS = [
  '--CI',
  '--nextAuth', 'true',
  '--prisma', 'true',
  '--trpc', 'true',
  '--tailwind', 'true',
  '--dbProvider', 'sqlite',
  '--appRouter', 'false',
  '--noGit',
  '--noInstall',
];

/** The Prisma release that runs offline with a driver adapter (docs/database-sessions.md, "Prisma offline"). */
const PRISMA_VERSION = '6.19.3';

/**
 * The `@trpc/*` release create-t3-app 7.30's `"next"` meant: the registry has no `next` dist-tag for tRPC any more
 * (npm install fails with E404), and 11.0.0 wants Next 15. This one is the last 11.0.0-next-beta, whose peer range
 * for @tanstack/react-query (^5.25.0) is exactly the one 7.30 writes.
 */
const TRPC_FOR_T3_7_30 = '11.0.0-next-beta.318';

/**
 * Generates create-t3-app 7.30's Pages Router app in `<parentDir>/app` with its own CLI from the registry, then
 * changes only what it needs to install and run offline: tRPC's vanished dist-tag pinned, and Prisma's engines
 * replaced by the better-sqlite3 driver adapter ({@link makePrismaOffline}). Installs nothing. Returns the app's folder.
 */
export async function scaffoldT3App(parentDir: string, options: { log: CellLog; env: NodeJS.ProcessEnv }): Promise<string> {
  const generate = await runCommand(
    'npm',
    ['exec', '--yes', `--package=${CREATE_T3_APP}`, '--', 'create-t3-app', 'app', ...CREATE_T3_APP_FLAGS],
    { cwd: parentDir, env: options.env, log: options.log, timeoutMs: 5 * 60_000 },
  );
  if (generate.code !== 0) throw new Error(`${CREATE_T3_APP} failed: ${pickFailureReason(generate.output)}`);
  const appDir = join(parentDir, 'app');
  editJson(join(appDir, 'package.json'), (pkg: { dependencies: Record<string, string>; devDependencies: Record<string, string> }) => {
    for (const name of Object.keys(pkg.dependencies)) {
      if (name.startsWith('@trpc/') && pkg.dependencies[name] === 'next') pkg.dependencies[name] = TRPC_FOR_T3_7_30;
    }
  });
  makePrismaOffline(appDir);
  options.log.write(`create-t3-app app in ${appDir}: tRPC pinned to ${TRPC_FOR_T3_7_30}, Prisma ${PRISMA_VERSION} with the better-sqlite3 driver adapter\n`);
  return appDir;
}

/**
 * Prisma without downloaded engines, as docs/database-sessions.md tells a team: `prisma`, `@prisma/client` and
 * `@prisma/adapter-better-sqlite3` at one version, `engineType = "client"`, a `prisma.config.ts` giving the CLI the
 * adapter, and t3's `src/server/db.ts` creating its client with it. Each edit fails when t3's file is not as expected.
 */
function makePrismaOffline(appDir: string): void {
  editJson(join(appDir, 'package.json'), (pkg: { dependencies: Record<string, string>; devDependencies: Record<string, string> }) => {
    pkg.dependencies['@prisma/client'] = PRISMA_VERSION;
    pkg.dependencies['@prisma/adapter-better-sqlite3'] = PRISMA_VERSION;
    pkg.devDependencies.prisma = PRISMA_VERSION;
    pkg.dependencies = Object.fromEntries(Object.entries(pkg.dependencies).sort(([a], [b]) => a.localeCompare(b)));
  });
  editText(join(appDir, 'prisma', 'schema.prisma'), [
    ['generator client {\n    provider = "prisma-client-js"\n}', 'generator client {\n    provider   = "prisma-client-js"\n    engineType = "client"\n}'],
  ]);
  writeFileSync(
    join(appDir, 'prisma.config.ts'),
    `import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

// With a config file the Prisma CLI reads no .env: the default is t3's DATABASE_URL.
const url = (process.env.DATABASE_URL ??= "file:./db.sqlite");

// Prisma's CLI through the better-sqlite3 driver adapter: no engine binary to download.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
`,
  );
  editText(join(appDir, 'src', 'server', 'db.ts'), [
    ['import { PrismaClient } from "@prisma/client";\n', 'import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";\nimport { PrismaClient } from "@prisma/client";\n'],
    ['  new PrismaClient({\n', '  new PrismaClient({\n    adapter: new PrismaBetterSQLite3({ url: env.DATABASE_URL }),\n'],
  ]);
}

/** Replaces each `[from, to]` once in `file`; throws naming the file when `from` is not there exactly once. */
export function editText(file: string, replacements: [from: string, to: string][]): void {
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${file} has ${count} copies of ${JSON.stringify(from.split('\n')[0])}, not 1: create-t3-app's file changed`);
    text = text.replace(from, () => to);
  }
  writeFileSync(file, text);
}

function editJson<T>(file: string, edit: (value: T) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8')) as T;
  edit(value);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
