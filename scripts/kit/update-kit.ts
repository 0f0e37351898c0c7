import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { readKitManifest } from '../compat/kit-manifest';
import { readAppKit } from './app-kit';
import { kitPathsFor } from './app-layout';
import { appPathOf, writeAppRecord } from './app-record';
import { CHANGELOG_FILE, entriesBetween, formatEntries, parseChangelog } from './changelog';
import { KitCliError } from './kit-cli-error';
import { readReleasedWorkingVersion, versionKitFiles, workingKitFiles } from './kit-files';
import { findKitVersion, readKitVersions, sha256Of } from './kit-versions';
import { runDropInTests } from './run-drop-in-tests';
import { mergeThreeWay } from './three-way-merge';

/** Options of {@link updateKit}. */
export interface UpdateOptions {
  repoRoot: string;
  appDir: string;
  /** The version a copy without logto-kit.json was taken from. */
  from?: string;
  dryRun: boolean;
  /** Run the drop-in suite after a clean update (default true; never in a dry run). */
  runTests: boolean;
  /** Prints one line. */
  print: (line: string) => void;
  /** Receives jest's output while the drop-in suite runs. */
  write: (text: string) => void;
}

/** What update does to one kit file. */
type FileAction =
  | { kind: 'update'; content: Buffer }
  | { kind: 'add'; content: Buffer }
  | { kind: 'merge'; content: Buffer; conflicts: number }
  | { kind: 'remove' }
  | { kind: 'keep-removed' }
  | { kind: 'skip-missing' }
  | { kind: 'same' };

/**
 * `npm run kit -- update APP`: untouched files replaced, edited ones merged three ways (base read from git history,
 * conflicts marked as git marks them), the changelog printed with security fixes flagged, then the drop-in suite.
 * Resolves to the exit code: 1 on a conflict or a failing suite.
 */
export async function updateKit(options: UpdateOptions): Promise<number> {
  const { repoRoot, appDir, dryRun, print } = options;
  const newest = readReleasedWorkingVersion(repoRoot);
  const app = readAppKit(repoRoot, appDir, options.from);
  const { record, layout } = app;
  if (semver.gt(record.version, newest)) {
    throw new KitCliError(`the app has kit ${record.version}, newer than this clone's ${newest}`, 'git pull this repository, then run update again');
  }
  const appFile = (path: string) => join(layout.dir, appPathOf(record.paths, path));
  if (semver.eq(record.version, newest) && app.recordSource === 'logto-kit.json') {
    print(`The app already has kit ${newest}: nothing to update.`);
    return 0;
  }

  const base = versionKitFiles(repoRoot, findKitVersion(readKitVersions(repoRoot), record.version), record.language);
  const theirs = workingKitFiles(repoRoot, record.language);
  const actions = new Map<string, FileAction>();
  for (const path of [...new Set([...base.keys(), ...theirs.keys()])].sort()) {
    const file = appFile(path);
    const ours = existsSync(file) ? readFileSync(file) : undefined;
    const edited = ours !== undefined && sha256Of(ours) !== record.files[path];
    actions.set(path, planFile({ path, file, ours, edited, base: base.get(path), theirs: theirs.get(path), from: record.version, to: newest }));
  }

  const verb = dryRun ? 'Would update' : 'Updating';
  print(`${verb} the kit in ${layout.dir} from ${record.version} to ${newest}:`);
  const conflicted: string[] = [];
  let untouched = 0;
  for (const [path, action] of actions) {
    const shown = appPathOf(record.paths, path);
    if (action.kind === 'same') untouched += 1;
    else if (action.kind === 'update') print(`  updated   ${shown}`);
    else if (action.kind === 'add') print(`  added     ${shown}`);
    else if (action.kind === 'remove') print(`  removed   ${shown} (no longer in the kit)`);
    else if (action.kind === 'keep-removed') print(`  kept      ${shown}: kit ${newest} no longer has it, but you changed it; delete it once nothing imports it`);
    else if (action.kind === 'skip-missing') print(`  skipped   ${shown}: you removed it; kit ${newest} changed it`);
    else if (action.conflicts === 0) print(`  merged    ${shown} (your edits kept)`);
    else {
      conflicted.push(shown);
      print(`  CONFLICT  ${shown}: ${action.conflicts} conflict(s) marked <<<<<<< yours … >>>>>>> kit ${newest}`);
    }
  }
  print(`  ${untouched} file(s) unchanged between ${record.version} and ${newest}.`);

  if (!dryRun) {
    for (const [path, action] of actions) {
      const file = appFile(path);
      if (action.kind === 'update' || action.kind === 'add' || action.kind === 'merge') {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, action.content);
      } else if (action.kind === 'remove') {
        rmSync(file);
      }
    }
    const paths = { ...kitPathsFor(layout, readKitManifest(repoRoot)), ...record.paths };
    const files = Object.fromEntries([...theirs].map(([path, content]) => [path, sha256Of(content)]));
    writeAppRecord(layout.dir, { version: newest, language: record.language, paths, files, jestConfig: record.jestConfig, ...(record.roles && { roles: record.roles }) });
  }

  const entries = entriesBetween(parseChangelog(readFileSync(join(repoRoot, CHANGELOG_FILE), 'utf8')), record.version, newest);
  if (entries.length > 0) print(`\nWhat changed (lib/logto/CHANGELOG.md):\n${formatEntries(entries)}`);

  if (conflicted.length > 0) {
    print(
      `\n${conflicted.length} file(s) need your hand: resolve the conflict markers in ${conflicted.join(', ')}` +
        (dryRun ? '.' : `, then run npm run kit -- test ${appDir}.`),
    );
    return 1;
  }
  if (dryRun) {
    print('\nDry run: nothing was written.');
    return 0;
  }
  print(`\nUpdated to kit ${newest}; ${app.recordSource === '--from' ? 'wrote' : 'updated'} logto-kit.json.`);
  const dropInConfig = join(layout.dir, record.jestConfig);
  if (existsSync(dropInConfig) && !readFileSync(dropInConfig, 'utf8').includes('logtoKit')) {
    // Configs written before kit 2.1.0 have no settings: the suite's default is the route beside it, exporting authOptions.
    print(
      `${record.jestConfig} has no globals.logtoKit: the drop-in tests load the route beside them and its authOptions. If yours live in ` +
        'another module (src/server/auth.ts), or you have an adapter, add the setting (docs/testing.md, "The drop-in suite\'s one setting").',
    );
  }
  if (!options.runTests) return 0;
  print(`Running the drop-in tests (jest -c ${record.jestConfig}):`);
  const result = await runDropInTests({ appDir: layout.dir, jestConfig: record.jestConfig, write: options.write });
  print(`Drop-in tests: ${result.summary ?? `jest exited ${result.code} without a summary`}`);
  return result.code === 0 ? 0 : 1;
}

/** What to do with one kit file, given the app's copy (`ours`), its version's (`base`) and this clone's (`theirs`). */
function planFile(file: {
  path: string;
  file: string;
  ours?: Buffer;
  edited: boolean;
  base?: Buffer;
  theirs?: Buffer;
  from: string;
  to: string;
}): FileAction {
  const { ours, base, theirs, edited } = file;
  if (theirs === undefined) {
    if (ours === undefined) return { kind: 'same' };
    return edited ? { kind: 'keep-removed' } : { kind: 'remove' };
  }
  if (ours === undefined) return base === undefined ? { kind: 'add', content: theirs } : base.equals(theirs) ? { kind: 'same' } : { kind: 'skip-missing' };
  if (ours.equals(theirs)) return { kind: 'same' };
  if (base !== undefined && base.equals(theirs)) return { kind: 'same' };
  if (!edited && base !== undefined) return { kind: 'update', content: theirs };
  // The team's edit meets the kit's: git's own three-way merge, with an empty base for a file the kit just added.
  const merged = mergeThreeWay(
    { content: ours, label: `yours: ${file.path}` },
    { content: base ?? Buffer.alloc(0), label: `kit ${file.from}` },
    { content: theirs, label: `kit ${file.to}` },
  );
  return { kind: 'merge', content: merged.content, conflicts: merged.conflicts };
}
