import { rmSync } from 'node:fs';
import { readExclusions, runDirOf } from './suite-run';
import { readTestSettings } from './test-settings';

/**
 * Jest's global teardown for the drop-in suite: prints the tests left out for this host (and why), then removes
 * the run's folder with the throwaway database.
 */
export default function tearDownDropInSuite(_globalConfig: unknown, projectConfig: { globals?: Record<string, unknown> }): void {
  const settings = readTestSettings(projectConfig.globals?.logtoKit);
  const runDir = runDirOf(settings);
  if (!runDir) return;
  const leftOut = readExclusions(runDir).filter((line, index, lines) => lines.indexOf(line) === index).sort();
  if (leftOut.length > 0) {
    process.stdout.write(`\nDrop-in suite: ${leftOut.length} test(s) or block(s) left out, as they do not apply to this host:\n${leftOut.map((line) => `  - ${line}`).join('\n')}\n`);
  }
  rmSync(runDir, { recursive: true, force: true });
}
