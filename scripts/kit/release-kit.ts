import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { readKitManifest, type KitManifest } from '../compat/kit-manifest';
import { CHANGELOG_FILE, parseChangelog, promoteUnreleased } from './changelog';
import { blobIdsOf, describeCommit, listFilesAt, readBlob, readBlobs } from './git-objects';
import { KitCliError } from './kit-cli-error';
import {
  VERSIONS_FILE,
  VERSION_SOURCE,
  compareHashes,
  hashWorkingKit,
  kitRolesOf,
  readKitVersions,
  sha256Of,
  sha256sOf,
  writeKitVersions,
  type KitVersion,
  type VersionedFile,
} from './kit-versions';

/** Options of {@link releaseKit}. */
export interface ReleaseOptions {
  repoRoot: string;
  version: string;
  /** Record the kit as it was at this commit (an older version) instead of releasing the working tree. */
  commit?: string;
  dryRun: boolean;
  /** Release day, YYYY-MM-DD (default: today). */
  today?: string;
}

/**
 * `npm run kit -- release VERSION`: moves the changelog's Unreleased entries under VERSION, writes VERSION into
 * lib/logto/version.ts and records the kit's file hashes in scripts/kit/versions.json. With `commit`, records the
 * kit as of that commit instead (a version released before versions were recorded). Returns the lines to print.
 */
export function releaseKit(options: ReleaseOptions): string[] {
  const { repoRoot, version, dryRun } = options;
  if (!semver.valid(version)) throw new KitCliError(`"${version}" is not a semver version`, 'pass one such as 1.0.1');
  const versions = readKitVersions(repoRoot);
  if (versions.versions.some((entry) => entry.version === version)) {
    throw new KitCliError(`${VERSIONS_FILE} already records kit ${version}`, 'pick the next version number');
  }
  const entry = options.commit ? recordFromCommit(repoRoot, version, options.commit) : releaseWorkingTree(options, versions.versions[0]?.version);
  if (!dryRun) writeKitVersions(repoRoot, { ...versions, versions: [...versions.versions, entry] });
  const count = Object.keys(entry.files).length;
  const verb = dryRun ? 'Would record' : 'Recorded';
  return [
    `${verb} kit ${version}: ${count} files, ${Object.keys(entry.templates).length} template(s) in ${VERSIONS_FILE}.`,
    ...(options.commit || dryRun ? [] : [`Commit ${VERSION_SOURCE}, ${CHANGELOG_FILE} and ${VERSIONS_FILE} together.`]),
  ];
}

function releaseWorkingTree(options: ReleaseOptions, newest: string | undefined): KitVersion {
  const { repoRoot, version, dryRun } = options;
  if (newest && !semver.gt(version, newest)) {
    throw new KitCliError(`kit ${version} is not newer than ${newest}, the newest in ${VERSIONS_FILE}`, `pick a version above ${newest}`);
  }
  const date = options.today ?? new Date().toISOString().slice(0, 10);
  const changelogPath = join(repoRoot, CHANGELOG_FILE);
  const changelog = promoteUnreleased(readFileSync(changelogPath, 'utf8'), version, date);
  const versionPath = join(repoRoot, VERSION_SOURCE);
  const versionSource = readFileSync(versionPath, 'utf8').replace(/KIT_VERSION = '[^']+'/, `KIT_VERSION = '${version}'`);
  if (!dryRun) {
    writeFileSync(changelogPath, changelog);
    writeFileSync(versionPath, versionSource);
  }
  const hashes = hashWorkingKit(repoRoot);
  const record = (paths: Record<string, string>): Record<string, VersionedFile> => {
    // In a dry run the two rewritten files are hashed as they would be written.
    const contents = Object.keys(paths).map((path) =>
      dryRun && path === CHANGELOG_FILE ? Buffer.from(changelog) : dryRun && path === VERSION_SOURCE ? Buffer.from(versionSource) : readFileSync(join(repoRoot, path)),
    );
    // Stored now (hash-object -w), so `update` can read this version back before it is even committed.
    const blobs = blobIdsOf(repoRoot, contents, !dryRun);
    return Object.fromEntries(Object.keys(paths).map((path, index) => [path, { sha256: sha256Of(contents[index]), blob: blobs[index] }]));
  };
  return { version, date, files: record(hashes.files), templates: record(hashes.templates) };
}

function recordFromCommit(repoRoot: string, version: string, commit: string): KitVersion {
  const { id, date } = describeCommit(repoRoot, commit);
  if (!parseChangelog(readFileSync(join(repoRoot, CHANGELOG_FILE), 'utf8')).entries.some((entry) => entry.version === version)) {
    throw new KitCliError(`${CHANGELOG_FILE} has no "## [${version}]" section`, `describe what kit ${version} was there first`);
  }
  const [kitJson] = listFilesAt(repoRoot, id, ['kit.json']);
  if (!kitJson) throw new KitCliError(`commit ${commit} has no kit.json`, 'pick a commit from after kit.json was introduced');
  const kit = JSON.parse(readBlob(repoRoot, kitJson.blob).toString('utf8')) as KitManifest;
  const roles = kitRolesOf(kit);
  const record = (paths: string[]): Record<string, VersionedFile> => {
    const entries = listFilesAt(repoRoot, id, paths);
    const contents = readBlobs(repoRoot, entries.map((entry) => entry.blob));
    return Object.fromEntries(entries.map(({ path, blob }) => [path, { sha256: sha256Of(contents.get(blob)!), blob }]));
  };
  return { version, date, commit: id, files: record([...roles.kit, ...roles.tests]), templates: record(roles.templates) };
}

/**
 * How the working tree's kit differs from the files recorded for its version, as one message saying what to
 * run, or undefined when it matches. `npm test` fails with it, so a kit change cannot ship without a version.
 */
export function describeUnreleasedChanges(repoRoot: string, workingVersion: string): string | undefined {
  const versions = readKitVersions(repoRoot);
  const recorded = versions.versions.find((entry) => entry.version === workingVersion);
  const working = hashWorkingKit(repoRoot, readKitManifest(repoRoot));
  const next = semver.inc(workingVersion, 'patch');
  const howTo =
    `Describe the change under "## [Unreleased]" in ${CHANGELOG_FILE} (under "### Security" if it fixes one), ` +
    `then run \`npm run kit -- release ${next}\` (or the next minor/major version if it adds or removes API) ` +
    `and commit ${VERSION_SOURCE}, ${CHANGELOG_FILE} and ${VERSIONS_FILE}.`;
  if (!recorded) return `${VERSION_SOURCE} says ${workingVersion}, which ${VERSIONS_FILE} does not record. ${howTo}`;
  const files = compareHashes(sha256sOf(recorded.files), working.files);
  const templates = compareHashes(sha256sOf(recorded.templates), working.templates);
  const lines = [
    ...files.changed.map((path) => `changed ${path}`),
    ...files.added.map((path) => `added ${path}`),
    ...files.removed.map((path) => `removed ${path}`),
    ...templates.changed.map((path) => `changed ${path}`),
    ...templates.added.map((path) => `added ${path}`),
    ...templates.removed.map((path) => `removed ${path}`),
  ];
  if (lines.length === 0) return undefined;
  return `The kit changed since ${workingVersion} was recorded (${lines.join(', ')}). ${howTo}`;
}
