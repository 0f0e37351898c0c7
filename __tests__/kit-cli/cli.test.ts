import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { testApp } from '../../scripts/kit/test-app';
import { createNextApp, createOutput, REPO_ROOT } from './helpers/temp-folders';

/** Runs `npm run kit -- <args>` as a team would (tsx scripts/kit/cli.ts), without npm's own banner. */
function kit(...args: string[]) {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  return spawnSync(tsx, [join(REPO_ROOT, 'scripts/kit/cli.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('npm run kit', () => {
  it('explains a missing app folder with its cause and fix, exit 1, no stack trace', () => {
    const result = kit('status', '/nonexistent/app');

    expect(result.status).toBe(1);
    expect(result.stderr).toBe('npm run kit: /nonexistent/app is not a folder\nFix: pass the folder of your Next.js app, e.g. npm run kit -- status ../my-app\n');
  });

  it('explains an unknown command and an unknown option the same way', () => {
    expect(kit('upgrade', '.')).toMatchObject({ status: 1, stderr: 'npm run kit: "upgrade" is not a kit command\nFix: run npm run kit -- --help for the list\n' });
    const option = kit('status', '.', '--force');
    expect(option.status).toBe(1);
    expect(option.stderr).toMatch(/^npm run kit: Unknown option '--force'.*\nFix: run npm run kit -- --help\n$/);
  });
});

describe('testApp', () => {
  let app: { dir: string; remove: () => void };
  beforeEach(() => {
    app = createNextApp({ files: { '__tests__/logto-kit/jest.config.js': 'module.exports = {};\n' } });
  });
  afterEach(() => app.remove());

  it('names the jest command it would run in a dry run', async () => {
    const output = createOutput();

    expect(await testApp({ repoRoot: REPO_ROOT, appDir: app.dir, dryRun: true, ...output })).toBe(0);
    expect(output.lines).toEqual([`Would run in ${app.dir}: jest -c __tests__/logto-kit/jest.config.js --ci`]);
  });

  it('says how to install jest when the app has none', async () => {
    await expect(testApp({ repoRoot: REPO_ROOT, appDir: app.dir, dryRun: false, ...createOutput() })).rejects.toThrow(
      /jest is not installed in .*\nFix: install the app's packages/,
    );
  });
});
