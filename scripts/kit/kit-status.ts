import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { readAppKit, teamChanges } from './app-kit';
import { appPathOf } from './app-record';
import { CHANGELOG_FILE, entriesBetween, parseChangelog } from './changelog';
import { readReleasedWorkingVersion } from './kit-files';

/** Options of {@link kitStatus}. */
export interface StatusOptions {
  repoRoot: string;
  appDir: string;
  /** The version a copy without logto-kit.json was taken from. */
  from?: string;
}

/**
 * `npm run kit -- status APP`: the kit version the app has, the kit files the team changed (by content hash
 * against the files as copied) or removed, and whether this clone has a newer version, security fixes flagged.
 * Reads only; returns the lines to print.
 */
export function kitStatus(options: StatusOptions): string[] {
  const { repoRoot, appDir } = options;
  const newest = readReleasedWorkingVersion(repoRoot);
  const app = readAppKit(repoRoot, appDir, options.from);
  const { version, paths } = app.record;
  const where = app.layout.srcDir ? 'pages in src/pages' : 'pages in pages/';
  const lines = [
    `App: ${app.layout.dir} (${app.layout.language === 'ts' ? 'TypeScript' : 'JavaScript'}, ${where})`,
    `Kit: ${version} (${app.recordSource === '--from' ? 'as --from says; no logto-kit.json yet' : 'logto-kit.json'}), in ${appPathOf(paths, 'lib/logto/')}`,
  ];
  if (semver.eq(version, newest)) {
    lines.push(`This clone: ${newest}, the same: up to date.`);
  } else if (semver.lt(version, newest)) {
    const entries = entriesBetween(parseChangelog(readFileSync(join(repoRoot, CHANGELOG_FILE), 'utf8')), version, newest);
    const fixes = entries.flatMap((entry) => entry.security.map((item) => `  ! ${entry.version}: ${item}`));
    lines.push(
      `This clone: ${newest}, newer (${entries.map((entry) => entry.version).join(', ')}).`,
      ...(fixes.length > 0 ? [`SECURITY FIXES since ${version} (${fixes.length}): take this update now.`, ...fixes] : ['No security fixes since your version.']),
      `Update: npm run kit -- update ${appDir}${options.from ? ` --from ${options.from}` : ''} (try --dry-run first)`,
    );
  } else {
    lines.push(`This clone: ${newest}, older than the app's ${version}: git pull this repository first.`);
  }
  const { changed, missing } = teamChanges(app);
  const list = (items: string[]) => items.map((path) => `  ${appPathOf(paths, path)}`);
  lines.push(
    changed.length === 0
      ? `Your changes: none; every kit file is as kit ${version} shipped it.`
      : `You changed ${changed.length} kit file(s) (content differs from kit ${version} as copied; update merges them):`,
    ...list(changed),
  );
  if (missing.length > 0) lines.push(`You removed ${missing.length} kit file(s) (update leaves them out):`, ...list(missing));
  return lines;
}
