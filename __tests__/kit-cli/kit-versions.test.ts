import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { KIT_VERSION } from '../../lib/logto/version';
import { CHANGELOG_FILE, parseChangelog } from '../../scripts/kit/changelog';
import { missingBlobs, readBlob } from '../../scripts/kit/git-objects';
import { readKitVersions, readWorkingKitVersion, sha256Of } from '../../scripts/kit/kit-versions';
import { describeUnreleasedChanges } from '../../scripts/kit/release-kit';

const root = join(__dirname, '..', '..');

describe('scripts/kit/versions.json', () => {
  const versions = readKitVersions(root);

  it('records the working kit, drop-in tests and route exactly as lib/logto/version.ts’s version', () => {
    // On failure the message says what changed and which release command to run.
    expect(describeUnreleasedChanges(root, KIT_VERSION)).toBeUndefined();
  });

  it('has lib/logto/version.ts’s version as its newest, read the way the CLI reads it', () => {
    expect(readWorkingKitVersion(root)).toBe(KIT_VERSION);
    expect(versions.versions[0].version).toBe(KIT_VERSION);
  });

  it('has a changelog section for every recorded version, and a recorded version for every section', () => {
    const sections = parseChangelog(readFileSync(join(root, CHANGELOG_FILE), 'utf8')).entries.map((entry) => entry.version);
    expect(sections).toEqual(versions.versions.map((entry) => entry.version));
  });

  it('can read every file of every version back from this clone’s git history, with the recorded hash', () => {
    const recorded = versions.versions.flatMap((entry) =>
      Object.entries({ ...entry.files, ...entry.templates }).map(([path, file]) => ({ version: entry.version, path, ...file })),
    );
    const missing = new Set(missingBlobs(root, recorded.map((file) => file.blob)));
    expect(recorded.filter((file) => missing.has(file.blob)).map((file) => `${file.version} ${file.path}`)).toEqual([]);
    const oldest = recorded[recorded.length - 1];
    expect(sha256Of(readBlob(root, oldest.blob))).toBe(oldest.sha256);
  });
});
