import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readKitManifest } from '../compat/kit-manifest';
import { installCommand, planDependencies, shellLine } from './app-dependencies';
import { readAppEnv } from './app-env';
import { identifyCopy } from './app-kit';
import { kitPathsFor } from './app-layout';
import { configIncludes, resolveAppRoles } from './app-roles';
import { appPathOf, readAppRecord, writeAppRecord, type KitLanguage } from './app-record';
import { consoleUris } from './console-uris';
import { detectApp, installedVersion, type AppDetection } from './detect-app';
import { envExampleAddition } from './env-example';
import { KitCliError } from './kit-cli-error';
import { readReleasedWorkingVersion, routeTemplate, workingKitFiles } from './kit-files';
import { kitRolesOf, readKitVersions, sha256Of } from './kit-versions';
import { planDropInSettings } from './drop-in-settings';
import { dropInJestConfig, planOwnJest } from './own-jest';
import { mergeInstructions, wiresKit } from './route-wiring';

/** The app-owned jest config `add` writes to run the drop-in suite. */
export const DROP_IN_JEST_CONFIG = 'jest.logto-kit.config.cjs';
/** The package.json script `add` adds to run it. */
export const DROP_IN_SCRIPT = 'test:logto-kit';

/** Options of {@link addKit}. */
export interface AddOptions {
  repoRoot: string;
  appDir: string;
  dryRun: boolean;
  /** Replace a route that is a kit version's template, unchanged, with this version's. */
  merge: boolean;
  /** Run the package manager (false: print its commands instead). */
  install: boolean;
  print: (line: string) => void;
}

/**
 * `npm run kit -- add APP`: detects the app, refuses a next-auth outside the kit's range without touching it, copies
 * the kit by role, installs only missing kit packages, keeps the app's jest off the suite, appends .env.example and
 * prints the Logto Console URIs; an existing route is never overwritten (docs/kit-cli.md). A second run changes nothing.
 */
export async function addKit(options: AddOptions): Promise<number> {
  const { repoRoot, appDir, dryRun, print } = options;
  const newest = readReleasedWorkingVersion(repoRoot);
  const kit = readKitManifest(repoRoot);
  const roles = kitRolesOf(kit);
  const detection = detectApp(appDir);
  const { layout } = detection;
  const record = readAppRecord(layout.dir);
  if (record && record.version !== newest) {
    throw new KitCliError(`${layout.dir} already has kit ${record.version} (logto-kit.json)`, `bring it to ${newest} with npm run kit -- update ${appDir}`);
  }
  const paths = record?.paths ?? kitPathsFor(layout, kit);
  const kitDir = appPathOf(paths, roles.kit[0]);
  const copyKit = !record;
  if (copyKit && existsSync(join(layout.dir, kitDir))) {
    const match = identifyCopy(repoRoot, layout);
    // A copy identical to this version is an add that stopped before writing logto-kit.json: carry on.
    if (!match || match.version !== newest || match.matching !== match.total) {
      throw new KitCliError(
        `${layout.dir} already has a copy of the kit in ${kitDir} without logto-kit.json` +
          (match ? ` (${match.matching} of its files are exactly kit ${match.version}'s)` : ''),
        `take it over with npm run kit -- update ${appDir} --from ${match?.version ?? 'VERSION'}; add never overwrites it`,
      );
    }
  }
  const files = workingKitFiles(repoRoot, layout.language);

  const appRoles = resolveAppRoles(detection, kit, paths);
  printDetection(detection, print);
  print(`  Roles here: route ${appRoles.route}; authOptions ${appRoles.authOptions}; kit ${appRoles.kit}; types ${appRoles.types}; tests ${appRoles.tests}`);
  const deps = planDependencies(detection, kit);
  const jestConfig = record?.jestConfig ?? DROP_IN_JEST_CONFIG;
  const steps: (() => void)[] = [];
  const changes: string[] = [];
  const manual: string[] = [];

  if (copyKit) {
    changes.push(`copy kit ${newest}: ${kitDir} and ${appPathOf(paths, roles.tests[0])} (${files.size} files)`);
    steps.push(() => {
      for (const [path, content] of files) writeAppFile(layout.dir, appPathOf(paths, path), content);
    });
  }

  const template = routeTemplate(repoRoot, roles.templates[0], layout.language)!;
  const knownTemplates = knownTemplateHashes(repoRoot, roles.templates[0], layout.language);
  const route = planRoute(detection, { template, kitDir, merge: options.merge, knownTemplates });
  if (route.kind === 'copy' || route.kind === 'replace') {
    changes.push(`${route.kind === 'copy' ? 'write' : 'replace'} the route ${detection.route}${route.kind === 'replace' ? ' (an unchanged kit template)' : ''}`);
    steps.push(() => writeAppFile(layout.dir, detection.route, template));
  } else if (route.kind === 'instructions') {
    manual.push(`Your route ${detection.route} exists; add leaves it as it is. Merge these lines:`, ...route.lines);
  } else if (route.kind === 'known-template') {
    manual.push(`Your route ${detection.route} is an older kit template, unchanged: run add again with --merge to replace it with kit ${newest}'s.`);
  }

  if (!existsSync(join(layout.dir, jestConfig))) {
    const settings = planDropInSettings(detection);
    const content = dropInJestConfig({ kitJestConfig: appPathOf(paths, kit.jestConfig), srcDir: layout.srcDir.replace(/\/$/, ''), aliases: detection.aliases, settings });
    changes.push(
      `write ${jestConfig}: runs the drop-in suite against ${settings.authOptions ? `${detection.route} and ${settings.authOptions}` : detection.route}` +
        `${settings.database ? ', on a throwaway database' : ''}, with this app's path aliases`,
    );
    steps.push(() => writeAppFile(layout.dir, jestConfig, content));
    manual.push(...settings.notes);
  }

  const packageJson = JSON.parse(readFileSync(join(layout.dir, 'package.json'), 'utf8')) as Record<string, unknown> & { scripts?: Record<string, string> };
  let packageJsonChanged = false;
  const ownJest = planOwnJest(detection);
  if (ownJest.kind === 'edit-package-json') {
    changes.push(`add "/__tests__/logto-kit/" to package.json's jest.testPathIgnorePatterns: your own jest skips the drop-in suite`);
    packageJson.jest = ownJest.jest;
    packageJsonChanged = true;
  } else if (ownJest.kind === 'edit-json-file') {
    changes.push(`add "/__tests__/logto-kit/" to ${ownJest.file}'s testPathIgnorePatterns: your own jest skips the drop-in suite`);
    steps.push(() => writeFileSync(join(layout.dir, ownJest.file), ownJest.content));
  } else if (ownJest.kind === 'manual') {
    manual.push(`Keep your own jest off the drop-in suite: add to ${ownJest.file}'s config`, `    ${ownJest.line}`);
  }
  if (!packageJson.scripts?.[DROP_IN_SCRIPT]) {
    changes.push(`add the script "${DROP_IN_SCRIPT}": "jest -c ${jestConfig}"`);
    packageJson.scripts = { ...packageJson.scripts, [DROP_IN_SCRIPT]: `jest -c ${jestConfig}` };
    packageJsonChanged = true;
  }
  if (packageJsonChanged) steps.push(() => writePackageJson(layout.dir, packageJson));

  const envFiles = readAppEnv(layout.dir, 'development', {}, /^NEXTAUTH_URL$/);
  const nextAuthUrl = envFiles.env.NEXTAUTH_URL || undefined;
  const envAddition = envExampleAddition(layout.dir, detection.basePath);
  if (envAddition) {
    const names = [...envAddition.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    changes.push(`append ${names.length} variable(s) to .env.example: ${names.join(', ')}`);
    steps.push(() => appendFileSync(join(layout.dir, '.env.example'), envAddition));
  }

  const commands = [
    ...(deps.install.length > 0 ? [installCommand(detection.packageManager, deps.install, false)] : []),
    ...(deps.installDev.length > 0 ? [installCommand(detection.packageManager, deps.installDev, true)] : []),
  ];
  for (const command of commands) changes.push(`${options.install ? 'run' : 'leave to you (--no-install)'}: ${shellLine(command)}`);

  print(changes.length === 0 ? `Nothing to do: kit ${newest} is in place.` : `\n${dryRun ? 'Dry run; add would:' : 'Adding the kit:'}`);
  for (const change of changes) print(`  - ${change}`);
  print(`  Kept: ${deps.present.join(', ')}.`);
  if (dryRun) {
    printNextSteps(print, { manual, detection, nextAuthUrl, appDir, envFiles: envFiles.files });
    return 0;
  }

  for (const step of steps) step();
  if (layout.language === 'ts' && configIncludes(layout.dir, appRoles.types) === false) {
    manual.push(
      `Your tsconfig.json does not compile ${appRoles.types}: add it (or ${appRoles.kit}) to "include", so next-auth's Session and JWT carry the kit's fields.`,
    );
  }
  if (options.install) {
    for (const command of commands) runInstall(layout.dir, command, detection, print);
  } else if (commands.length > 0) {
    manual.push('Install the kit packages (add ran without installing):', ...commands.map((command) => `    ${shellLine(command)}`));
  }
  if (!record) {
    writeAppRecord(layout.dir, {
      version: newest,
      language: layout.language,
      paths,
      files: Object.fromEntries([...files].map(([path, content]) => [path, sha256Of(content)])),
      jestConfig,
      roles: { ...appRoles },
    });
    print(`  - wrote logto-kit.json (kit ${newest}): npm run kit -- status/update ${appDir} use it`);
  }
  printNextSteps(print, { manual, detection, nextAuthUrl, appDir, envFiles: envFiles.files });
  return 0;
}

type RoutePlan = { kind: 'copy' | 'replace' | 'wired' | 'known-template' | 'same' } | { kind: 'instructions'; lines: string[] };

function planRoute(
  detection: AppDetection,
  context: { template: Buffer; kitDir: string; merge: boolean; knownTemplates: Set<string> },
): RoutePlan {
  if (!detection.routeExists) return { kind: 'copy' };
  const { dir } = detection.layout;
  const source = readFileSync(join(dir, detection.route));
  if (source.equals(context.template)) return { kind: 'same' };
  if (context.knownTemplates.has(sha256Of(source))) return context.merge ? { kind: 'replace' } : { kind: 'known-template' };
  const site = detection.authOptions;
  const moduleSource = site.kind === 'module' && site.file ? readFileSync(join(dir, site.file), 'utf8') : '';
  if (wiresKit(source.toString('utf8')) || wiresKit(moduleSource)) return { kind: 'wired' };
  return {
    kind: 'instructions',
    lines: mergeInstructions({
      template: context.template.toString('utf8'),
      site,
      route: detection.route,
      kitDir: context.kitDir,
      language: detection.layout.language,
      targetSource: site.kind === 'module' && site.file ? moduleSource : source.toString('utf8'),
    }),
  };
}

/** SHA-256 of the route template of every recorded kit version, in the app's language. */
function knownTemplateHashes(repoRoot: string, templatePath: string, language: KitLanguage): Set<string> {
  return new Set(
    readKitVersions(repoRoot).versions.flatMap((entry) => {
      const template = routeTemplate(repoRoot, templatePath, language, entry);
      return template ? [sha256Of(template)] : [];
    }),
  );
}

function printDetection(detection: AppDetection, print: (line: string) => void): void {
  const { layout, installed, authOptions } = detection;
  const where = {
    route: `in the route ${authOptions.file}`,
    module: `in ${authOptions.file ?? `${authOptions.specifier} (not found)`}, imported by the route`,
    inline: 'passed straight to NextAuth() in the route',
    none: 'nowhere yet (no route)',
  }[authOptions.kind];
  print(`App: ${layout.dir}`);
  print(`  ${layout.language === 'ts' ? 'TypeScript' : 'JavaScript'}, pages in ${layout.srcDir}pages/, ${detection.packageManager} (lock file)`);
  print(`  next ${installed.next ?? '(not installed)'}, react ${installed.react ?? '(not installed)'}, next-auth ${installed['next-auth'] ?? '(not installed)'}`);
  print(`  authOptions: ${where}${detection.basePath ? `; basePath ${detection.basePath}` : ''}`);
}

function printNextSteps(
  print: (line: string) => void,
  context: { manual: string[]; detection: AppDetection; nextAuthUrl?: string; appDir: string; envFiles: string[] },
): void {
  const { manual, detection, appDir } = context;
  if (manual.length > 0) print(`\nYour part:\n${manual.map((line) => (line.startsWith(' ') ? line : `  ${line}`)).join('\n')}`);
  const nextAuthUrl = context.nextAuthUrl ?? 'http://localhost:3000';
  const source = context.nextAuthUrl ? `NEXTAUTH_URL from ${context.envFiles.join(', ')}` : 'no NEXTAUTH_URL in the app’s env files yet: assuming http://localhost:3000';
  let uris: ReturnType<typeof consoleUris>;
  try {
    uris = consoleUris(nextAuthUrl, detection.basePath);
  } catch {
    print(`\nNEXTAUTH_URL "${nextAuthUrl}" is not an absolute URL: fix it in ${context.envFiles.join(', ')} to see the Logto Console URIs.`);
    return;
  }
  print(`\nIn the Logto Console (your "Traditional web" application; ${source}):`);
  if (uris.warning) print(`  ! ${uris.warning}`);
  print(`  Redirect URI:                ${uris.redirectUri}`);
  print(`  Post sign-out redirect URI:  ${uris.postSignOutRedirectUri}`);
  print(`  Backchannel logout URI:      ${uris.backchannelLogoutUri} ("Is session required" on)`);
  print(`\nThen: fill in .env.local (see .env.example), check the tenant with npm run kit -- doctor ${appDir},`);
  print(`and run the drop-in tests with npm run kit -- test ${appDir} (or npm run ${DROP_IN_SCRIPT} in the app).`);
}

function writeAppFile(appDir: string, path: string, content: Buffer | string): void {
  mkdirSync(dirname(join(appDir, path)), { recursive: true });
  writeFileSync(join(appDir, path), content);
}

/** Writes package.json back with the indentation it had. */
function writePackageJson(appDir: string, packageJson: Record<string, unknown>): void {
  const file = join(appDir, 'package.json');
  const indent = /\n([ \t]+)"/.exec(readFileSync(file, 'utf8'))?.[1] ?? '  ';
  writeFileSync(file, `${JSON.stringify(packageJson, null, indent)}\n`);
}

/** Runs one install command in the app; throws naming it when it fails, or when it changed next-auth after all. */
function runInstall(appDir: string, command: string[], detection: AppDetection, print: (line: string) => void): void {
  print(`$ ${shellLine(command)}`);
  // `npm run kit` describes the kit repository's package in npm_package_* and npm_lifecycle_*: those stay out; the
  // user's npm settings (npm_config_*: registry, proxy, cache, prefer-offline) go through, a stray dry_run does not.
  // NODE_ENV=production would make npm skip the devDependencies it is installing.
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_package_|npm_lifecycle_|npm_config_dry_run$|INIT_CWD$|NODE_ENV$)/.test(name))),
    NODE_ENV: 'development',
  };
  const result = spawnSync(command[0], command.slice(1), { cwd: appDir, env, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new KitCliError(
      `${shellLine(command)} failed in ${appDir} (${result.error?.message ?? `exit ${result.status}`})`,
      `run it yourself in the app, then npm run kit -- add ${appDir} again (it carries on where it stopped)`,
    );
  }
  const after = installedVersion(appDir, 'next-auth');
  if (after !== detection.installed['next-auth']) {
    throw new KitCliError(
      `installing the kit's packages changed next-auth from ${detection.installed['next-auth']} to ${after}`,
      `put it back with ${shellLine(installCommand(detection.packageManager, [`next-auth@${detection.installed['next-auth']}`], false))}`,
    );
  }
}
