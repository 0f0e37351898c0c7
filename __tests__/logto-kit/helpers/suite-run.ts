import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogtoKitTestSettings } from './test-settings';

/**
 * The variable that carries one run's folder (the test database's template, the list of tests left out) from the
 * global setup to the test files; named after the settings, so several jest projects in one run keep theirs apart.
 */
export function runDirVariable(settings: LogtoKitTestSettings): string {
  const key = createHash('sha256').update(JSON.stringify([settings.route, settings.authOptions, settings.database])).digest('hex');
  return `LOGTO_KIT_RUN_DIR_${key.slice(0, 12)}`;
}

/** The folder the global setup made for this run, when the suite runs through its jest config. */
export function runDirOf(settings: LogtoKitTestSettings): string | undefined {
  const dir = process.env[runDirVariable(settings)];
  return dir !== undefined && dir !== '' ? dir : undefined;
}

/** The file where test files list what they left out for this host, for the global teardown's summary. */
export function exclusionsFile(runDir: string): string {
  return join(runDir, 'left-out.txt');
}

/** Notes a test (or a describe block) left out for this host, with why, for the summary at the end of the run. */
export function recordExclusion(settings: LogtoKitTestSettings, line: string): void {
  const runDir = runDirOf(settings);
  if (runDir && existsSync(runDir)) appendFileSync(exclusionsFile(runDir), `${line.replace(/\n/g, ' ')}\n`);
}

/** What the test files left out in this run, one line each. */
export function readExclusions(runDir: string): string[] {
  const file = exclusionsFile(runDir);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
