import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { AppDetection } from './detect-app';

/** The throwaway database `add` sets up for the drop-in suite, when the app's `authOptions` have an adapter. */
export interface DropInDatabasePlan {
  /** The variable the app reads its database URL from (Prisma's `env("…")` in schema.prisma, else DATABASE_URL). */
  env: string;
  /** `file:{dir}/drop-in.db` for SQLite; undefined for a database server, whose URL the team gives in LOGTO_KIT_TEST_DATABASE_URL. */
  url?: string;
  /** The command that creates the tables: Prisma's `migrate deploy` (with migrations) or `db push`. */
  setup?: string;
}

/**
 * `globals.logtoKit` as `add` writes it into jest.logto-kit.config.cjs (the drop-in suite's one setting), with what
 * `add` found out for it: the app's ESM-only packages, and what is left for the team to fill in.
 */
export interface DropInSettingsPlan {
  /** The route, from the app's root. */
  route: string;
  /** The module with `authOptions`, from the app's root, when it is not the route (create-t3-app's src/server/auth.ts). */
  authOptions?: string;
  /** Placeholders for the variables the app's env module (or auth module) reads at import, kit and database ones left out. */
  env: Record<string, string>;
  database?: DropInDatabasePlan;
  /** ESM-only packages in the app's node_modules, for transformIgnorePatterns (and moduleNameMapper, import-only ones). */
  esm: EsmOnlyPackages;
  /** What `add` could not fill in: lines for "Your part". */
  notes: string[];
}

/** Variables the suite sets itself, or that only describe the platform; the env placeholders leave them out. */
const SUITE_VARIABLES = /^(AUTH_LOGTO_|NEXTAUTH_URL$|NEXTAUTH_SECRET$|NODE_ENV$|VERCEL|SKIP_ENV_VALIDATION$|CI$|PORT$|REDIS_URL$)/;
/** Where apps keep an env module that validates at import (create-t3-app: src/env.js; before 7.22: src/env.mjs). */
const ENV_MODULES = ['env.js', 'env.mjs', 'env.ts', 'env.cjs'];

/** What the drop-in suite's settings should say for this app (see {@link DropInSettingsPlan}). */
export function planDropInSettings(detection: AppDetection): DropInSettingsPlan {
  const { layout, route, authOptions } = detection;
  const authFile = authOptions.kind === 'module' && authOptions.file ? authOptions.file : undefined;
  const sources = [route, authFile].filter((file): file is string => file !== undefined && existsSync(join(layout.dir, file)));
  const envModules = [...new Set([layout.srcDir, ''])].flatMap((dir) => ENV_MODULES.map((name) => `${dir}${name}`));
  const envSources = [...sources, ...envModules.filter((file) => existsSync(join(layout.dir, file)))];
  const readAll = (files: string[]) => files.map((file) => readFileSync(join(layout.dir, file), 'utf8')).join('\n');
  const notes: string[] = [];
  const database = readAll(sources).match(/\badapter\s*:/) ? planDatabase(layout.dir, notes) : undefined;
  const names = [...new Set([...readAll(envSources).matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]))];
  const env = Object.fromEntries(
    names
      .filter((name) => !SUITE_VARIABLES.test(name) && name !== database?.env)
      .sort()
      .map((name) => [name, /_(URL|URI)$/.test(name) ? 'https://drop-in.example.com' : 'drop-in-test']),
  );
  return {
    route,
    ...(authFile && { authOptions: authFile }),
    env,
    ...(database && { database }),
    esm: findEsmOnlyPackages(layout.dir, Object.keys({ ...layout.packageJson.dependencies, ...layout.packageJson.devDependencies })),
    notes,
  };
}

/** The test database for an app whose `authOptions` have an adapter: SQLite through Prisma is made by the suite itself. */
function planDatabase(appDir: string, notes: string[]): DropInDatabasePlan {
  const schemaFile = join(appDir, 'prisma', 'schema.prisma');
  if (!existsSync(schemaFile)) {
    notes.push(
      'Your authOptions have an adapter: set logtoKit.database in jest.logto-kit.config.cjs (the variable, a throwaway URL, the command that',
      '    creates your tables), so the drop-in tests never touch your development database (docs/testing.md).',
    );
    return { env: 'DATABASE_URL' };
  }
  const schema = readFileSync(schemaFile, 'utf8');
  const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(schema)?.[1] ?? '';
  const env = /url\s*=\s*env\(\s*"([^"]+)"\s*\)/.exec(datasource)?.[1] ?? 'DATABASE_URL';
  const provider = /provider\s*=\s*"([^"]+)"/.exec(datasource)?.[1];
  const setup = existsSync(join(appDir, 'prisma', 'migrations')) ? 'prisma migrate deploy' : 'prisma db push --skip-generate';
  if (provider === 'sqlite') return { env, url: 'file:{dir}/drop-in.db', setup };
  notes.push(
    `Your Prisma datasource is ${provider ?? 'not SQLite'}: create an empty database for the drop-in tests and put its URL in`,
    '    LOGTO_KIT_TEST_DATABASE_URL when you run them; jest.logto-kit.config.cjs runs their files one at a time on it.',
  );
  return { env, setup };
}

/** The ESM-only packages of an app, and the specifiers among them that only an `import` condition resolves. */
export interface EsmOnlyPackages {
  /** Package names, for transformIgnorePatterns. */
  names: string[];
  /**
   * Specifier → file (from the app's root) for exports that name only an `import` target (e.g. @auth/kysely-adapter 1.x):
   * jest resolves with `require`/`default`, so moduleNameMapper points it at the file.
   */
  importOnly: Record<string, string>;
}

/**
 * The app's packages that jest cannot require as they ship (ES modules only: `"type": "module"` and no `require`
 * export, e.g. @t3-oss/env-nextjs, @auth/prisma-adapter), with the ESM-only packages they depend on, found where Node
 * would (the package's own node_modules first).
 */
export function findEsmOnlyPackages(appDir: string, names: string[]): EsmOnlyPackages {
  const found = new Set<string>();
  const importOnly: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    const dir = packageDirOf(appDir, fromDir, name);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string; exports?: unknown; main?: string; dependencies?: Record<string, string> };
    const exportsText = JSON.stringify(pkg.exports ?? null);
    const requirable = pkg.type !== 'module' || exportsText.includes('"require"') || exportsText.includes('.cjs') || pkg.main?.endsWith('.cjs') === true;
    if (requirable) return;
    found.add(name);
    Object.assign(importOnly, importOnlyExports(name, relative(appDir, dir).split(sep).join('/'), pkg.exports));
    for (const dependency of Object.keys(pkg.dependencies ?? {})) visit(dependency, dir);
  };
  for (const name of names) visit(name, appDir);
  return { names: [...found].sort(), importOnly };
}

/** Where Node finds package `name` from `fromDir`: its node_modules, then each parent's, up to the app's root. */
function packageDirOf(appDir: string, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === appDir || dirname(dir) === dir || !dir.startsWith(appDir)) return undefined;
  }
}

/** The exports of a package that resolve only under the `import` condition, specifier → file from the app's root. */
function importOnlyExports(name: string, dir: string, exports: unknown): Record<string, string> {
  if (typeof exports !== 'object' || exports === null) return {};
  const entries = Object.keys(exports).some((key) => key.startsWith('.')) ? Object.entries(exports) : [['.', exports] as const];
  const mapped: Record<string, string> = {};
  for (const [subpath, target] of entries) {
    if (subpath.includes('*') || typeof target !== 'object' || target === null) continue;
    const conditions = target as Record<string, unknown>;
    if ('require' in conditions || 'default' in conditions || 'node' in conditions) continue;
    const file = typeof conditions.import === 'string' ? conditions.import : undefined;
    if (file) mapped[`${name}${subpath.slice(1)}`] = `${dir}/${file.replace(/^\.\//, '')}`;
  }
  return mapped;
}
