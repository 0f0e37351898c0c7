import { dirname, posix, relative, sep } from 'node:path';
import type { KitLanguage } from './app-record';
import type { AuthOptionsSite } from './detect-app';

/** The pieces of the kit's route template that wire the kit: imports, then env, provider and kit. */
export interface TemplateParts {
  /** The template's import lines, the kit's own rewritten for the target file. */
  imports: string[];
  /** From the env line to the line before `authOptions`' doc comment: env, provider literal, kit. */
  setup: string;
}

/** The specifier that imports the kit folder `kitDir` from `file` (both relative to the app's root), e.g. `../../../lib/logto`. */
export function kitSpecifierFrom(file: string, kitDir: string): string {
  const path = relative(dirname(file), kitDir.replace(/\/$/, '')).split(sep).join(posix.sep);
  return path.startsWith('.') ? path : `./${path}`;
}

/** Splits the route template into its imports and its setup block, the kit's import pointed at `kitSpecifier`. */
export function templateParts(template: string, kitSpecifier: string): TemplateParts {
  const lines = template.split('\n');
  const imports = lines
    .filter((line) => line.startsWith('import '))
    .map((line) => line.replace(/from '(\.\.?\/)+lib\/logto'/, `from '${kitSpecifier}'`));
  const firstAfterImports = lines.findIndex((line, index) => index > 0 && !line.startsWith('import ') && lines[index - 1].startsWith('import '));
  const authOptionsLine = lines.findIndex((line) => line.startsWith('export const authOptions'));
  let end = authOptionsLine;
  while (end > 0 && !lines[end - 1].startsWith('/**')) end -= 1;
  return { imports, setup: lines.slice(firstAfterImports, end - 1).join('\n').trim() };
}

/** Whether a file already wires the kit: it wraps options in `withLogto` or serves `logto.handler`. */
export function wiresKit(source: string): boolean {
  return /\.withLogto\(|\.handler\(authOptions\)/.test(source);
}

/** The kit's lines fitted to one file of the app: the imports it lacks, the setup block, and notes for the team. */
export interface KitWiring extends TemplateParts {
  /** What was adapted to the file, one line each (e.g. the env binding renamed). */
  notes: string[];
}

/**
 * The kit's imports and setup block fitted to `targetSource`, the file that will define `authOptions`: imports it
 * already has are left out; when it already binds `env` (create-t3-app imports its own from `~/env`) the kit's is
 * `logtoEnv`; when its options use `PrismaAdapter(client)` (database sessions) the kit gets
 * `database: createPrismaAccountStore(client)` instead of Redis (docs/database-sessions.md).
 */
export function kitWiringFor(template: string, kitSpecifier: string, targetSource: string): KitWiring {
  const parts = templateParts(template, kitSpecifier);
  let { imports, setup } = parts;
  const notes: string[] = [];
  if (bindsEnv(targetSource)) {
    setup = renameEnv(setup);
    notes.push('your file already has an `env`: the kit\'s is `logtoEnv`');
  }
  const prismaClient = /\bPrismaAdapter\(\s*([A-Za-z_$][\w$]*)\s*\)/.exec(targetSource)?.[1];
  if (prismaClient) {
    imports = imports.map((line) => (line.includes(`from '${kitSpecifier}'`) ? line.replace('createRedisClient', 'createPrismaAccountStore') : line));
    setup = setup
      .replace(/redis: createRedisClient\(process\.env\.REDIS_URL\)/, `database: createPrismaAccountStore(${prismaClient})`)
      .replace(/explained\. With REDIS_URL, refreshes and logouts are shared by every instance \(README "Running several instances"\)\./, 'explained. Database sessions: Logto\'s tokens stay in the Account row, refreshed once across instances (docs/database-sessions.md).');
    notes.push(`your options use PrismaAdapter(${prismaClient}) (database sessions): the kit keeps Logto's tokens in its Account row; add the kit's two models to schema.prisma (docs/database-sessions.md)`);
  } else if (/^\s*adapter\s*:/m.test(targetSource)) {
    notes.push('your options set an adapter (database sessions): pass `database: createSqlAccountStore({ query, dialect })` instead of `redis` (docs/database-sessions.md)');
  }
  return { imports: imports.filter((line) => !alreadyImports(targetSource, line)), setup, notes };
}

/**
 * The exact lines to merge into an app's existing route (and auth module, for create-t3-app's shape) so it uses the
 * kit, with the kit's import path computed from each file and the lines fitted to it ({@link kitWiringFor}).
 */
export function mergeInstructions(options: {
  template: string;
  site: AuthOptionsSite;
  route: string;
  kitDir: string;
  language: KitLanguage;
  /** The content of the file that defines `authOptions` (the route, or the module). */
  targetSource: string;
}): string[] {
  const { template, site, route, kitDir } = options;
  const annotation = options.language === 'ts' ? ': NextAuthOptions' : '';
  const target = site.kind === 'module' && site.file ? site.file : route;
  const parts = kitWiringFor(template, kitSpecifierFrom(target, kitDir), options.targetSource);
  const indent = (text: string) => text.split('\n').map((line) => (line ? `    ${line}` : ''));
  const steps = [
    ...parts.notes.map((note) => `  Note: ${note}.`),
    ...(site.kind === 'inline'
      ? [`  0. Move the options you pass to NextAuth() into \`export const authOptions${annotation} = { … }\`.`]
      : []),
    `  1. Add to the imports of ${target} (keep yours):`,
    ...indent(parts.imports.join('\n')),
    `  2. Add after the imports:`,
    ...indent(parts.setup),
    `  3. Wrap your options in the kit and list its provider first (your adapter, callbacks, pages and providers stay):`,
    ...indent(`export const authOptions${annotation} = logto.withLogto({\n  ...yourOptions,\n  providers: [logtoProvider, ...yourProviders],\n});`),
  ];
  if (site.kind === 'module' && site.file) {
    steps.push(
      `  4. Serve ${route} through the kit (the drop-in tests load authOptions and the kit from ${site.file}, as jest.logto-kit.config.cjs says):`,
      ...indent(routeThroughModule(site.specifier ?? '')),
    );
  } else {
    steps.push(`  4. Serve the route through the kit, instead of \`export default NextAuth(authOptions)\`:`, ...indent('export default logto.handler(authOptions);'));
  }
  return steps;
}

/** The whole route file when `authOptions` and the kit live in a module the route imports by `specifier`. */
export function routeThroughModule(specifier: string): string {
  return `import { authOptions, logto } from '${specifier}';\n\nexport default logto.handler(authOptions);`;
}

/** Whether the file declares or imports a binding named `env`. */
function bindsEnv(source: string): boolean {
  return /\b(?:const|let|var|function|class)\s+env\b/.test(source) || importStatements(source).some((statement) => statement.names.includes('env'));
}

/** The setup block with its `env` binding named `logtoEnv` (`process.env` and the `env` option of createLogtoKit kept). */
function renameEnv(setup: string): string {
  return setup
    .replace(/([{,]\s*)env(\s*[,}])/g, '$1env: logtoEnv$2')
    .replace(/(?<![\w$])(?<![^.]\.)env(?![\w$]|\s*:)/g, 'logtoEnv');
}

/** Whether `source` already imports every name `importLine` imports, from the same module. */
function alreadyImports(source: string, importLine: string): boolean {
  const [wanted] = importStatements(importLine);
  if (!wanted) return false;
  const have = importStatements(source).filter((statement) => statement.from === wanted.from).flatMap((statement) => statement.names);
  return wanted.names.length > 0 && wanted.names.every((name) => have.includes(name));
}

/** The import statements of `source` (also those spread over several lines): their module and local names. */
function importStatements(source: string): { from: string; names: string[] }[] {
  return [...source.matchAll(/^import\s+(?:type\s+)?([^;]*?)\s+from\s+['"]([^'"]+)['"];?/gms)].map(([, clause = '', from = '']) => ({
    from,
    names: clause
      .replace(/[{}]/g, ',')
      .split(',')
      .map((part) => part.trim().replace(/^type\s+/, '').replace(/^\*\s+as\s+/, '').split(/\s+as\s+/).pop() ?? '')
      .filter(Boolean),
  }));
}
