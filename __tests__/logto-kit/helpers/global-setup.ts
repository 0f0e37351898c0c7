import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runDirVariable } from './suite-run';
import { DropInSetupError, readTestSettings, SETTINGS_PLACE, type TestDatabaseSettings } from './test-settings';

/** What jest hands a global setup: the run's config, and this project's (with its `globals`). */
interface JestConfigs {
  maxWorkers?: number;
}

/**
 * Jest's global setup for the drop-in suite: checks `globals.logtoKit` once, makes the run's folder and, with
 * `logtoKit.database`, the throwaway database (its setup command run once); the test files copy it
 * (database-per-file.ts). A setting that cannot work fails the run here, in one line.
 */
export default function setUpDropInSuite(globalConfig: JestConfigs, projectConfig: { globals?: Record<string, unknown> }): void {
  const settings = readTestSettings(projectConfig.globals?.logtoKit);
  const runDir = mkdtempSync(join(tmpdir(), 'logto-kit-drop-in-'));
  process.env[runDirVariable(settings)] = runDir;
  if (!settings.database) return;
  try {
    prepareDatabase(settings.database, runDir, globalConfig.maxWorkers ?? 1);
  } catch (error) {
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs the setup command once, against the URL with `{dir}` in the run's `database/` folder. */
function prepareDatabase(database: TestDatabaseSettings, runDir: string, maxWorkers: number): void {
  const perFile = database.url.includes('{dir}');
  if (!perFile && maxWorkers > 1) {
    throw new DropInSetupError(
      `logtoKit.database.url has no {dir}, so every test file would share one database: set maxWorkers: 1 in ${SETTINGS_PLACE}, or use a URL with {dir}`,
    );
  }
  const template = join(runDir, 'database');
  mkdirSync(template);
  if (!database.setup) return;
  const cwd = database.cwd ?? process.cwd();
  const url = database.url.split('{dir}').join(template);
  const result = spawnSync(database.setup, {
    shell: true,
    cwd,
    encoding: 'utf8',
    env: { ...process.env, [database.env]: url, PATH: [join(cwd, 'node_modules', '.bin'), process.env.PATH].join(delimiter) },
    timeout: 5 * 60 * 1000,
  });
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
    throw new DropInSetupError(
      `The test database's setup command \`${database.setup}\` failed (${result.error?.message ?? `exit ${result.status}`}) in ${cwd} with ${database.env}=${url}: ${output} (logtoKit.database.setup in ${SETTINGS_PLACE})`,
    );
  }
}
