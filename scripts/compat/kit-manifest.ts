import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/**
 * kit.json's roles: which of its paths is which, so the kit CLI places each in a team's app by what it is (the route
 * under `pages/` or `src/pages/`, `authOptions` in the route or in a module such as `src/server/auth.ts`), not by
 * the shape of its path.
 */
export interface KitRoleMap {
  /** The `/api/auth/[...nextauth]` route: a template `add` writes only when the app has none. */
  route: string;
  /** Where this repository's `authOptions` live (the route); in an app, wherever its route imports them from. */
  authOptions: string;
  /** The kit folder, replaced or merged by `update`. */
  kit: string;
  /** The next-auth type augmentation, inside the kit folder; the app's tsconfig must include it. */
  types: string;
  /** The drop-in suite's folder (its jest config is `jestConfig`). */
  tests: string;
}

/** kit.json at the repository root: what a team copies into its app, and what it installs. */
export interface KitManifest {
  /** Which path is which: the route, the place of authOptions, the kit, the types, the drop-in suite. */
  roles: KitRoleMap;
  /** Paths a team must copy: files, or folders copied whole. */
  files: string[];
  /** UI pieces a team may copy; the matrix leaves them out, so the kit must work without them. */
  optional: string[];
  /** The drop-in jest suite (files or folders). */
  tests: string[];
  /** Packages the kit needs at run time, name → semver range. */
  dependencies: Record<string, string>;
  /** Packages the drop-in tests need, name → semver range. */
  testDependencies: Record<string, string>;
  /** The drop-in suite's jest config, relative to the app root. */
  jestConfig: string;
}

/** Reads and checks `<root>/kit.json`; throws naming the field that is missing or malformed. */
export function readKitManifest(root: string): KitManifest {
  const file = join(root, 'kit.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: the matrix copies exactly what kit.json lists`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const paths = (field: string, required: boolean): string[] => {
    const value = raw[field];
    if (value === undefined && !required) return [];
    if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
      throw new Error(`kit.json: "${field}" must be an array of paths`);
    }
    return value;
  };
  const packages = (field: string): Record<string, string> => {
    const value = raw[field] ?? {};
    if (typeof value !== 'object' || value === null || Object.values(value).some((range) => typeof range !== 'string')) {
      throw new Error(`kit.json: "${field}" must map package names to version ranges`);
    }
    return value as Record<string, string>;
  };
  const jestConfig = raw.jestConfig;
  if (typeof jestConfig !== 'string') throw new Error('kit.json: "jestConfig" must be the path of the drop-in jest config');
  const files = paths('files', true);
  const tests = paths('tests', true);
  return {
    roles: readRoles(raw.roles, files, tests),
    files,
    optional: paths('optional', false),
    tests,
    dependencies: packages('dependencies'),
    testDependencies: packages('testDependencies'),
    jestConfig,
  };
}

/**
 * kit.json's `roles`, each checked against the paths `files` and `tests` list (kit.json without `roles`, as older
 * kit versions had it: the route is the file among `files`, the kit the folder, the tests the first `tests` entry).
 */
function readRoles(raw: unknown, files: string[], tests: string[]): KitRoleMap {
  const inferredKit = files.find((path) => path.endsWith('/')) ?? '';
  const inferredRoute = files.find((path) => !path.endsWith('/')) ?? '';
  if (raw === undefined) {
    return { route: inferredRoute, authOptions: inferredRoute, kit: inferredKit, types: `${inferredKit}types/next-auth.d.ts`, tests: tests[0] ?? '' };
  }
  if (typeof raw !== 'object' || raw === null) throw new Error('kit.json: "roles" must map route, authOptions, kit, types and tests to paths');
  const roles = raw as Record<string, unknown>;
  const role = (name: keyof KitRoleMap): string => {
    const value = roles[name];
    if (typeof value !== 'string' || value === '') throw new Error(`kit.json: "roles.${name}" must be a path`);
    return value;
  };
  const map: KitRoleMap = { route: role('route'), authOptions: role('authOptions'), kit: role('kit'), types: role('types'), tests: role('tests') };
  const listed = (path: string, among: string[]) => among.some((entry) => entry === path || (entry.endsWith('/') && path.startsWith(entry)));
  if (!files.includes(map.route) || map.route.endsWith('/')) throw new Error(`kit.json: "roles.route" (${map.route}) must be a file "files" lists`);
  if (!files.includes(map.kit) || !map.kit.endsWith('/')) throw new Error(`kit.json: "roles.kit" (${map.kit}) must be a folder "files" lists`);
  if (!listed(map.authOptions, files)) throw new Error(`kit.json: "roles.authOptions" (${map.authOptions}) must be among "files"`);
  if (!map.types.startsWith(map.kit)) throw new Error(`kit.json: "roles.types" (${map.types}) must be inside the kit folder ${map.kit}`);
  if (!tests.includes(map.tests)) throw new Error(`kit.json: "roles.tests" (${map.tests}) must be an entry of "tests"`);
  return map;
}

/**
 * The files behind `entries` (files, or folders walked recursively), as POSIX paths relative to `root`;
 * throws naming an entry that does not exist, so a stale kit.json fails the matrix instead of copying less.
 */
export function expandKitPaths(root: string, entries: string[]): string[] {
  const files = new Set<string>();
  for (const entry of entries) {
    const absolute = join(root, entry);
    if (!existsSync(absolute)) throw new Error(`kit.json lists "${entry}", which does not exist`);
    for (const file of walk(absolute)) files.add(relative(root, file).split(sep).join(posix.sep));
  }
  return [...files].sort();
}

function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.name === 'node_modules' ? [] : walk(join(path, entry.name)),
  );
}
