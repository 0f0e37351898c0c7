// `npm run test:kit-alone`: the kit folder type-checks on its own. lib/logto/ alone (no route, no other file of
// this repo) is copied into an empty Next 13.5 app with next-auth 4.22.5 and kit.json's dependencies, under the
// tsconfig create-next-app 13 generates (ES5 target, strict), and `tsc --noEmit` must pass there.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CellLog } from './cell-log';
import { runCommand } from './commands';
import { pickFailureReason } from './failure-reason';
import { readKitManifest } from './kit-manifest';
import { tsconfigOf } from './scaffold-app';

const ROOT = resolve(__dirname, '..', '..');
const MINUTE = 60_000;
/** The host: an empty create-next-app 13.5 TypeScript app on the oldest next-auth the kit supports. */
const HOST_PACKAGES = {
  next: '13.5.11',
  react: '18.3.1',
  'react-dom': '18.3.1',
  'next-auth': '4.22.5',
  typescript: '5.4.5',
  '@types/node': '20.19.43',
  '@types/react': '18.3.32',
  '@types/react-dom': '18.3.7',
};

async function main(): Promise<number> {
  const kit = readKitManifest(ROOT);
  const kitFolder = kit.files.find((path) => path.endsWith('/'));
  if (!kitFolder) throw new Error('kit.json lists no kit folder (a path ending in /) among its files');
  const dir = mkdtempSync(join(tmpdir(), 'logto-kit-alone-'));
  const log = new CellLog(join(ROOT, 'test-results', 'compat', 'kit-alone.log'));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'kit-alone', private: true, dependencies: { ...HOST_PACKAGES, ...kit.dependencies } }, null, 2),
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfigOf('next13'), null, 2));
    cpSync(join(ROOT, kitFolder), join(dir, kitFolder), { recursive: true });
    console.info(`[kit-alone] ${kitFolder} into Next ${HOST_PACKAGES.next} + next-auth ${HOST_PACKAGES['next-auth']} in ${dir}`);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
    const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: dir, env, log, timeoutMs: 10 * MINUTE,
    });
    if (install.code !== 0) throw new Error(`npm install failed: ${pickFailureReason(install.output)}`);
    const tsc = await runCommand(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir], {
      cwd: dir, env, log, timeoutMs: 5 * MINUTE,
    });
    if (tsc.code !== 0) {
      console.error(`[kit-alone] tsc failed (log: ${log.file}):\n${tsc.output.trim().split('\n').slice(0, 30).join('\n')}`);
      console.info('kit-alone: 0 passed, 1 failed');
      return 1;
    }
    console.info('[kit-alone] tsc --noEmit passed with no other file from this repo');
    console.info('kit-alone: 1 passed, 0 failed');
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[kit-alone] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
