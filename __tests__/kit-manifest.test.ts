import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

  it('keeps the kit and its optional UI self-contained: relative imports inside them, and only next-auth, openid-client, jose and node:', () => {
    const copied = [...kit.files, ...kit.optional, ...kit.tests].flatMap(filesUnder).filter((file) => /\.(ts|tsx|js)$/.test(file));
    const kitFolder = /^(next-auth(\/.*)?|openid-client|jose|node:.*|next|next\/.*|react|jest|supertest)$/;
    // Outside lib/logto/, the app-side files may also import what kit.json lists (lib/redis-client.ts: ioredis).
    const appSide = new RegExp(`^(${Object.keys(kit.dependencies).join('|')})$`);
    const allowedFor = (file: string) => (specifier: string) =>
      kitFolder.test(specifier) || (!file.startsWith('lib/logto/') && appSide.test(specifier));
    const offenders: string[] = [];
    for (const file of copied) {
      const source = readFileSync(join(root, file), 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import\(|require\()\s*'([^']+)'/g)) {
        if (specifier.startsWith('.')) {
          const target = relative(root, join(root, file, '..', specifier));
          if (!copied.some((other) => other.replace(/\.(ts|tsx|js)$/, '') === target || other.startsWith(`${target}/`))) {
            offenders.push(`${file} imports ${specifier}, which kit.json does not copy`);
          }
        } else if (!allowedFor(file)(specifier)) {
          offenders.push(`${file} imports ${specifier}`);
        }
      }
      if (/useEffectEvent|\buse\(/.test(source)) offenders.push(`${file} uses a React 19-only API`);
    }
    expect(offenders).toEqual([]);
  });
});
