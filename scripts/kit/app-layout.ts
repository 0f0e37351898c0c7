import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KitManifest } from '../compat/kit-manifest';
import type { KitLanguage } from './app-record';
import { KitCliError } from './kit-cli-error';
import { kitRolesOf } from './kit-versions';

/** How an app is laid out, as far as placing the kit goes. */
export interface AppLayout {
  /** The app's folder, absolute. */
  dir: string;
  /** `src/` when its pages live in src/pages or src/app (create-next-app's "src directory"), else empty. */
  srcDir: '' | 'src/';
  /** `ts` when the app has a tsconfig.json, else `js`. */
  language: KitLanguage;
  /** package.json says `"type": "module"`: a `.js` file is ESM there, so CommonJS configs need `.cjs`. */
  esm: boolean;
  /** The app's package.json. */
  packageJson: PackageJson;
}

/** The parts of an app's package.json the CLI reads. */
export interface PackageJson {
  name?: string;
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  jest?: Record<string, unknown>;
}

/** Reads the layout of the app in `appDir`; throws naming the fix when it is not a Node app's folder. */
export function readAppLayout(appDir: string): AppLayout {
  const dir = resolve(appDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new KitCliError(`${dir} is not a folder`, 'pass the folder of your Next.js app, e.g. npm run kit -- status ../my-app');
  }
  const packageFile = join(dir, 'package.json');
  if (!existsSync(packageFile)) {
    throw new KitCliError(`${dir} has no package.json`, 'pass the root folder of your Next.js app (the one with package.json)');
  }
  let packageJson: PackageJson;
  try {
    packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as PackageJson;
  } catch (error) {
    throw new KitCliError(`${packageFile} is not JSON (${(error as Error).message})`, 'fix package.json first');
  }
  // Next.js ignores src/pages and src/app once a root pages/ or app/ exists: the kit goes where Next.js looks, and a
  // root pages/ is never created next to src/pages/.
  const rooted = existsSync(join(dir, 'pages')) || existsSync(join(dir, 'app'));
  const srcDir = !rooted && (existsSync(join(dir, 'src', 'pages')) || existsSync(join(dir, 'src', 'app'))) ? 'src/' : '';
  return {
    dir,
    srcDir,
    language: existsSync(join(dir, 'tsconfig.json')) ? 'ts' : 'js',
    esm: packageJson.type === 'module',
    packageJson,
  };
}

/**
 * Where kit.json's paths go in this app, kit path → app path: under src/ when the pages are there (the kit's
 * relative imports between route, kit and drop-in tests stay the same), and the drop-in jest config as `.cjs`
 * in an ESM package.
 */
export function kitPathsFor(layout: AppLayout, kit: KitManifest): Record<string, string> {
  const roles = kitRolesOf(kit);
  const paths = Object.fromEntries([...roles.kit, ...roles.tests, ...roles.templates].map((path) => [path, `${layout.srcDir}${path}`]));
  if (layout.esm) paths[kit.jestConfig] = `${layout.srcDir}${kit.jestConfig.replace(/\.js$/, '.cjs')}`;
  return paths;
}
