import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAppRecord, writeAppRecord } from '../../scripts/kit/app-record';
import { versionKitFiles, workingKitFiles } from '../../scripts/kit/kit-files';
import { KitCliError } from '../../scripts/kit/kit-cli-error';
import { kitStatus } from '../../scripts/kit/kit-status';
import { findKitVersion, readKitVersions, readWorkingKitVersion, sha256Of } from '../../scripts/kit/kit-versions';
import { releaseKit } from '../../scripts/kit/release-kit';
import { updateKit, type UpdateOptions } from '../../scripts/kit/update-kit';
import {
  createAppWithKit,
  createKitRepo,
  createOutput,
  createTempDir,
  FIXTURE_CHANGELOG,
  recordAppKit,
  REPO_ROOT,
  writeFiles,
} from './helpers/temp-folders';

const CURRENT = readWorkingKitVersion(REPO_ROOT);
const current = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** Runs update with the test's defaults: this repository, no drop-in run, output collected. */
async function update(appDir: string, options: Partial<UpdateOptions> = {}) {
  const output = createOutput();
  const code = await updateKit({ repoRoot: REPO_ROOT, appDir, dryRun: false, runTests: false, ...output, ...options });
  return { code, output };
}

describe('updateKit, on an app that copied kit 0.9.0', () => {
  let app: { dir: string; remove: () => void };
  const appFile = (path: string) => join(app.dir, path);
  beforeEach(() => {
    app = createAppWithKit('0.9.0');
    recordAppKit(REPO_ROOT, app.dir, '0.9.0');
  });
  afterEach(() => app.remove());

  it('replaces the files the team left alone and adds and removes what the kit added and removed', async () => {
    const { code, output } = await update(app.dir);

    expect(code).toBe(0);
    expect(readFileSync(appFile('lib/logto/index.ts'), 'utf8')).toBe(current('lib/logto/index.ts'));
    expect(readFileSync(appFile('lib/logto/next-auth/settings.ts'), 'utf8')).toBe(current('lib/logto/next-auth/settings.ts'));
    expect(existsSync(appFile('lib/logto/next-auth/urls.ts'))).toBe(false);
    expect(output.lines).toContain('  removed   lib/logto/next-auth/urls.ts (no longer in the kit)');
    expect(readAppRecord(app.dir)?.version).toBe(CURRENT);
    expect(kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toContain('Your changes: none; every kit file is as kit ' + CURRENT + ' shipped it.');
  });

  it('says when the app’s drop-in jest config predates the suite’s one setting, and where to read about it', async () => {
    writeFileSync(appFile('jest.logto-kit.config.cjs'), "const kit = require('./__tests__/logto-kit/jest.config.js');\nmodule.exports = { ...kit, rootDir: __dirname };\n");
    const record = JSON.parse(readFileSync(appFile('logto-kit.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(appFile('logto-kit.json'), JSON.stringify({ ...record, jestConfig: 'jest.logto-kit.config.cjs' }));

    const { code, output } = await update(app.dir);

    expect(code).toBe(0);
    expect(output.text()).toContain('jest.logto-kit.config.cjs has no globals.logtoKit: the drop-in tests load the route beside them and its authOptions.');
    expect(output.text()).toContain('docs/testing.md, "The drop-in suite\'s one setting"');
  });

  it('keeps the team’s edit to a file the kit changed too, and brings the kit’s changes into it', async () => {
    const edit = '\n// Ours: a line the team added to the kit.\n';
    writeFileSync(appFile('lib/logto/kit.ts'), readFileSync(appFile('lib/logto/kit.ts'), 'utf8') + edit);

    const { code, output } = await update(app.dir);

    expect(code).toBe(0);
    expect(readFileSync(appFile('lib/logto/kit.ts'), 'utf8')).toBe(current('lib/logto/kit.ts') + edit);
    expect(output.lines).toContain('  merged    lib/logto/kit.ts (your edits kept)');
    expect(kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toEqual(expect.arrayContaining(['  lib/logto/kit.ts']));
  });

  it('marks an edit that clashes with the kit’s as git does, and exits 1', async () => {
    const kit = readFileSync(appFile('lib/logto/kit.ts'), 'utf8');
    const line = 'const DEFAULT_SESSION_MAX_AGE = 30 * 24 * 60 * 60;';
    expect(kit).toContain(line);
    writeFileSync(appFile('lib/logto/kit.ts'), kit.replace(line, 'const DEFAULT_SESSION_MAX_AGE = 7 * 24 * 60 * 60;'));

    const { code, output } = await update(app.dir, { runTests: true });

    expect(code).toBe(1);
    const merged = readFileSync(appFile('lib/logto/kit.ts'), 'utf8');
    expect(merged).toMatch(/^<<<<<<< yours: lib\/logto\/kit\.ts\n[\s\S]*7 \* 24 \* 60 \* 60;[\s\S]*\n=======\n[\s\S]*?>>>>>>> kit \d+\.\d+\.\d+$/m);
    expect(output.lines).toContain(`  CONFLICT  lib/logto/kit.ts: 1 conflict(s) marked <<<<<<< yours … >>>>>>> kit ${CURRENT}`);
    // With a conflict left, the drop-in suite does not run: it could not even compile.
    expect(output.text()).not.toContain('Running the drop-in tests');
  });

  it('prints the changelog entries since the app’s version', async () => {
    const { output } = await update(app.dir);

    expect(output.text()).toContain('What changed (lib/logto/CHANGELOG.md):\n');
    expect(output.text()).toMatch(/^## 1\.0\.0 \(2026-12-05\)$/m);
    expect(output.text()).not.toMatch(/^## 0\.9\.0/m);
  });

  it('writes nothing in a dry run', async () => {
    const before = readFileSync(appFile('logto-kit.json'), 'utf8');

    const { code, output } = await update(app.dir, { dryRun: true, runTests: true });

    expect(code).toBe(0);
    expect(output.lines[0]).toBe(`Would update the kit in ${app.dir} from 0.9.0 to ${CURRENT}:`);
    expect(readFileSync(appFile('logto-kit.json'), 'utf8')).toBe(before);
    expect(existsSync(appFile('lib/logto/next-auth/urls.ts'))).toBe(true);
    expect(existsSync(appFile('lib/logto/next-auth/settings.ts'))).toBe(false);
  });

  it('asks for --from when the app has no logto-kit.json, naming the version its files match', async () => {
    const bare = createAppWithKit('0.9.0');
    try {
      await expect(update(bare.dir)).rejects.toThrow(KitCliError);
      await expect(update(bare.dir)).rejects.toThrow(/files are exactly kit 0\.9\.0's[\s\S]*--from 0\.9\.0/);

      const { code } = await update(bare.dir, { from: '0.9.0' });

      expect(code).toBe(0);
      expect(readAppRecord(bare.dir)?.version).toBe(CURRENT);
    } finally {
      bare.remove();
    }
  });
});

describe('updateKit, on a JavaScript app that copied kit 0.9.0’s JavaScript build', () => {
  let app: { dir: string; remove: () => void };
  afterEach(() => app.remove());

  it('merges the team’s edit into the newer JavaScript build', async () => {
    app = createTempDir('kit-js-app-');
    const old = versionKitFiles(REPO_ROOT, findKitVersion(readKitVersions(REPO_ROOT), '0.9.0'), 'js');
    writeFiles(app.dir, { 'package.json': '{}', ...Object.fromEntries(old) });
    writeAppRecord(app.dir, {
      version: '0.9.0',
      language: 'js',
      paths: { 'lib/logto/': 'lib/logto/', '__tests__/logto-kit/': '__tests__/logto-kit/' },
      files: Object.fromEntries([...old].map(([path, content]) => [path, sha256Of(content)])),
      jestConfig: '__tests__/logto-kit/jest.config.js',
    });
    const edit = '\n// Ours: a line the team added to the kit.\n';
    writeFileSync(join(app.dir, 'lib/logto/kit.js'), old.get('lib/logto/kit.js') + edit);

    const { code, output } = await update(app.dir);

    expect(code).toBe(0);
    const current = workingKitFiles(REPO_ROOT, 'js');
    expect(readFileSync(join(app.dir, 'lib/logto/kit.js'), 'utf8')).toBe(current.get('lib/logto/kit.js') + edit);
    expect(readFileSync(join(app.dir, 'lib/logto/next-auth/settings.js'))).toEqual(current.get('lib/logto/next-auth/settings.js'));
    expect(existsSync(join(app.dir, 'lib/logto/next-auth/urls.js'))).toBe(false);
    expect(output.lines).toContain('  merged    lib/logto/kit.js (your edits kept)');
  });
});

describe('updateKit, from a kit repository whose newer version fixes a security issue', () => {
  let repo: { dir: string; remove: () => void };
  let app: { dir: string; remove: () => void };
  const suite = {
    '__tests__/logto-kit/jest.config.js': "module.exports = { rootDir: '../..', roots: ['<rootDir>/__tests__/logto-kit'], testMatch: ['**/*.test.js'], transform: {} };\n",
    '__tests__/logto-kit/kit.test.js': "const { kit } = require('../../lib/logto/kit.js');\ntest('the kit is a number', () => expect(typeof kit).toBe('number'));\n",
  };
  const kitJs = "exports.kit = 1;\n// one\n// two\n// three\nexports.end = true;\n";
  beforeEach(() => {
    repo = createKitRepo();
    writeFiles(repo.dir, {
      ...suite,
      'lib/logto/kit.js': kitJs,
      'lib/logto/CHANGELOG.md': FIXTURE_CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Added\n- kit.js.\n'),
    });
    releaseKit({ repoRoot: repo.dir, version: '1.1.0', dryRun: false });
    // The app copied kit 1.1.0; its jest is this repository's, as if installed there.
    app = createTempDir('kit-app-');
    cpSync(join(repo.dir, 'lib'), join(app.dir, 'lib'), { recursive: true });
    cpSync(join(repo.dir, '__tests__'), join(app.dir, '__tests__'), { recursive: true });
    writeFiles(app.dir, { 'package.json': '{}', 'tsconfig.json': '{}' });
    recordAppKit(repo.dir, app.dir, '1.1.0');
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(app.dir, 'node_modules'));
    writeFiles(repo.dir, {
      'lib/logto/kit.js': `${kitJs}exports.safe = true;\n`,
      'lib/logto/CHANGELOG.md': readFileSync(join(repo.dir, 'lib/logto/CHANGELOG.md'), 'utf8').replace(
        '## [Unreleased]\n',
        '## [Unreleased]\n\n### Security\n- Refuse forged logout tokens.\n',
      ),
    });
    releaseKit({ repoRoot: repo.dir, version: '1.1.1', dryRun: false });
  });
  afterEach(() => {
    app.remove();
    repo.remove();
  });

  it('flags the security fixes of the versions it brings, then runs the drop-in suite and prints its summary', async () => {
    const output = createOutput();

    const code = await updateKit({ repoRoot: repo.dir, appDir: app.dir, dryRun: false, runTests: true, ...output });

    expect(code).toBe(0);
    expect(output.text()).toContain('SECURITY FIXES (1): take this update now.\n  ! 1.1.1: Refuse forged logout tokens.');
    expect(output.lines).toContain('Drop-in tests: 1 passed, 1 total');
    expect(readFileSync(join(app.dir, 'lib/logto/kit.js'), 'utf8')).toContain('exports.safe = true;');
  });

  it('exits 1 when the drop-in suite fails after the update', async () => {
    writeFileSync(join(app.dir, 'lib/logto/kit.js'), kitJs.replace('exports.kit = 1;', "exports.kit = 'edited';"));
    const output = createOutput();

    const code = await updateKit({ repoRoot: repo.dir, appDir: app.dir, dryRun: false, runTests: true, ...output });

    expect(code).toBe(1);
    expect(output.lines).toContain('  merged    lib/logto/kit.js (your edits kept)');
    expect(output.lines).toContain('Drop-in tests: 1 failed, 1 total');
    expect(output.jestOutput()).toContain('the kit is a number');
  });
});
