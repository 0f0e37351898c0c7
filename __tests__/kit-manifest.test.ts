import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readKitManifest } from '../scripts/compat/kit-manifest';

const root = join(__dirname, '..');

// Read as the compatibility matrix reads it: one schema, with its own checks of every field.
const kit = readKitManifest(root);
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README's copy list: the part between the kit.json markers, split at each bold or plain heading line. */
function readmeCopyList(): Record<string, string[]> {
  const section = readme.slice(readme.indexOf('<!-- kit.json:start -->'), readme.indexOf('<!-- kit.json:end -->'));
  const groups: Record<string, string[]> = {};
  let current = '';
  for (const line of section.split('\n')) {
    if (/^[A-Z].*:$/.test(line)) current = line;
    const item = /^- `([^`]+)`(?: `([^`]+)`)?/.exec(line);
    if (item) (groups[current] ??= []).push(item[2] ? `${item[1]}@${item[2]}` : item[1]);
  }
  return groups;
}

/** Every source file under `path` (a file, or a folder ending in `/`), relative to the repo root. */
function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(full, entry))
    .filter((entry) => statSync(entry).isFile())
    .map((entry) => relative(root, entry));
}

const asPins = (deps: Record<string, string>) => Object.entries(deps).map(([name, range]) => `${name}@${range}`);

describe('kit.json', () => {
  it('lists the same files, UI, tests and packages as the README’s "Copy into your app"', () => {
    expect(readmeCopyList()).toEqual({
      'Files to copy (keep the paths):': kit.files,
      'Optional UI (adapt to your design):': kit.optional,
      'Drop-in tests (jest, run in your app against your `authOptions` and route):': kit.tests,
      'Dependencies:': asPins(kit.dependencies),
      'Test dependencies:': asPins(kit.testDependencies),
    });
  });

  it('lists only paths that exist, and the drop-in jest config among the tests', () => {
    for (const path of [...kit.files, ...kit.optional, ...kit.tests, kit.jestConfig]) expect(existsSync(join(root, path))).toBe(true);
    expect(kit.tests.flatMap(filesUnder)).toContain(kit.jestConfig);
  });

  it('names each role by a path it copies: the route, where authOptions are, the kit, its types and the drop-in suite', () => {
    expect(kit.roles).toEqual({
      route: 'pages/api/auth/[...nextauth].ts',
      authOptions: 'pages/api/auth/[...nextauth].ts',
      kit: 'lib/logto/',
      types: 'lib/logto/types/next-auth.d.ts',
      tests: '__tests__/logto-kit/',
    });
    for (const path of Object.values(kit.roles)) expect(existsSync(join(root, path))).toBe(true);
    expect(readFileSync(join(root, kit.roles.authOptions), 'utf8')).toMatch(/export const authOptions\b/);
    expect(readFileSync(join(root, kit.roles.types), 'utf8')).toMatch(/declare module 'next-auth'/);
  });

  it('refuses roles that name a path kit.json does not copy, and infers them for a kit.json without roles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-json-'));
    try {
      const write = (roles: Record<string, string> | undefined) =>
        writeFileSync(join(dir, 'kit.json'), JSON.stringify({ files: ['pages/api/auth/[...nextauth].ts', 'lib/logto/'], tests: ['__tests__/logto-kit/'], jestConfig: '__tests__/logto-kit/jest.config.js', roles }));
      write({ ...kit.roles, route: 'src/pages/api/auth/[...nextauth].ts' });
      expect(() => readKitManifest(dir)).toThrow('kit.json: "roles.route" (src/pages/api/auth/[...nextauth].ts) must be a file "files" lists');
      write({ ...kit.roles, types: 'types/next-auth.d.ts' });
      expect(() => readKitManifest(dir)).toThrow('"roles.types" (types/next-auth.d.ts) must be inside the kit folder lib/logto/');
      write(undefined);
      expect(readKitManifest(dir).roles).toEqual(kit.roles);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the kit and its optional UI self-contained: relative imports inside them, and only kit.json’s packages, next and react', () => {
    const copied = [...kit.files, ...kit.optional, ...kit.tests].flatMap(filesUnder).filter((file) => /\.(ts|tsx|js)$/.test(file));
    const packages = Object.keys(kit.dependencies).join('|');
    const allowed = new RegExp(`^(${packages}|next-auth/.*|node:.*|next|next/.*|react|jest|supertest)$`);
    const offenders: string[] = [];
    for (const file of copied) {
      const source = readFileSync(join(root, file), 'utf8');
      for (const specifier of importsOf(source)) {
        if (specifier.startsWith('.')) {
          const target = relative(root, join(root, file, '..', specifier));
          if (!copied.some((other) => other.replace(/(\.d)?\.(ts|tsx|js)$/, '') === target || other.startsWith(`${target}/`))) {
            offenders.push(`${file} imports ${specifier}, which kit.json does not copy`);
          }
        } else if (!allowed.test(specifier)) {
          offenders.push(`${file} imports ${specifier}`);
        }
      }
      if (/useEffectEvent|\buse\(/.test(source)) offenders.push(`${file} uses a React 19-only API`);
      // Next 12's SWC parses no TypeScript newer than 4.8: `satisfies` (4.9) fails next build in such an app.
      if (/\)\s*satisfies\s|\}\s*satisfies\s|\bas const satisfies\b/.test(source)) offenders.push(`${file} uses \`satisfies\` (TypeScript 4.9), which Next 12 cannot parse`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('lib/logto', () => {
  const kitFiles = filesUnder('lib/logto/').filter((file) => /\.tsx?$/.test(file));

  /** The kit files `file` imports (relative specifiers, `import type` included), as repo-relative paths. */
  function kitImportsOf(file: string): string[] {
    return importsOf(readFileSync(join(root, file), 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(root, join(root, file, '..', specifier)))
      .map((target) => ['.ts', '.d.ts', '.tsx', '/index.ts'].map((ext) => target + ext).find((path) => kitFiles.includes(path)) ?? target);
  }

  it('exports at run time only what the route, the app’s pages and the docs use', () => {
    const index = readFileSync(join(root, 'lib/logto/index.ts'), 'utf8');
    const runtime = [...index.matchAll(/^export \{([^}]*)\}/gm)]
      .flatMap((match) => match[1].split(','))
      .map((name) => name.trim())
      .filter((name) => name !== '' && !name.startsWith('type '));
    const users = [...filesUnder('pages/'), ...filesUnder('lib/').filter((file) => !file.startsWith('lib/logto/')), 'README.md', 'lib/logto/README.md', ...filesUnder('docs/')]
      .filter((file) => /\.(ts|tsx|md)$/.test(file))
      .map((file) => readFileSync(join(root, file), 'utf8'))
      .join('\n');
    expect(runtime.length).toBeGreaterThan(0);
    expect(runtime.filter((name) => !new RegExp(`\\b${name}\\b`).test(users))).toEqual([]);
  });

  it('imports nothing from outside its folder', () => {
    const outside = kitFiles.flatMap((file) => kitImportsOf(file).filter((target) => !target.startsWith('lib/logto/')).map((target) => `${file} -> ${target}`));
    expect(outside).toEqual([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const target of kitImportsOf(file)) {
        if (state.get(target) === 'open') circles.push([...path.slice(path.indexOf(target)), target].join(' -> '));
        else if (!state.has(target)) visit(target, [...path, target]);
      }
      state.set(file, 'done');
    };
    for (const file of kitFiles) if (!state.has(file)) visit(file, [file]);
    expect(circles).toEqual([]);
  });
});

/** Every module specifier a source file imports or re-exports (static, dynamic, require). */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport\(|\brequire\(|^import)\s*'([^']+)'/gm)].map((match) => match[1]);
}
