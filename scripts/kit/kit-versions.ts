import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { expandKitPaths, readKitManifest, type KitManifest } from '../compat/kit-manifest';
import { KitCliError } from './kit-cli-error';

/** Where the file hashes of every kit version live, relative to the repository root. */
export const VERSIONS_FILE = 'scripts/kit/versions.json';
/** The file inside the kit that carries its version. */
export const VERSION_SOURCE = 'lib/logto/version.ts';

/** One file of a kit version: its SHA-256 (what an app's copy is compared with) and git blob id (to read it back). */
export interface VersionedFile {
  sha256: string;
  blob: string;
}

/** One released kit version: the files `update` maintains, and the templates `add` copies once. */
export interface KitVersion {
  version: string;
  /** Release day, YYYY-MM-DD. */
  date: string;
  /** The commit the version was recorded from, when it was recorded from history. */
  commit?: string;
  /** The kit folder and the drop-in tests, by path in this repository. */
  files: Record<string, VersionedFile>;
  /** The route (kit.json `files` entries that are files): copied once by `add`, then the app's own. */
  templates: Record<string, VersionedFile>;
}

/** scripts/kit/versions.json. */
export interface KitVersions {
  about: string;
  /** Newest first. */
  versions: KitVersion[];
}

/** Which of kit.json's paths each role covers, as the CLI copies and records them. */
export interface KitRoles {
  /** The kit folder (lib/logto/): replaced or merged by `update`. */
  kit: string[];
  /** The route: the template `add` copies when the app has none. */
  templates: string[];
  /** The drop-in suite, maintained like the kit. */
  tests: string[];
}

/**
 * kit.json's paths, by role: its `roles` (older kit.json files without them, read from history by
 * `release --commit`, get them inferred from the shape of `files`: the folder is the kit, the file the route).
 */
export function kitRolesOf(kit: Pick<KitManifest, 'files' | 'tests'> & { roles?: KitManifest['roles'] }): KitRoles {
  if (kit.roles) return { kit: [kit.roles.kit], templates: [kit.roles.route], tests: [kit.roles.tests] };
  return {
    kit: kit.files.filter((path) => path.endsWith('/')),
    templates: kit.files.filter((path) => !path.endsWith('/')),
    tests: kit.tests,
  };
}

/** SHA-256 of `content`, hex. */
export function sha256Of(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Reads scripts/kit/versions.json; throws naming the fix when it is missing or malformed. */
export function readKitVersions(repoRoot: string): KitVersions {
  const file = join(repoRoot, VERSIONS_FILE);
  if (!existsSync(file)) {
    throw new KitCliError(`${VERSIONS_FILE} does not exist`, 'run the kit CLI from a clone of the kit repository');
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KitVersions;
  if (!Array.isArray(parsed.versions) || parsed.versions.some((entry) => !semver.valid(entry.version))) {
    throw new KitCliError(`${VERSIONS_FILE} has no valid "versions" list`, `restore it: git checkout -- ${VERSIONS_FILE}`);
  }
  return parsed;
}

/** Writes scripts/kit/versions.json, versions newest first. */
export function writeKitVersions(repoRoot: string, versions: KitVersions): void {
  const sorted = { ...versions, versions: [...versions.versions].sort((a, b) => semver.rcompare(a.version, b.version)) };
  writeFileSync(join(repoRoot, VERSIONS_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** One version's entry; throws naming the versions this repository knows when it has none for `version`. */
export function findKitVersion(versions: KitVersions, version: string): KitVersion {
  const found = versions.versions.find((entry) => entry.version === version);
  if (!found) {
    throw new KitCliError(
      `kit ${version} is not in ${VERSIONS_FILE} (known: ${versions.versions.map((entry) => entry.version).join(', ')})`,
      'pull the newest kit repository (git pull), or pass the version the app copied with --from VERSION',
    );
  }
  return found;
}

/** The kit version this working tree's lib/logto/version.ts declares. */
export function readWorkingKitVersion(repoRoot: string): string {
  const source = readFileSync(join(repoRoot, VERSION_SOURCE), 'utf8');
  const version = /KIT_VERSION = '([^']+)'/.exec(source)?.[1];
  if (!version || !semver.valid(version)) {
    throw new KitCliError(`${VERSION_SOURCE} declares no semver KIT_VERSION`, `restore it: git checkout -- ${VERSION_SOURCE}`);
  }
  return version;
}

/** The working tree's kit, drop-in tests and templates, each path with its SHA-256 (no blob ids). */
export function hashWorkingKit(repoRoot: string, kit: KitManifest = readKitManifest(repoRoot)): {
  files: Record<string, string>;
  templates: Record<string, string>;
} {
  const roles = kitRolesOf(kit);
  const hashAll = (paths: string[]) =>
    Object.fromEntries(expandKitPaths(repoRoot, paths).map((path) => [path, sha256Of(readFileSync(join(repoRoot, path)))]));
  return { files: hashAll([...roles.kit, ...roles.tests]), templates: hashAll(roles.templates) };
}

/** How two path → hash maps differ: paths only in `after`, only in `before`, and in both with other content. */
export function compareHashes(before: Record<string, string>, after: Record<string, string>) {
  const added = Object.keys(after).filter((path) => !(path in before));
  const removed = Object.keys(before).filter((path) => !(path in after));
  const changed = Object.keys(after).filter((path) => path in before && before[path] !== after[path]);
  return { added, removed, changed };
}

/** A version entry's files as path → SHA-256. */
export function sha256sOf(files: Record<string, VersionedFile>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, file]) => [path, file.sha256]));
}
