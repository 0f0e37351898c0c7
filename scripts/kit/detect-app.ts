import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readAppLayout, type AppLayout } from './app-layout';

/** The package managers `add` installs with, told apart by their lock files. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** Where the app's next-auth options live. */
export interface AuthOptionsSite {
  /**
   * `route`: the route file exports `authOptions`; `module`: the route imports it from another module (create-t3-app's
   * `src/server/auth.ts`); `inline`: the route passes options straight to `NextAuth()`; `none`: there is no route.
   */
  kind: 'route' | 'module' | 'inline' | 'none';
  /** The file that defines them (for `module`, the module), relative to the app's root. */
  file?: string;
  /** For `module`: the specifier the route imports it by, e.g. `~/server/auth`. */
  specifier?: string;
}

/** The app's own jest configuration, which must not run the drop-in suite. */
export interface OwnJestConfig {
  kind: 'package.json' | 'json' | 'code' | 'none';
  /** The config file, relative to the app's root (for `json` and `code`). */
  file?: string;
}

/** What `add` finds out about an app before copying anything. */
export interface AppDetection {
  layout: AppLayout;
  packageManager: PackageManager;
  /** Installed versions, read from node_modules (not from package.json's ranges). */
  installed: Record<'next' | 'react' | 'next-auth', string | undefined>;
  /** The NextAuth route, relative to the app's root, whether or not it exists yet. */
  route: string;
  routeExists: boolean;
  authOptions: AuthOptionsSite;
  /** next.config's `basePath`, when it sets a literal one. */
  basePath: string;
  ownJest: OwnJestConfig;
  /** tsconfig.json `compilerOptions.paths` (aliases such as `@/*` or `~/*`), relative to the app's root. */
  aliases: Record<string, string>;
}

const ROUTE_EXTENSIONS = ['ts', 'tsx', 'js', 'jsx'];
const MODULE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '/index.ts', '/index.js'];

/** Detects the app's layout, package manager, installed versions, route, auth options, basePath, jest and aliases. */
export function detectApp(appDir: string): AppDetection {
  const layout = readAppLayout(appDir);
  const { dir, srcDir } = layout;
  const routeBase = `${srcDir}pages/api/auth/[...nextauth]`;
  const existing = ROUTE_EXTENSIONS.map((ext) => `${routeBase}.${ext}`).find((path) => existsSync(join(dir, path)));
  const route = existing ?? `${routeBase}.${layout.language}`;
  const aliases = readAliases(dir);
  return {
    layout,
    packageManager: existsSync(join(dir, 'pnpm-lock.yaml')) ? 'pnpm' : existsSync(join(dir, 'yarn.lock')) ? 'yarn' : 'npm',
    installed: { next: installedVersion(dir, 'next'), react: installedVersion(dir, 'react'), 'next-auth': installedVersion(dir, 'next-auth') },
    route,
    routeExists: existing !== undefined,
    authOptions: existing ? findAuthOptions(dir, existing, aliases) : { kind: 'none' },
    basePath: readBasePath(dir),
    ownJest: findOwnJest(dir, layout.packageJson.jest !== undefined),
    aliases,
  };
}

/** The version of `name` installed for the app (node_modules/<name>/package.json), or undefined. */
export function installedVersion(appDir: string, name: string): string | undefined {
  const file = join(appDir, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}

function findAuthOptions(appDir: string, route: string, aliases: Record<string, string>): AuthOptionsSite {
  const source = readFileSync(join(appDir, route), 'utf8');
  if (/export\s+(const|let|var)\s+authOptions\b|export\s*\{[^}]*\bauthOptions\b[^}]*\}(?!\s*from)/.test(source)) {
    return { kind: 'route', file: route };
  }
  const imported = /import\s*\{[^}]*\bauthOptions\b[^}]*\}\s*from\s*['"]([^'"]+)['"]|export\s*\{[^}]*\bauthOptions\b[^}]*\}\s*from\s*['"]([^'"]+)['"]/.exec(source);
  const specifier = imported?.[1] ?? imported?.[2];
  if (specifier) {
    const file = resolveModule(appDir, route, specifier, aliases);
    return { kind: 'module', file, specifier };
  }
  return { kind: 'inline', file: route };
}

/** The file a specifier in `fromFile` points at: relative, or through a tsconfig alias; undefined when not found. */
function resolveModule(appDir: string, fromFile: string, specifier: string, aliases: Record<string, string>): string | undefined {
  let base: string | undefined;
  if (specifier.startsWith('.')) base = join(dirname(fromFile), specifier);
  for (const [alias, target] of Object.entries(aliases)) {
    const prefix = alias.replace(/\*$/, '');
    if (alias.endsWith('*') && specifier.startsWith(prefix)) base = target.replace(/\*$/, '') + specifier.slice(prefix.length);
  }
  if (base === undefined) return undefined;
  const candidate = [base, ...MODULE_EXTENSIONS.map((ext) => base + ext)].find((path) => existsSync(join(appDir, path)) && statSync(join(appDir, path)).isFile());
  return candidate ? relative(appDir, join(appDir, candidate)) : undefined;
}

function readAliases(appDir: string): Record<string, string> {
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const file = join(appDir, name);
    if (!existsSync(file)) continue;
    try {
      // tsconfig.json allows comments and trailing commas; strip them before JSON.parse.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|(?<![:"\w])\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1');
      const options = (JSON.parse(text) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }).compilerOptions ?? {};
      const baseUrl = options.baseUrl ?? '.';
      return Object.fromEntries(Object.entries(options.paths ?? {}).map(([alias, targets]) => [alias, join(baseUrl, targets[0] ?? '').replace(/^\.\//, '')]));
    } catch {
      return {};
    }
  }
  return {};
}

function readBasePath(appDir: string): string {
  for (const name of ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs']) {
    const file = join(appDir, name);
    if (!existsSync(file)) continue;
    return /\bbasePath\s*:\s*['"`]([^'"`]*)['"`]/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  }
  return '';
}

function findOwnJest(appDir: string, inPackageJson: boolean): OwnJestConfig {
  if (inPackageJson) return { kind: 'package.json' };
  for (const ext of ['js', 'ts', 'mjs', 'cjs', 'json']) {
    const file = `jest.config.${ext}`;
    if (existsSync(join(appDir, file))) return { kind: ext === 'json' ? 'json' : 'code', file };
  }
  return { kind: 'none' };
}
