import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** kit.json at the repository root: what a team copies into its app, and what it installs. */
export interface KitManifest {
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
  return {
    files: paths('files', true),
    optional: paths('optional', false),
    tests: paths('tests', true),
    dependencies: packages('dependencies'),
    testDependencies: packages('testDependencies'),
    jestConfig,
  };
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
