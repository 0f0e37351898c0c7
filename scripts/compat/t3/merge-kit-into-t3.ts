import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitSpecifierFrom, kitWiringFor, routeThroughModule } from '../../kit/route-wiring';
import type { CellLog } from '../cell-log';
import { runCommand, startProcess } from '../commands';
import { pickFailureReason } from '../failure-reason';
import { editText } from './scaffold-t3-app';

/** Where create-t3-app 7.x keeps authOptions, and the specifier its route imports them by. */
const T3_AUTH_MODULE = 'src/server/auth.ts';
const T3_AUTH_SPECIFIER = '~/server/auth';
const T3_ROUTE = 'src/pages/api/auth/[...nextauth].ts';

/** What {@link mergeKitIntoT3App} did, and the table creation it left running. */
export interface T3Merge {
  /** One line per change, for the log. */
  changes: string[];
  /** t3's `npm run db:push` creating the tables: resolves once it exited 0, rejects with its failure. */
  tables: Promise<void>;
  /** Its process, for the runner to stop should the cell end first. */
  tablesProcess: ChildProcess;
}

/**
 * Merges the kit into create-t3-app's own files by the recipe the README and docs/database-sessions.md give (the
 * lines `npm run kit -- add` prints, from kitWiringFor): in src/server/auth.ts the kit's imports and setup after
 * t3's imports, and t3's options wrapped in `logto.withLogto(...)` with `logtoProvider` listed first (its
 * PrismaAdapter, Discord provider and session callback kept); the route serving `logto.handler(authOptions)`; the
 * docs' two Prisma models added to schema.prisma, the client generated again, and t3's own `npm run db:push`
 * started to create the tables. Every edit fails when t3's file is not shaped as expected.
 */
export async function mergeKitIntoT3App(
  appDir: string,
  options: { repoRoot: string; routeTemplate: string; kitDir: string; log: CellLog; env: NodeJS.ProcessEnv },
): Promise<T3Merge> {
  const template = readFileSync(join(options.repoRoot, options.routeTemplate), 'utf8');
  const authFile = join(appDir, T3_AUTH_MODULE);
  const auth = readFileSync(authFile, 'utf8');
  const wiring = kitWiringFor(template, kitSpecifierFrom(T3_AUTH_MODULE, options.kitDir), auth);

  const lastImport = [...auth.matchAll(/^import\s[\s\S]*?\sfrom\s+["'][^"']+["'];\n/gm)].at(-1);
  if (!lastImport) throw new Error(`${T3_AUTH_MODULE} has no import statement: create-t3-app's file changed`);
  const afterImports = lastImport.index + lastImport[0].length;
  writeFileSync(authFile, `${auth.slice(0, afterImports)}${wiring.imports.join('\n')}\n\n${wiring.setup}\n${auth.slice(afterImports)}`);
  editText(authFile, [
    ['export const authOptions: NextAuthOptions = {\n', 'export const authOptions: NextAuthOptions = logto.withLogto({\n'],
    ['  providers: [\n', '  providers: [\n    logtoProvider,\n'],
  ]);
  // t3's options object ends with the first `};` at the start of a line after it.
  const merged = readFileSync(authFile, 'utf8');
  const start = merged.indexOf('logto.withLogto({\n');
  const end = merged.indexOf('\n};\n', start);
  if (end === -1) throw new Error(`${T3_AUTH_MODULE}: the end of authOptions (a line "};") was not found`);
  writeFileSync(authFile, `${merged.slice(0, end)}\n});\n${merged.slice(end + 4)}`);

  writeFileSync(join(appDir, T3_ROUTE), `${routeThroughModule(T3_AUTH_SPECIFIER)}\n`);

  const schemaFile = join(appDir, 'prisma', 'schema.prisma');
  writeFileSync(schemaFile, `${readFileSync(schemaFile, 'utf8')}\n${kitPrismaModels(options.repoRoot)}`);
  // t3's postinstall generated the client before the kit's models were there; next build type-checks against it.
  const generate = await runCommand('npx', ['prisma', 'generate'], { cwd: appDir, env: options.env, log: options.log, timeoutMs: 3 * 60_000 });
  if (generate.code !== 0) throw new Error(`prisma generate failed: ${pickFailureReason(generate.output)}`);
  // Prisma 6.19.3's db push creates the tables within a second, then its schema engine holds the process for about a
  // minute (docs/database-sessions.md): it runs alongside next build and the drop-in tests, which do not use this file.
  const tablesProcess = startProcess('npm', ['run', 'db:push', '--', '--skip-generate'], { cwd: appDir, env: options.env, log: options.log });
  let output = '';
  tablesProcess.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    options.log.write(chunk.toString());
  });
  const tables = once(tablesProcess, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`npm run db:push failed (exit ${String(code)}): ${pickFailureReason(output)}`);
    if (!/in sync with your Prisma schema/.test(output)) throw new Error(`npm run db:push did not say the database is in sync: ${pickFailureReason(output)}`);
  });
  // Handled where it is awaited (before next start); this keeps an early failure from being an unhandled rejection.
  tables.catch(() => undefined);

  return {
    changes: [
      `${T3_AUTH_MODULE}: ${wiring.imports.length} import(s), the provider literal and createLogtoKit; authOptions wrapped in logto.withLogto, logtoProvider first`,
      ...wiring.notes.map((note) => `  (${note})`),
      `${T3_ROUTE}: export default logto.handler(authOptions)`,
      'prisma/schema.prisma: LogtoSessionLink and LogtoRefreshLock (docs/database-sessions.md); prisma generate; npm run db:push started',
    ],
    tables,
    tablesProcess,
  };
}

/** The kit's two Prisma models, exactly as docs/database-sessions.md gives them to a team. */
function kitPrismaModels(repoRoot: string): string {
  const docs = readFileSync(join(repoRoot, 'docs', 'database-sessions.md'), 'utf8');
  const block = /```prisma\n(model LogtoSessionLink \{[\s\S]*?)```/.exec(docs)?.[1];
  if (!block?.includes('model LogtoRefreshLock')) throw new Error('docs/database-sessions.md has no prisma block with the kit\'s two models');
  return block;
}
