import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBlob } from '../../scripts/kit/git-objects';
import { KitCliError } from '../../scripts/kit/kit-cli-error';
import { readKitVersions, readWorkingKitVersion, sha256Of } from '../../scripts/kit/kit-versions';
import { describeUnreleasedChanges, releaseKit } from '../../scripts/kit/release-kit';
import { createKitRepo, FIXTURE_CHANGELOG as CHANGELOG } from './helpers/temp-folders';

describe('releaseKit', () => {
  let repo: string;
  let remove: () => void;
  beforeEach(() => {
    ({ dir: repo, remove } = createKitRepo());
  });
  afterEach(() => remove());

  it('records the kit as of a commit, with blob ids git can read back', () => {
    const [entry] = readKitVersions(repo).versions;
    expect(entry.version).toBe('1.0.0');
    expect(Object.keys(entry.files).sort()).toEqual([
      '__tests__/logto-kit/jest.config.js',
      'lib/logto/CHANGELOG.md',
      'lib/logto/kit.ts',
      'lib/logto/version.ts',
    ]);
    expect(Object.keys(entry.templates)).toEqual(['pages/api/auth/[...nextauth].ts']);
    expect(readBlob(repo, entry.files['lib/logto/kit.ts'].blob).toString()).toBe('export const kit = 1;\n');
    expect(describeUnreleasedChanges(repo, '1.0.0')).toBeUndefined();
  });

  it('reports a kit change that has no version yet, naming the file and the command to run', () => {
    writeFileSync(join(repo, 'lib/logto/kit.ts'), 'export const kit = 2;\n');
    writeFileSync(join(repo, '__tests__/logto-kit/new.test.ts'), '');

    const message = describeUnreleasedChanges(repo, '1.0.0');

    expect(message).toContain('changed lib/logto/kit.ts');
    expect(message).toContain('added __tests__/logto-kit/new.test.ts');
    expect(message).toContain('npm run kit -- release 1.0.1');
  });

  it('refuses to release while the changelog has nothing under Unreleased', () => {
    writeFileSync(join(repo, 'lib/logto/kit.ts'), 'export const kit = 2;\n');

    const release = () => releaseKit({ repoRoot: repo, version: '1.0.1', dryRun: false });

    expect(release).toThrow(KitCliError);
    expect(release).toThrow(/nothing under "## \[Unreleased\]"/);
    expect(readKitVersions(repo).versions).toHaveLength(1);
  });

  it('releases the next version: changelog section, version.ts and hashes, readable before any commit', () => {
    writeFileSync(join(repo, 'lib/logto/kit.ts'), 'export const kit = 2;\n');
    writeFileSync(join(repo, 'lib/logto/CHANGELOG.md'), CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Security\n- Fixed.\n'));

    releaseKit({ repoRoot: repo, version: '1.0.1', dryRun: false, today: '2026-02-02' });

    expect(readWorkingKitVersion(repo)).toBe('1.0.1');
    expect(readFileSync(join(repo, 'lib/logto/CHANGELOG.md'), 'utf8')).toContain('## [Unreleased]\n\n## [1.0.1] - 2026-02-02\n\n### Security\n- Fixed.\n\n## [1.0.0]');
    const [newest] = readKitVersions(repo).versions;
    expect(newest.version).toBe('1.0.1');
    expect(newest.files['lib/logto/kit.ts'].sha256).toBe(sha256Of('export const kit = 2;\n'));
    expect(readBlob(repo, newest.files['lib/logto/version.ts'].blob).toString()).toContain("'1.0.1'");
    expect(describeUnreleasedChanges(repo, '1.0.1')).toBeUndefined();
  });

  it('changes nothing in a dry run', () => {
    writeFileSync(join(repo, 'lib/logto/CHANGELOG.md'), CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n- A bug.\n'));
    const before = readFileSync(join(repo, 'scripts/kit/versions.json'), 'utf8');

    const lines = releaseKit({ repoRoot: repo, version: '1.1.0', dryRun: true });

    expect(lines[0]).toMatch(/^Would record kit 1.1.0/);
    expect(readFileSync(join(repo, 'scripts/kit/versions.json'), 'utf8')).toBe(before);
    expect(readWorkingKitVersion(repo)).toBe('1.0.0');
  });

  it('refuses a version that is not newer than the newest recorded', () => {
    expect(() => releaseKit({ repoRoot: repo, version: '0.9.9', dryRun: false })).toThrow(/not newer than 1.0.0/);
  });
});
