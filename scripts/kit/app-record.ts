import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { KitCliError } from './kit-cli-error';

/** The file at an app's root where the CLI records which kit version the app copied. */
export const APP_RECORD_FILE = 'logto-kit.json';

/** The language an app's copy of the kit is in. */
export type KitLanguage = 'ts' | 'js';

/** logto-kit.json: what the CLI copied into an app, so `status` and `update` work without git in the app. */
export interface AppRecord {
  about: string;
  /** The kit version the app's copy is at. */
  version: string;
  language: KitLanguage;
  /** Where kit paths land in the app, kit path → app path: folders end in `/`, anything else is one file. */
  paths: Record<string, string>;
  /** SHA-256 of each kit file as the CLI last wrote it, by kit path: a different hash in the app is the team's edit. */
  files: Record<string, string>;
  /** The jest config that runs the drop-in suite in the app, relative to its root. */
  jestConfig: string;
  /** kit.json's roles as `add` resolved them in the app (route, authOptions, kit, types, tests), from its root. */
  roles?: Record<string, string>;
}

const ABOUT =
  'Written by the Logto kit CLI (npm run kit -- add/update, run from a clone of the kit repository): the kit version ' +
  'this app copied and each kit file as copied. Commit it; `status` and `update` compare your copy with it.';

/** The app's record, or undefined when the CLI never copied the kit into it; throws naming the fix when malformed. */
export function readAppRecord(appDir: string): AppRecord | undefined {
  const file = join(appDir, APP_RECORD_FILE);
  if (!existsSync(file)) return undefined;
  let record: AppRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as AppRecord;
  } catch (error) {
    throw new KitCliError(`${file} is not JSON (${(error as Error).message})`, `restore it from git: git checkout -- ${APP_RECORD_FILE}`);
  }
  if (!semver.valid(record.version) || typeof record.files !== 'object' || typeof record.paths !== 'object') {
    throw new KitCliError(
      `${file} lacks a valid "version", "paths" or "files"`,
      `restore it from git (git checkout -- ${APP_RECORD_FILE}), or delete it and run npm run kit -- update APP --from VERSION`,
    );
  }
  return record;
}

/** Writes logto-kit.json at the app's root, keys sorted so its diffs stay small. */
export function writeAppRecord(appDir: string, record: Omit<AppRecord, 'about'>): void {
  const sorted = { about: ABOUT, ...record, files: Object.fromEntries(Object.entries(record.files).sort(([a], [b]) => a.localeCompare(b))) };
  writeFileSync(join(appDir, APP_RECORD_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Where a kit path lands in the app: an exact entry of `paths`, else the longest folder entry containing it, else the same path. */
export function appPathOf(paths: Record<string, string>, kitPath: string): string {
  if (paths[kitPath] && !kitPath.endsWith('/')) return paths[kitPath];
  const folder = Object.keys(paths)
    .filter((key) => key.endsWith('/') && kitPath.startsWith(key))
    .sort((a, b) => b.length - a.length)[0];
  return folder ? paths[folder] + kitPath.slice(folder.length) : kitPath;
}
