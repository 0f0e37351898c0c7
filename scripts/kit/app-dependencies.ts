import semver from 'semver';
import type { KitManifest } from '../compat/kit-manifest';
import { installedVersion, type AppDetection, type PackageManager } from './detect-app';
import { KitCliError } from './kit-cli-error';

/** What `add` installs: only what the app's package.json lacks, at kit.json's ranges; never next-auth. */
export interface DependencyPlan {
  /** `name@range` specs for dependencies and devDependencies. */
  install: string[];
  installDev: string[];
  /** One line per kit package the app already has, with its installed version. */
  present: string[];
}

/**
 * Checks the app's next-auth (installed, >= 4.22, < 5: `add` never changes it) and plans the installs: every package
 * of kit.json's `dependencies` and `testDependencies` that package.json does not declare, plus @types/node for a
 * TypeScript app (the drop-in config compiles with Node's types). A declared package installed outside kit.json's
 * range is refused, naming the command that would fix it: `add` changes no version the team chose.
 */
export function planDependencies(detection: AppDetection, kit: KitManifest): DependencyPlan {
  const { layout } = detection;
  const nextAuthRange = kit.dependencies['next-auth'];
  const nextAuth = detection.installed['next-auth'];
  const declared = { ...layout.packageJson.devDependencies, ...layout.packageJson.dependencies };
  if (!nextAuth) {
    throw new KitCliError(
      declared['next-auth']
        ? `next-auth is in ${layout.dir}/package.json (${declared['next-auth']}) but not installed in node_modules`
        : `${layout.dir} has no next-auth: the kit is for apps on next-auth v4`,
      declared['next-auth'] ? `install the app's packages first (${installCommand(detection.packageManager, [], false).join(' ')})` : 'add next-auth 4.22 or later to the app first',
    );
  }
  if (!semver.satisfies(nextAuth, nextAuthRange)) {
    throw new KitCliError(
      `the app has next-auth ${nextAuth}; the kit needs ${nextAuthRange}, and add never changes the app's next-auth`,
      semver.gte(nextAuth, '5.0.0-0')
        ? 'the kit is for next-auth v4 (Auth.js v5 has its own Logto provider)'
        : `upgrade next-auth yourself to 4.22 or later (e.g. ${installCommand(detection.packageManager, ['next-auth@~4.24.0'], false).join(' ')}), run your tests, then run add again`,
    );
  }
  const plan: DependencyPlan = { install: [], installDev: [], present: [`next-auth ${nextAuth} (kept as it is)`] };
  const wanted: [string, string, boolean][] = [
    ...Object.entries(kit.dependencies).filter(([name]) => name !== 'next-auth').map(([name, range]): [string, string, boolean] => [name, range, false]),
    // A JavaScript app runs the suite's JavaScript build through Next.js's Babel preset: no ts-jest, no types.
    ...Object.entries(kit.testDependencies)
      .filter(([name]) => layout.language === 'ts' || !(name === 'ts-jest' || name.startsWith('@types/')))
      .map(([name, range]): [string, string, boolean] => [name, range, true]),
    ...(layout.language === 'ts' ? [['@types/node', `^${process.versions.node.split('.')[0]}`, true] as [string, string, boolean]] : []),
  ];
  const refused: string[] = [];
  for (const [name, range, dev] of wanted) {
    if (!declared[name]) {
      (dev ? plan.installDev : plan.install).push(`${name}@${range}`);
      continue;
    }
    const installed = installedVersion(layout.dir, name);
    if (name === '@types/node' || (installed && semver.satisfies(installed, range))) {
      plan.present.push(`${name} ${installed ?? declared[name]}`);
    } else if (!installed) {
      refused.push(`${name} is in package.json (${declared[name]}) but not installed: run ${installCommand(detection.packageManager, [], false).join(' ')} first`);
    } else {
      refused.push(`${name} ${installed} is outside kit.json's ${range}: ${installCommand(detection.packageManager, [`${name}@${range}`], dev).join(' ')} if your app allows it`);
    }
  }
  if (refused.length > 0) {
    throw new KitCliError(`the app has kit packages at versions the kit does not support:\n  ${refused.join('\n  ')}`, 'change those packages yourself (add changes no version your team chose), then run add again');
  }
  return plan;
}

/** The command that installs `specs` with the app's package manager (just `npm install` and the like without specs). */
export function installCommand(manager: PackageManager, specs: string[], dev: boolean): string[] {
  if (specs.length === 0) return [manager, 'install'];
  if (manager === 'npm') return ['npm', 'install', ...(dev ? ['--save-dev'] : []), '--no-audit', '--no-fund', ...specs];
  return [manager, 'add', ...(dev ? [manager === 'yarn' ? '--dev' : '--save-dev'] : []), ...specs];
}

/** A command as a shell would take it, each argument with spaces or shell characters quoted. */
export function shellLine(command: string[]): string {
  return command.map((arg) => (/^[\w@./:=^~-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
