import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { readKitManifest } from '../compat/kit-manifest';
import { kitPathsFor, readAppLayout, type AppLayout } from './app-layout';
import { APP_RECORD_FILE, appPathOf, readAppRecord, type AppRecord } from './app-record';
import { KitCliError } from './kit-cli-error';
import { readKitVersions, sha256Of, sha256sOf } from './kit-versions';

/** An app with the kit in it: its layout and its record (from logto-kit.json, or built from `--from`). */
export interface AppKit {
  layout: AppLayout;
  record: AppRecord;
  /** Where the record came from. */
  recordSource: 'logto-kit.json' | '--from';
}

/** The version an unrecorded copy matches best, and on how many of that version's files. */
export interface CopyMatch {
  version: string;
  matching: number;
  total: number;
}

/**
 * The app in `appDir` and its kit record. Without logto-kit.json, `from` names the version the team copied by
 * hand (the record is then that version's files as released); without either, throws saying which version the
 * copy looks like and the command to run.
 */
export function readAppKit(repoRoot: string, appDir: string, from?: string): AppKit {
  const layout = readAppLayout(appDir);
  const record = readAppRecord(layout.dir);
  if (record && from) {
    throw new KitCliError(`${join(layout.dir, APP_RECORD_FILE)} already records kit ${record.version}`, 'drop --from: the record says which version the app has');
  }
  if (record) return { layout, record, recordSource: 'logto-kit.json' };
  const kit = readKitManifest(repoRoot);
  const paths = kitPathsFor(layout, kit);
  if (!from) {
    const match = identifyCopy(repoRoot, layout);
    if (!match) {
      throw new KitCliError(`the kit is not in ${layout.dir} (no ${APP_RECORD_FILE}, no ${paths['lib/logto/'] ?? 'lib/logto/'})`, `copy it with npm run kit -- add ${appDir}`);
    }
    throw new KitCliError(
      `${layout.dir} has a copy of the kit but no ${APP_RECORD_FILE}; ${match.matching} of its files are exactly kit ${match.version}'s (of ${match.total})`,
      `say which version the team copied: npm run kit -- status ${appDir} --from ${match.version} (update takes --from too and writes ${APP_RECORD_FILE})`,
    );
  }
  const entry = readKitVersions(repoRoot).versions.find((candidate) => candidate.version === from);
  if (!entry) {
    throw new KitCliError(
      `--from ${from}: this clone records no kit ${from} (known: ${readKitVersions(repoRoot).versions.map((candidate) => candidate.version).join(', ')})`,
      'pick one of those versions: the one whose files your copy is closest to',
    );
  }
  if (layout.language !== 'ts') {
    throw new KitCliError('--from works only for TypeScript copies', `copy the JavaScript kit afresh with npm run kit -- add ${appDir}`);
  }
  return {
    layout,
    record: { about: '', version: entry.version, language: 'ts', paths, files: sha256sOf(entry.files), jestConfig: appPathOf(paths, kit.jestConfig) },
    recordSource: '--from',
  };
}

/** The recorded version whose files an unrecorded TypeScript copy matches most often; undefined when the app has no kit folder. */
export function identifyCopy(repoRoot: string, layout: AppLayout): CopyMatch | undefined {
  const paths = kitPathsFor(layout, readKitManifest(repoRoot));
  if (!existsSync(join(layout.dir, paths['lib/logto/'] ?? 'lib/logto/'))) return undefined;
  const matches = readKitVersions(repoRoot).versions.map((entry) => {
    const files = Object.entries(entry.files);
    const matching = files.filter(([path, file]) => {
      const appFile = join(layout.dir, appPathOf(paths, path));
      return existsSync(appFile) && sha256Of(readFileSync(appFile)) === file.sha256;
    }).length;
    return { version: entry.version, matching, total: files.length };
  });
  return matches.sort((a, b) => b.matching - a.matching || semver.rcompare(a.version, b.version))[0];
}

/** The team's edits: kit paths whose file in the app differs from the record, and those the app lacks. */
export function teamChanges(kit: AppKit): { changed: string[]; missing: string[] } {
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [path, sha256] of Object.entries(kit.record.files)) {
    const appFile = join(kit.layout.dir, appPathOf(kit.record.paths, path));
    if (!existsSync(appFile)) missing.push(path);
    else if (sha256Of(readFileSync(appFile)) !== sha256) changed.push(path);
  }
  return { changed, missing };
}
