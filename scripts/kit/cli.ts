// `npm run kit -- <command> [APP_DIR] [options]`: the kit as a living dependency of the apps that copied it.
// Each command lives in its own file; this one parses the arguments, runs it and prints its failure without a stack.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addKit } from './add-kit';
import type { NextEnvMode } from './app-env';
import { doctorApp } from './doctor-app';
import { KitCliError } from './kit-cli-error';
import { kitStatus } from './kit-status';
import { releaseKit } from './release-kit';
import { testApp } from './test-app';
import { updateKit } from './update-kit';

const REPO_ROOT = join(__dirname, '..', '..');

const USAGE = `Usage: npm run kit -- <command> [APP_DIR] [options]

Commands:
  add APP                copy the kit into the app: detects its layout, package manager and versions, never changes its
                         next-auth, installs only missing kit packages at kit.json's ranges, keeps its own jest off the
                         drop-in suite, appends .env.example, prints the Logto Console URIs; never overwrites a route
                         (prints the lines to merge; --merge replaces an unchanged older kit template); --no-install
  status APP             the app's kit version, the kit files the team changed, whether a newer kit is here
  update APP             bring the app's kit to this clone's version: untouched files replaced, edited files merged
                         (conflicts marked as git marks them; exit 1), the changelog printed, then the drop-in tests
                         --no-test skips the tests; --from VERSION for a copy made before logto-kit.json existed
  test APP               run the drop-in tests inside the app and print jest's summary
  doctor APP             check the app's Logto tenant with the app's env files, read as Next.js reads them
                         (--mode development, the default, or --mode production)
  release VERSION        record this clone's kit as VERSION (changelog, lib/logto/version.ts, scripts/kit/versions.json)
                         --commit REF records the kit as of an older commit instead

Every command takes --dry-run: it prints what it would do and changes nothing.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      commit: { type: 'string' },
      from: { type: 'string' },
      'no-test': { type: 'boolean', default: false },
      'no-install': { type: 'boolean', default: false },
      merge: { type: 'boolean', default: false },
      mode: { type: 'string', default: 'development' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.info(USAGE);
    return values.help ? 0 : 1;
  }
  // `npm run kit add APP --dry-run` (without `--`) hands --dry-run to npm, which sets npm_config_dry_run: honour it.
  const dryRun = values['dry-run'] || process.env.npm_config_dry_run === 'true';
  const print = (line: string) => console.info(line);
  const write = (text: string) => void process.stdout.write(text);
  const appDir = () => {
    if (!target) throw new KitCliError(`${command} needs the app's folder`, `run npm run kit -- ${command} ../your-app`);
    return target;
  };
  switch (command) {
    case 'add':
      return addKit({ repoRoot: REPO_ROOT, appDir: appDir(), dryRun, merge: values.merge, install: !values['no-install'], print });
    case 'doctor': {
      const mode = values.mode as NextEnvMode;
      if (!['development', 'production', 'test'].includes(mode)) {
        throw new KitCliError(`--mode ${mode} is not a Next.js env mode`, 'pass --mode development or --mode production');
      }
      return doctorApp({ repoRoot: REPO_ROOT, appDir: appDir(), mode, dryRun, print });
    }
    case 'status':
      for (const line of kitStatus({ repoRoot: REPO_ROOT, appDir: appDir(), from: values.from })) print(line);
      return 0;
    case 'update':
      return updateKit({ repoRoot: REPO_ROOT, appDir: appDir(), from: values.from, dryRun, runTests: !values['no-test'], print, write });
    case 'test':
      return testApp({ repoRoot: REPO_ROOT, appDir: appDir(), dryRun, print, write });
    case 'release': {
      if (!target) throw new KitCliError('release needs a version', 'run npm run kit -- release 1.0.1');
      for (const line of releaseKit({ repoRoot: REPO_ROOT, version: target, commit: values.commit, dryRun })) console.info(line);
      return 0;
    }
    default:
      throw new KitCliError(`"${command}" is not a kit command`, 'run npm run kit -- --help for the list');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof KitCliError) {
      console.error(`npm run kit: ${error.problem}\nFix: ${error.fix}`);
    } else {
      // parseArgs refuses unknown options with a one-line TypeError; anything else is a bug in the CLI.
      console.error(`npm run kit: ${error instanceof Error ? error.message : String(error)}\nFix: run npm run kit -- --help`);
    }
    process.exitCode = 1;
  },
);
