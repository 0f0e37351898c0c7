import { readKitManifest } from '../compat/kit-manifest';
import { kitPathsFor, readAppLayout } from './app-layout';
import { appPathOf, readAppRecord } from './app-record';
import { runDropInTests } from './run-drop-in-tests';

/** Options of {@link testApp}. */
export interface TestAppOptions {
  repoRoot: string;
  appDir: string;
  dryRun: boolean;
  print: (line: string) => void;
  /** Receives jest's output as it comes. */
  write: (text: string) => void;
}

/**
 * `npm run kit -- test APP`: runs the drop-in suite inside the app, with its jest, against its route and
 * `authOptions`, then prints jest's summary. Resolves to jest's exit code.
 */
export async function testApp(options: TestAppOptions): Promise<number> {
  const layout = readAppLayout(options.appDir);
  const kit = readKitManifest(options.repoRoot);
  const jestConfig = readAppRecord(layout.dir)?.jestConfig ?? appPathOf(kitPathsFor(layout, kit), kit.jestConfig);
  if (options.dryRun) {
    options.print(`Would run in ${layout.dir}: jest -c ${jestConfig} --ci`);
    return 0;
  }
  options.print(`Running the drop-in tests in ${layout.dir} (jest -c ${jestConfig}):`);
  const result = await runDropInTests({ appDir: layout.dir, jestConfig, write: options.write });
  options.print(`Drop-in tests: ${result.summary ?? `jest exited ${result.code} without a summary`}`);
  return result.code;
}
