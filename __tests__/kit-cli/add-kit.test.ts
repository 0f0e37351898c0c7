import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { addKit, type AddOptions } from '../../scripts/kit/add-kit';
import { readAppRecord } from '../../scripts/kit/app-record';
import { KIT_VARIABLES } from '../../scripts/kit/env-example';
import { KitCliError } from '../../scripts/kit/kit-cli-error';
import { findKitVersion, readKitVersions, readWorkingKitVersion } from '../../scripts/kit/kit-versions';
import { releaseKit } from '../../scripts/kit/release-kit';
import { readTestSettings } from '../logto-kit/helpers/test-settings';
import {
  createKitRepo,
  createNextApp,
  createOutput,
  FIXTURE_CHANGELOG,
  REPO_ROOT,
  snapshotFolder,
  writeFiles,
  type NextAppOptions,
} from './helpers/temp-folders';

const CURRENT = readWorkingKitVersion(REPO_ROOT);
const ROUTE = 'pages/api/auth/[...nextauth].ts';
const repoFile = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** Every kit package at a version inside kit.json's ranges, as an app that has them all declares and installs them. */
const KIT_PACKAGES = {
  'openid-client': '5.7.1',
  jose: '5.10.0',
  ioredis: '6.0.0',
  jest: '29.7.0',
  'ts-jest': '29.4.15',
  supertest: '7.1.0',
  '@types/jest': '29.5.14',
  '@types/supertest': '6.0.3',
  '@types/node': '20.19.43',
};

describe('addKit', () => {
  let app: { dir: string; remove: () => void };
  const appFile = (path: string) => join(app.dir, path);
  const read = (path: string) => readFileSync(appFile(path), 'utf8');
  afterEach(() => app?.remove());

  /** Runs add on the app without installing (the tests are hermetic); resolves to the exit code and the output. */
  async function add(options: Partial<AddOptions> = {}) {
    const output = createOutput();
    const code = await addKit({ repoRoot: REPO_ROOT, appDir: app.dir, dryRun: false, merge: false, install: false, ...output, ...options });
    return { code, output };
  }
  const given = (options: NextAppOptions) => {
    app = createNextApp(options);
  };

  it('copies the kit, the drop-in suite and the route into a bare app, and records the version in logto-kit.json', async () => {
    given({});

    const { code } = await add();

    expect(code).toBe(0);
    for (const path of ['lib/logto/kit.ts', 'lib/logto/version.ts', 'lib/logto/types/next-auth.d.ts', '__tests__/logto-kit/sign-in.test.ts', ROUTE]) {
      expect(read(path)).toBe(repoFile(path));
    }
    const record = readAppRecord(app.dir);
    expect(record).toMatchObject({ version: CURRENT, language: 'ts', jestConfig: 'jest.logto-kit.config.cjs' });
    expect(record?.files['lib/logto/kit.ts']).toBe(findKitVersion(readKitVersions(REPO_ROOT), CURRENT).files['lib/logto/kit.ts'].sha256);
  });

  it('leaves next-auth as the app has it and lists only the missing kit packages, at kit.json’s ranges', async () => {
    given({ packages: { jose: '5.9.6' } });
    const before = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };

    const { output } = await add();

    const after = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(after.dependencies).toEqual(before.dependencies);
    expect(after.dependencies['next-auth']).toBe('4.22.5');
    expect(output.text()).toContain('\n    npm install --no-audit --no-fund openid-client@^5.6.0 ioredis@^6.0.0\n');
    expect(output.text()).toMatch(/npm install --save-dev --no-audit --no-fund 'jest@\^29\.7\.0 \|\| \^30\.0\.0' ts-jest@\^29\.2\.0 supertest@\^7\.0\.0 /);
    expect(output.text()).not.toMatch(/next-auth@/);
    expect(output.lines).toContain('  Kept: next-auth 4.22.5 (kept as it is), jose 5.9.6.');
  });

  it('refuses next-auth below 4.22, saying it never changes it, and writes nothing', async () => {
    given({ nextAuth: '4.21.1' });
    const before = snapshotFolder(app.dir);

    await expect(add()).rejects.toThrow(KitCliError);
    await expect(add()).rejects.toThrow(/the app has next-auth 4\.21\.1; the kit needs >=4\.22\.0 <5, and add never changes the app's next-auth\nFix: upgrade next-auth yourself/);
    expect(snapshotFolder(app.dir)).toEqual(before);
  });

  it('refuses a kit package installed outside kit.json’s range, naming the command that would fix it', async () => {
    given({ packages: { jose: '4.15.9' } });

    await expect(add()).rejects.toThrow(/jose 4\.15\.9 is outside kit\.json's \^5\.2\.0: npm install --no-audit --no-fund jose@\^5\.2\.0 if your app allows it/);
    expect(existsSync(appFile('lib/logto'))).toBe(false);
  });

  it('changes nothing when run a second time', async () => {
    given({ packages: KIT_PACKAGES });
    await add();
    const after = snapshotFolder(app.dir);

    const { code, output } = await add();

    expect(code).toBe(0);
    expect(snapshotFolder(app.dir)).toEqual(after);
    expect(output.lines).toContain(`Nothing to do: kit ${CURRENT} is in place.`);
  });

  it('places the kit, the suite and the route under src/ when the pages are in src/pages', async () => {
    // create-next-app's src/ tsconfig, with a comment as a team's often has: `/*` inside strings must not end it.
    const tsconfig = '{\n  // the app\n  "compilerOptions": { "paths": { "@/*": ["./src/*"] } },\n  "include": ["next-env.d.ts", "**/*.ts"],\n}\n';
    given({ srcDir: 'src/', files: { 'tsconfig.json': tsconfig } });

    await add();

    expect(read(`src/${ROUTE}`)).toBe(repoFile(ROUTE));
    expect(read('src/lib/logto/kit.ts')).toBe(repoFile('lib/logto/kit.ts'));
    expect(read('src/__tests__/logto-kit/helpers/host-app.ts')).toBe(repoFile('__tests__/logto-kit/helpers/host-app.ts'));
    expect(existsSync(appFile('lib/logto'))).toBe(false);
    // Next.js would ignore src/pages (the whole app) next to a root pages/.
    expect(existsSync(appFile('pages'))).toBe(false);
    expect(read('jest.logto-kit.config.cjs')).toContain("const kit = require('./src/__tests__/logto-kit/jest.config.js');");
    expect(read('jest.logto-kit.config.cjs')).toContain('rootDir: path.join(__dirname, "src"),');
    expect(read('jest.logto-kit.config.cjs')).toContain('"^@/(.*)$": path.join(__dirname, "src/$1"),');
  });

  it('puts the route in src/pages/ of an app whose only pages are src/app/, never in a root pages/ that would hide src/', async () => {
    given({ srcDir: 'src/', files: { 'src/app/page.tsx': 'export default function Page() { return null; }\n' } });
    rmSync(appFile('src/pages'), { recursive: true });

    await add();

    expect(read(`src/${ROUTE}`)).toBe(repoFile(ROUTE));
    expect(existsSync(appFile('pages'))).toBe(false);
    expect(existsSync(appFile('lib'))).toBe(false);
  });

  it('keeps an existing route and prints the lines to merge, the kit imported by its path from the route', async () => {
    const route = "import NextAuth, { type NextAuthOptions } from 'next-auth';\n\nexport const authOptions: NextAuthOptions = { providers: [] };\n\nexport default NextAuth(authOptions);\n";
    given({ files: { [ROUTE]: route } });

    const { output } = await add();

    expect(read(ROUTE)).toBe(route);
    const text = output.text();
    expect(text).toContain(`Your route ${ROUTE} exists; add leaves it as it is. Merge these lines:`);
    expect(text).toContain("    import { createLogtoKit, createRedisClient, readLogtoEnv, type LogtoProfile } from '../../../lib/logto';");
    expect(text).toContain('    export const logtoProvider: OAuthConfig<LogtoProfile> = {');
    expect(text).toContain('    export default logto.handler(authOptions);');
  });

  it('finds authOptions in create-t3-app’s src/server/auth.ts and maps its ~/ alias for the drop-in suite', async () => {
    given({
      srcDir: 'src/',
      files: {
        'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['./src/*'] } } }),
        'src/server/auth.ts': "import { type NextAuthOptions } from 'next-auth';\n\nexport const authOptions: NextAuthOptions = { providers: [] };\n",
        [`src/${ROUTE}`]: 'import NextAuth from "next-auth";\n\nimport { authOptions } from "~/server/auth";\n\nexport default NextAuth(authOptions);\n',
      },
    });

    const { output } = await add();

    const text = output.text();
    expect(text).toContain('  authOptions: in src/server/auth.ts, imported by the route');
    expect(text).toContain('  1. Add to the imports of src/server/auth.ts (keep yours):');
    expect(text).toContain("    import { createLogtoKit, createRedisClient, readLogtoEnv, type LogtoProfile } from '../lib/logto';");
    expect(text).toContain(
      `  4. Serve src/${ROUTE} through the kit (the drop-in tests load authOptions and the kit from src/server/auth.ts, as jest.logto-kit.config.cjs says):`,
    );
    expect(text).toContain("    import { authOptions, logto } from '~/server/auth';");
    expect(read('jest.logto-kit.config.cjs')).toContain('"^~/(.*)$": path.join(__dirname, "src/$1"),');
  });

  it('fits the merge lines to create-t3-app’s own auth module: its env kept, the kit’s renamed, PrismaAdapter’s client given to the kit', async () => {
    const auth = [
      'import { PrismaAdapter } from "@auth/prisma-adapter";',
      'import {',
      '  getServerSession,',
      '  type NextAuthOptions,',
      '} from "next-auth";',
      'import DiscordProvider from "next-auth/providers/discord";',
      '',
      'import { env } from "~/env";',
      'import { db } from "~/server/db";',
      '',
      'export const authOptions: NextAuthOptions = {',
      '  adapter: PrismaAdapter(db),',
      '  providers: [DiscordProvider({ clientId: env.DISCORD_CLIENT_ID, clientSecret: env.DISCORD_CLIENT_SECRET })],',
      '};',
      '',
    ].join('\n');
    given({
      srcDir: 'src/',
      files: {
        'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['./src/*'] } } }),
        'src/server/auth.ts': auth,
        [`src/${ROUTE}`]: 'import NextAuth from "next-auth";\n\nimport { authOptions } from "~/server/auth";\n\nexport default NextAuth(authOptions);\n',
      },
    });

    const text = (await add()).output.text();

    expect(text).toContain("    import { createLogtoKit, createPrismaAccountStore, readLogtoEnv, type LogtoProfile } from '../lib/logto';");
    // t3 already imports NextAuthOptions from next-auth: that line is left out.
    expect(text).not.toContain("    import type { NextAuthOptions } from 'next-auth';");
    expect(text).toContain('    const logtoEnv = readLogtoEnv(process.env);');
    expect(text).toContain('      issuer: logtoEnv.AUTH_LOGTO_ISSUER,');
    expect(text).toContain("      scope: ['openid offline_access profile email', ...logtoEnv.AUTH_LOGTO_SCOPES].join(' '),");
    expect(text).toContain('    export const logto = createLogtoKit({ provider: logtoProvider, env: logtoEnv, database: createPrismaAccountStore(db) });');
    expect(text).not.toMatch(/(?<![.\w])env\.AUTH_LOGTO/);
    expect(text).toContain("  Note: your file already has an `env`: the kit's is `logtoEnv`.");
  });

  it('writes the drop-in settings for a create-t3-app app: its route and auth module, env placeholders, a throwaway SQLite database, its ESM packages', async () => {
    const esmOnly = (name: string, dependencies: Record<string, string> = {}) => JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } }, dependencies });
    given({
      srcDir: 'src/',
      packages: { '@t3-oss/env-nextjs': '0.9.2', '@auth/prisma-adapter': '1.6.0', zod: '3.23.8' },
      files: {
        'package.json': `${JSON.stringify({ name: 't3-app', type: 'module', private: true, dependencies: { next: '14.2.35', react: '18.3.1', 'next-auth': '4.24.11', '@t3-oss/env-nextjs': '0.9.2', '@auth/prisma-adapter': '1.6.0', zod: '3.23.8' } }, null, 2)}\n`,
        'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noUncheckedIndexedAccess: true, baseUrl: '.', paths: { '~/*': ['./src/*'] } }, include: ['**/*.ts', '**/*.tsx', '**/*.cjs', '**/*.js'] }),
        // As create-t3-app 7.30 writes them (abridged): env validated at import, the adapter in src/server/auth.ts.
        'src/env.js': 'import { createEnv } from "@t3-oss/env-nextjs";\nimport { z } from "zod";\n\nexport const env = createEnv({\n  server: { DATABASE_URL: z.string().url(), NEXTAUTH_URL: z.string().url(), DISCORD_CLIENT_ID: z.string(), DISCORD_CLIENT_SECRET: z.string() },\n  runtimeEnv: {\n    DATABASE_URL: process.env.DATABASE_URL,\n    NODE_ENV: process.env.NODE_ENV,\n    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,\n    NEXTAUTH_URL: process.env.NEXTAUTH_URL,\n    DISCORD_CLIENT_ID: process.env.DISCORD_CLIENT_ID,\n    DISCORD_CLIENT_SECRET: process.env.DISCORD_CLIENT_SECRET,\n  },\n  skipValidation: !!process.env.SKIP_ENV_VALIDATION,\n});\n',
        'src/server/auth.ts': 'import { PrismaAdapter } from "@auth/prisma-adapter";\nimport { type NextAuthOptions } from "next-auth";\nimport { db } from "~/server/db";\n\nexport const authOptions: NextAuthOptions = {\n  adapter: PrismaAdapter(db),\n  providers: [],\n};\n',
        [`src/${ROUTE}`]: 'import NextAuth from "next-auth";\n\nimport { authOptions } from "~/server/auth";\n\nexport default NextAuth(authOptions);\n',
        'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "sqlite"\n  url      = env("DATABASE_URL")\n}\n',
        'node_modules/@t3-oss/env-nextjs/package.json': esmOnly('@t3-oss/env-nextjs', { '@t3-oss/env-core': '0.9.2' }),
        'node_modules/@t3-oss/env-core/package.json': esmOnly('@t3-oss/env-core'),
        'node_modules/@auth/prisma-adapter/package.json': esmOnly('@auth/prisma-adapter', { '@auth/core': '0.37.0' }),
        // Exports under `import` alone, as @auth/core 0.x had them: jest's require cannot resolve those.
        'node_modules/@auth/core/package.json': JSON.stringify({ name: '@auth/core', version: '0.37.0', type: 'module', exports: { '.': { import: './index.js' }, './adapters': { types: './adapters.d.ts', import: './adapters.js' } } }),
        'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.23.8', exports: { '.': { require: './index.js', import: './index.mjs' } } }),
      },
    });

    const { code, output } = await add();

    expect(code).toBe(0);
    expect(existsSync(appFile('pages'))).toBe(false);
    expect(read('src/lib/logto/types/next-auth.d.ts')).toBe(repoFile('lib/logto/types/next-auth.d.ts'));
    expect(output.text()).toContain(
      `  Roles here: route src/${ROUTE}; authOptions src/server/auth.ts; kit src/lib/logto/; types src/lib/logto/types/next-auth.d.ts; tests src/__tests__/logto-kit/`,
    );
    expect(output.text()).not.toContain('does not compile src/lib/logto/types/next-auth.d.ts');
    expect(readAppRecord(app.dir)?.roles).toEqual({
      route: `src/${ROUTE}`,
      authOptions: 'src/server/auth.ts',
      kit: 'src/lib/logto/',
      types: 'src/lib/logto/types/next-auth.d.ts',
      tests: 'src/__tests__/logto-kit/',
    });
    // The config as jest loads it: the suite's settings in one place, ESM-only packages let through to its JS transform.
    let config:
      | { rootDir: string; transformIgnorePatterns: string[]; moduleNameMapper: Record<string, string>; globalSetup: string; globals: { logtoKit: unknown } }
      | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      config = require(appFile('jest.logto-kit.config.cjs')) as typeof config;
    });
    expect(config!.rootDir).toBe(appFile('src'));
    expect(config!.moduleNameMapper).toMatchObject({
      '^~/(.*)$': appFile('src/$1'),
      '^@auth/core$': appFile('node_modules/@auth/core/index.js'),
      '^@auth/core/adapters$': appFile('node_modules/@auth/core/adapters.js'),
    });
    expect(config!.globalSetup).toBe('<rootDir>/__tests__/logto-kit/helpers/global-setup.ts');
    expect(readTestSettings(config!.globals.logtoKit)).toEqual({
      route: appFile(`src/${ROUTE}`),
      authOptions: appFile('src/server/auth.ts'),
      env: { DISCORD_CLIENT_ID: 'drop-in-test', DISCORD_CLIENT_SECRET: 'drop-in-test' },
      database: { env: 'DATABASE_URL', url: 'file:{dir}/drop-in.db', setup: 'prisma db push --skip-generate', cwd: app.dir },
    });
    const [ignore] = config!.transformIgnorePatterns;
    const transformed = (path: string) => !new RegExp(ignore!).test(path);
    expect(['@t3-oss/env-nextjs', '@t3-oss/env-core', '@auth/prisma-adapter', '@auth/core'].every((name) => transformed(`${app.dir}/node_modules/${name}/index.js`))).toBe(true);
    expect(transformed(`${app.dir}/node_modules/zod/index.js`)).toBe(false);
    expect(transformed(`${app.dir}/node_modules/next-auth/index.js`)).toBe(false);
  });

  it('replaces a route that is an older kit version’s template, unchanged, only with --merge', async () => {
    const repo = createKitRepo();
    try {
      const oldRoute = readFileSync(join(repo.dir, ROUTE), 'utf8');
      writeFiles(repo.dir, {
        [ROUTE]: 'export default "the newer route";\n',
        'lib/logto/CHANGELOG.md': FIXTURE_CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Changed\n- The route.\n'),
      });
      releaseKit({ repoRoot: repo.dir, version: '1.1.0', dryRun: false });
      given({ files: { [ROUTE]: oldRoute } });

      const plain = await add({ repoRoot: repo.dir });
      expect(read(ROUTE)).toBe(oldRoute);
      expect(plain.output.text()).toContain(`Your route ${ROUTE} is an older kit template, unchanged: run add again with --merge`);

      const merged = await add({ repoRoot: repo.dir, merge: true });
      expect(read(ROUTE)).toBe('export default "the newer route";\n');
      expect(merged.output.text()).toContain(`replace the route ${ROUTE} (an unchanged kit template)`);
    } finally {
      repo.remove();
    }
  });

  it('installs with the package manager of the app’s lock file', async () => {
    given({ files: { 'pnpm-lock.yaml': '' } });
    expect((await add({ dryRun: true, install: true })).output.text()).toContain('run: pnpm add openid-client@^5.6.0 jose@^5.2.0 ioredis@^6.0.0');
    app.remove();

    given({ files: { 'yarn.lock': '' } });
    expect((await add({ dryRun: true, install: true })).output.text()).toMatch(/run: yarn add --dev 'jest@\^29\.7\.0 \|\| \^30\.0\.0'/);
  });

  it('keeps the app’s own jest off the drop-in suite: package.json’s config edited, a config in code told', async () => {
    given({ files: { 'package.json': JSON.stringify({ name: 'app', dependencies: { 'next-auth': '4.22.5' }, jest: { testEnvironment: 'node' } }) } });
    await add();
    expect(JSON.parse(read('package.json')).jest).toEqual({ testEnvironment: 'node', testPathIgnorePatterns: ['/node_modules/', '/__tests__/logto-kit/'] });
    expect(JSON.parse(read('package.json')).scripts).toEqual({ 'test:logto-kit': 'jest -c jest.logto-kit.config.cjs' });
    app.remove();

    given({ files: { 'jest.config.js': "module.exports = { testEnvironment: 'jsdom' };\n" } });
    const { output } = await add();
    expect(read('jest.config.js')).toBe("module.exports = { testEnvironment: 'jsdom' };\n");
    expect(output.text()).toContain("Keep your own jest off the drop-in suite: add to jest.config.js's config\n    testPathIgnorePatterns: ['/node_modules/', '/__tests__/logto-kit/'],");
  });

  it('appends only the variables .env.example lacks, and prints the Logto Console URIs from NEXTAUTH_URL and basePath', async () => {
    given({
      files: {
        '.env.example': 'DATABASE_URL=\nNEXTAUTH_SECRET=\n',
        '.env': 'NEXTAUTH_URL=https://wrong.example.com\n',
        '.env.local': 'NEXTAUTH_URL=https://app.example.com/app/api/auth\n',
        'next.config.js': "module.exports = { basePath: '/app' };\n",
      },
    });

    const { output } = await add();

    const example = read('.env.example');
    expect(example.startsWith('DATABASE_URL=\nNEXTAUTH_SECRET=\n\n# Sign-in with Logto')).toBe(true);
    expect(example.match(/^NEXTAUTH_SECRET=/gm)).toHaveLength(1);
    expect(example).toContain('\nAUTH_LOGTO_ISSUER=\n');
    expect(example).toContain('\nNEXTAUTH_URL=http://localhost:3000/app/api/auth\n');
    expect(output.lines).toEqual(
      expect.arrayContaining([
        '  Redirect URI:                https://app.example.com/app/api/auth/callback/logto',
        '  Post sign-out redirect URI:  https://app.example.com/app',
        '  Backchannel logout URI:      https://app.example.com/app/api/auth/backchannel-logout ("Is session required" on)',
      ]),
    );
    expect(output.text()).not.toContain('! next.config sets basePath');
  });

  it('writes nothing in a dry run', async () => {
    given({});
    const before = snapshotFolder(app.dir);

    const { code, output } = await add({ dryRun: true, install: true });

    expect(code).toBe(0);
    expect(snapshotFolder(app.dir)).toEqual(before);
    expect(output.text()).toContain('Dry run; add would:');
  });

  it('copies the JavaScript build into a JavaScript app: no TypeScript file, no ts-jest, the route as .js', async () => {
    given({ files: { 'jsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } }) } });
    rmSync(appFile('tsconfig.json'));

    const { output } = await add();

    const record = readAppRecord(app.dir)!;
    expect(record.language).toBe('js');
    expect(Object.keys(record.files).filter((path) => /\.tsx?$/.test(path))).toEqual([]);
    expect(read('lib/logto/kit.js')).toContain('export function createLogtoKit(options)');
    expect(read('pages/api/auth/[...nextauth].js')).toContain('export default logto.handler(authOptions);');
    expect(existsSync(appFile(ROUTE))).toBe(false);
    expect(output.text()).toContain("npm install --save-dev --no-audit --no-fund 'jest@^29.7.0 || ^30.0.0' supertest@^7.0.0\n");
  });

  it('sends an app that already has an older kit to update', async () => {
    given({ packages: KIT_PACKAGES });
    await add();
    const record = JSON.parse(read('logto-kit.json')) as { version: string };
    record.version = '0.9.0';
    writeFiles(app.dir, { 'logto-kit.json': JSON.stringify(record) });

    await expect(add()).rejects.toThrow(/already has kit 0\.9\.0 \(logto-kit\.json\)\nFix: bring it to .* with npm run kit -- update /);
  });
});

describe('KIT_VARIABLES', () => {
  it('names every variable the kit reads, so .env.example gets them all', () => {
    const kitSource = ['lib/logto/env.ts', 'lib/logto/store/redis-client.ts'].map(repoFile).join('\n');
    const read = new Set(kitSource.match(/\b(AUTH_LOGTO_[A-Z_]+|NEXTAUTH_[A-Z_]+|REDIS_URL)\b/g));

    expect(KIT_VARIABLES.map((variable) => variable.name).sort()).toEqual([...read].sort());
  });
});
