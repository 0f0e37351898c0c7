import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs the drop-in suite (three of its files) as a team's jest.logto-kit.config.cjs would, with `logtoKit` as its
 * settings; resolves to jest's exit code and output.
 */
function runDropIn(logtoKit: Record<string, unknown>): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drop-in-harness-'));
  try {
    const config = join(dir, 'jest.logto-kit.config.cjs');
    writeFileSync(
      config,
      `const kit = require(${JSON.stringify(join(ROOT, '__tests__/logto-kit/jest.config.js'))});\n` +
        `module.exports = { ...kit, rootDir: ${JSON.stringify(ROOT)}, globals: { logtoKit: ${JSON.stringify(logtoKit)} } };\n`,
    );
    const result = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '-c', config, '--ci', '--testPathPatterns', 'logto-kit/(sign-in|refresh|sign-out)\\.test'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' }, timeout: 120_000 },
    );
    return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The drop-in suite against hosts it cannot test: one line naming the fix, and no test run, instead of every test
// failing on its own.
describe('the drop-in suite’s host checks', () => {
  it('refuses a host with an adapter but no throwaway database in its settings, in one line per test file, before any test', () => {
    const { code, output } = runDropIn({ route: join(ROOT, '__tests__/fixtures/database-host-route.ts') });

    expect(code).toBe(1);
    const lines = output.split('\n').filter((line) => line.includes('Your authOptions have an adapter: set logtoKit.database'));
    expect(lines).toHaveLength(3);
    expect(output).toMatch(/Test Suites: 3 failed, 3 total/);
    expect(output).toMatch(/Tests:\s+0 total/);
    // The message alone: no stack trace to read through.
    expect(output).not.toMatch(/\n\s+at .+host-modules\.ts:\d+:\d+/);
  });

  it('stops the run in one line before any test file when the settings name no route', () => {
    const { code, output } = runDropIn({ authOptions: 'src/server/auth.ts' });

    expect(code).toBe(1);
    expect(output.split('\n').filter((line) => line.includes('logtoKit.route in jest.logto-kit.config.cjs must be the path of your /api/auth/[...nextauth] route'))).toHaveLength(1);
    expect(output).not.toMatch(/Test Suites:/);
  });
});
