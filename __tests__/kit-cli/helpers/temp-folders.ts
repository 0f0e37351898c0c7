import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readKitManifest } from '../../../scripts/compat/kit-manifest';
import { kitPathsFor, readAppLayout } from '../../../scripts/kit/app-layout';
import { appPathOf, writeAppRecord } from '../../../scripts/kit/app-record';
import { readBlobs } from '../../../scripts/kit/git-objects';
import { findKitVersion, readKitVersions, sha256Of, sha256sOf } from '../../../scripts/kit/kit-versions';
import { releaseKit } from '../../../scripts/kit/release-kit';

/** This repository: the kit CLI's real versions and history. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Writes `files` (path → content) under `dir`, creating folders. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A new temp folder, removed by the returned `remove`. */
export function createTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A TypeScript app in a temp folder that copied this repository's kit `version` by hand, paths kept: the kit,
 * the drop-in tests and the route as that version shipped them, read back from git history.
 */
export function createAppWithKit(version: string): { dir: string; remove: () => void } {
  const app = createTempDir('kit-app-');
  const entry = findKitVersion(readKitVersions(REPO_ROOT), version);
  const recorded = Object.entries({ ...entry.files, ...entry.templates });
  const blobs = readBlobs(REPO_ROOT, recorded.map(([, file]) => file.blob));
  const files = Object.fromEntries(recorded.map(([path, file]) => [path, blobs.get(file.blob)!]));
  writeFiles(app.dir, { ...files, 'package.json': '{ "name": "app", "private": true }\n', 'tsconfig.json': '{}\n' });
  return app;
}

/** Runs git with a fixed identity in `dir`. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Kit', '-c', 'user.email=kit@example.com', ...args], { cwd: dir }).toString();
}

/** The changelog of {@link createKitRepo}'s 1.0.0. */
export const FIXTURE_CHANGELOG = `# Changelog

## [Unreleased]

## [1.0.0] - 2026-01-01

### Added
- The kit.
`;

/**
 * A kit repository in a temp folder: kit.json, a small kit, a route, a drop-in jest config, and kit 1.0.0
 * recorded from its first commit, as `npm run kit -- release 1.0.0 --commit HEAD` records it.
 */
export function createKitRepo(): { dir: string; remove: () => void } {
  const repo = createTempDir('kit-repo-');
  writeFiles(repo.dir, {
    'kit.json': JSON.stringify({
      files: ['pages/api/auth/[...nextauth].ts', 'lib/logto/'],
      tests: ['__tests__/logto-kit/'],
      jestConfig: '__tests__/logto-kit/jest.config.js',
      dependencies: { 'next-auth': '>=4.22.0 <5' },
      testDependencies: {},
    }),
    'lib/logto/version.ts': "export const KIT_VERSION = '1.0.0';\n",
    'lib/logto/CHANGELOG.md': FIXTURE_CHANGELOG,
    'lib/logto/kit.ts': 'export const kit = 1;\n',
    'pages/api/auth/[...nextauth].ts': 'export default null;\n',
    '__tests__/logto-kit/jest.config.js': 'module.exports = {};\n',
    'scripts/kit/versions.json': JSON.stringify({ about: 'test', versions: [] }),
  });
  git(repo.dir, 'init', '-q');
  git(repo.dir, 'add', '.');
  git(repo.dir, 'commit', '-q', '-m', 'kit 1.0.0');
  releaseKit({ repoRoot: repo.dir, version: '1.0.0', commit: 'HEAD', dryRun: false });
  return repo;
}

/** Writes the app's logto-kit.json as `add` writes it for kit `version` of the repository at `repoRoot`. */
export function recordAppKit(repoRoot: string, appDir: string, version: string): void {
  const kit = readKitManifest(repoRoot);
  const paths = kitPathsFor(readAppLayout(appDir), kit);
  const entry = findKitVersion(readKitVersions(repoRoot), version);
  writeAppRecord(appDir, { version, language: 'ts', paths, files: sha256sOf(entry.files), jestConfig: appPathOf(paths, kit.jestConfig) });
}

/** Collects what a command prints, line by line and as jest's raw output. */
export function createOutput(): {
  lines: string[];
  text: () => string;
  jestOutput: () => string;
  print: (line: string) => void;
  write: (text: string) => void;
} {
  const lines: string[] = [];
  let raw = '';
  return {
    lines,
    text: () => lines.join('\n'),
    jestOutput: () => raw,
    print: (line) => void lines.push(line),
    write: (text) => void (raw += text),
  };
}

/** Options of {@link createNextApp}. */
export interface NextAppOptions {
  /** The installed next-auth (node_modules/next-auth/package.json); package.json declares it exactly. */
  nextAuth?: string;
  /** Further packages, declared in package.json and "installed" at the same exact version. */
  packages?: Record<string, string>;
  /** `src/` for create-next-app's src directory. */
  srcDir?: '' | 'src/';
  /** Files written over the scaffold. */
  files?: Record<string, string>;
}

/**
 * A legacy Pages Router app in a temp folder as far as `add` looks at it: package.json, tsconfig.json, a home page,
 * a package-lock.json, and node_modules holding just the package.json of each package (their versions are what
 * `add` reads; nothing runs from them).
 */
export function createNextApp(options: NextAppOptions = {}): { dir: string; remove: () => void } {
  const app = createTempDir('kit-next-app-');
  const packages: Record<string, string> = { next: '13.5.11', react: '18.3.1', 'next-auth': options.nextAuth ?? '4.22.5', ...options.packages };
  const installed = Object.fromEntries(Object.entries(packages).map(([name, version]) => [`node_modules/${name}/package.json`, JSON.stringify({ name, version })]));
  writeFiles(app.dir, {
    'package.json': `${JSON.stringify({ name: 'app', private: true, dependencies: packages }, null, 2)}\n`,
    'package-lock.json': '{}\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, paths: { '@/*': ['./*'] } } }, null, 2),
    [`${options.srcDir ?? ''}pages/index.tsx`]: 'export default function Home() { return null; }\n',
    ...installed,
    ...options.files,
  });
  return app;
}

/** Every file under `dir` but node_modules, path → SHA-256: equal snapshots mean nothing changed. */
export function snapshotFolder(dir: string): Record<string, string> {
  const walk = (folder: string): string[] =>
    readdirSync(join(dir, folder), { withFileTypes: true }).flatMap((entry) => {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.name === 'node_modules') return [];
      return entry.isDirectory() ? walk(path) : [path];
    });
  return Object.fromEntries(walk('').map((path) => [path, sha256Of(readFileSync(join(dir, path)))]));
}
