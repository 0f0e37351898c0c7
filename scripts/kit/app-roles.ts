import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import type { KitManifest } from '../compat/kit-manifest';
import { appPathOf } from './app-record';
import type { AppDetection } from './detect-app';

/** kit.json's roles resolved in one app, each a path from the app's root. */
export interface AppRoles {
  /** The app's `/api/auth/[...nextauth]` route, under `pages/` or `src/pages/` (never a root `pages/` next to `src/pages/`). */
  route: string;
  /** Where the app's `authOptions` live: the route, or the module it imports them from (create-t3-app's `src/server/auth.ts`). */
  authOptions: string;
  /** The kit folder. */
  kit: string;
  /** The kit's next-auth type augmentation. */
  types: string;
  /** The drop-in suite's folder. */
  tests: string;
}

/** Resolves kit.json's roles in the app `add` detected, with the kit paths `paths` maps (logto-kit.json's `paths`). */
export function resolveAppRoles(detection: AppDetection, kit: KitManifest, paths: Record<string, string>): AppRoles {
  const { authOptions } = detection;
  return {
    route: detection.route,
    authOptions: authOptions.kind === 'module' && authOptions.file ? authOptions.file : detection.route,
    kit: appPathOf(paths, kit.roles.kit),
    types: appPathOf(paths, kit.roles.types),
    tests: appPathOf(paths, kit.roles.tests),
  };
}

/**
 * Whether the app's tsconfig.json (or jsconfig.json) compiles `file`, as TypeScript reads its `include`, `exclude`
 * and `files`; undefined when the app has no such config or the file does not exist yet.
 */
export function configIncludes(appDir: string, file: string): boolean | undefined {
  const configFile = ['tsconfig.json', 'jsconfig.json'].map((name) => join(appDir, name)).find((path) => existsSync(path));
  if (!configFile || !existsSync(join(appDir, file))) return undefined;
  const { config, error } = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  if (error) return undefined;
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, appDir);
  const wanted = resolve(appDir, file);
  return parsed.fileNames.some((name) => resolve(name) === wanted);
}
