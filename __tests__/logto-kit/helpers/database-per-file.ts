import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDirOf } from './suite-run';
import { DropInSetupError, readTestSettings } from './test-settings';

// Jest's setupFilesAfterEnv for the drop-in suite, before each test file: with `logtoKit.database`, your app's database
// variable points at this file's own copy of the throwaway database the global setup made (global-setup.ts), so
// test files running in parallel never share an Account row. Your modules load after this, and read it.

const settings = readTestSettings();
const { database } = settings;
if (database) {
  const runDir = runDirOf(settings);
  if (!runDir) {
    throw new DropInSetupError(
      'logtoKit.database is set but no throwaway database was made: run the suite through its jest config, whose globalSetup makes it (__tests__/logto-kit/jest.config.js)',
    );
  }
  if (database.url.includes('{dir}')) {
    const dir = mkdtempSync(join(runDir, 'file-'));
    cpSync(join(runDir, 'database'), dir, { recursive: true });
    process.env[database.env] = database.url.split('{dir}').join(dir);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
  } else {
    process.env[database.env] = database.url;
  }
}
