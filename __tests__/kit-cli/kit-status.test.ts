import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitCliError } from '../../scripts/kit/kit-cli-error';
import { kitStatus } from '../../scripts/kit/kit-status';
import { readWorkingKitVersion } from '../../scripts/kit/kit-versions';
import { createAppWithKit, createTempDir, recordAppKit, REPO_ROOT } from './helpers/temp-folders';

const CURRENT = readWorkingKitVersion(REPO_ROOT);

describe('kitStatus', () => {
  let app: { dir: string; remove: () => void };
  afterEach(() => app.remove());

  it('shows the app’s version, the newer one here, and the kit files the team changed or removed', () => {
    app = createAppWithKit('0.9.0');
    recordAppKit(REPO_ROOT, app.dir, '0.9.0');
    writeFileSync(join(app.dir, 'lib/logto/env.ts'), '// ours\n', { flag: 'a' });
    rmSync(join(app.dir, '__tests__/logto-kit/refresh.test.ts'));

    const lines = kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir });

    expect(lines.slice(0, 3)).toEqual([
      `App: ${app.dir} (TypeScript, pages in pages/)`,
      'Kit: 0.9.0 (logto-kit.json), in lib/logto/',
      expect.stringMatching(new RegExp(`^This clone: ${CURRENT.replace(/\./g, '\\.')}, newer \\(.*1\\.0\\.0\\)\\.$`)),
    ]);
    expect(lines.slice(-5)).toEqual([
      `Update: npm run kit -- update ${app.dir} (try --dry-run first)`,
      'You changed 1 kit file(s) (content differs from kit 0.9.0 as copied; update merges them):',
      '  lib/logto/env.ts',
      'You removed 1 kit file(s) (update leaves them out):',
      '  __tests__/logto-kit/refresh.test.ts',
    ]);
  });

  it('says an app at this clone’s version is up to date', () => {
    app = createAppWithKit(CURRENT);
    recordAppKit(REPO_ROOT, app.dir, CURRENT);

    expect(kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toEqual([
      `App: ${app.dir} (TypeScript, pages in pages/)`,
      `Kit: ${CURRENT} (logto-kit.json), in lib/logto/`,
      `This clone: ${CURRENT}, the same: up to date.`,
      `Your changes: none; every kit file is as kit ${CURRENT} shipped it.`,
    ]);
  });

  it('takes the version of a hand-made copy from --from, and otherwise names the version its files match', () => {
    app = createAppWithKit('0.9.0');

    expect(() => kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toThrow(/53 of its files are exactly kit 0\.9\.0's \(of 53\)\nFix: .*--from 0\.9\.0/);
    expect(kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir, from: '0.9.0' })[1]).toBe('Kit: 0.9.0 (as --from says; no logto-kit.json yet), in lib/logto/');
    expect(() => kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir, from: '0.1.0' })).toThrow(/records no kit 0\.1\.0 \(known: .*0\.9\.0\)/);
  });

  it('refuses a folder without package.json or without the kit, saying what to pass or run', () => {
    app = createTempDir('kit-app-');

    expect(() => kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toThrow(KitCliError);
    expect(() => kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toThrow(/has no package\.json\nFix: pass the root folder of your Next\.js app/);
    writeFileSync(join(app.dir, 'package.json'), '{}');
    expect(() => kitStatus({ repoRoot: REPO_ROOT, appDir: app.dir })).toThrow(/the kit is not in .*\nFix: copy it with npm run kit -- add /);
  });
});
