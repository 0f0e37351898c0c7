import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CompatCell, TsconfigEra } from './cells';

/** What {@link scaffoldApp} wrote besides the bare app: the host app's files, for the log. */
export interface ScaffoldedApp {
  dir: string;
  hostFiles: string[];
}

/**
 * Writes a minimal legacy Pages Router app into `dir`, as `create-next-app` of the cell's era made it
 * (package.json with the cell's exact versions and nothing of the kit's, tsconfig.json (jsconfig.json for a
 * JavaScript cell), next.config.js, pages/_app.tsx (.js) with SessionProvider, a home page with next-auth/react's `signIn('logto')` and `signOut()`),
 * then the cell's host app files (its own route and pages, from scripts/compat/host-apps/<hostApp>/, then
 * `files`). The kit goes in afterwards through `npm run kit -- add`, as a team adds it. Installs nothing.
 */
export function scaffoldApp(cell: CompatCell, dir: string): ScaffoldedApp {
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, 'package.json'), {
    name: `logto-compat-${cell.name}`,
    version: '0.0.0',
    private: true,
    scripts: { build: 'next build', start: 'next start' },
    // The cell's own versions are exact; `add` installs the kit's packages at kit.json's ranges.
    dependencies: sortKeys(hostPackages(cell, false)),
    devDependencies: sortKeys(hostPackages(cell, true)),
  });
  if (cell.language === 'js') {
    // create-next-app 13's JavaScript template: jsconfig.json with the `@/*` alias, no TypeScript anywhere.
    writeJson(join(dir, 'jsconfig.json'), { compilerOptions: { paths: { '@/*': ['./*'] } } });
    writeFile(join(dir, 'pages', '_app.js'), appPage(cell).replace(/^import type .*\n/gm, '').replace(/: AppProps<[^>]*>\)/, ')'));
    writeFile(join(dir, 'pages', 'index.js'), HOME_PAGE);
  } else {
    writeJson(join(dir, 'tsconfig.json'), tsconfigOf(cell.tsconfig));
    writeFile(join(dir, 'pages', '_app.tsx'), appPage(cell));
    writeFile(join(dir, 'pages', 'index.tsx'), HOME_PAGE);
  }
  writeFile(join(dir, 'next.config.js'), nextConfigOf(cell));

  const hostFiles: string[] = [];
  if (cell.hostApp) {
    const hostDir = join(__dirname, 'host-apps', cell.hostApp);
    for (const file of listFiles(hostDir)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(hostDir, file), join(dir, file));
      hostFiles.push(`${file} (host app ${cell.hostApp})`);
    }
  }
  for (const [file, content] of Object.entries(cell.files ?? {})) {
    writeFile(join(dir, file), content);
    hostFiles.push(file);
  }
  return { dir, hostFiles };
}

// Types and TypeScript are devDependencies in a create-next-app project; the framework is a dependency.
function hostPackages(cell: CompatCell, dev: boolean): Record<string, string> {
  const isDev = (name: string) => name === 'typescript' || name.startsWith('@types/');
  return Object.fromEntries(Object.entries(cell.packages).filter(([name]) => isDev(name) === dev));
}

/**
 * The tsconfig.json of create-next-app's TypeScript template in each era, as published on the registry
 * (create-next-app 12.3.4, 13.5.11, 14.2.35, 15.5.4). `next build` type-checks the kit with it; 14.2 sets no
 * `target`, so TypeScript 5 falls back to ES5, like 12.3 and 13.5 say outright.
 */
export function tsconfigOf(era: TsconfigEra): object {
  const options = {
    lib: ['dom', 'dom.iterable', 'esnext'],
    allowJs: true,
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: 'preserve',
    incremental: true,
    paths: { '@/*': ['./*'] },
  };
  const compilerOptions = {
    // 12.3 had no `@/*` alias yet, and classic node resolution.
    next12: { target: 'es5', ...options, paths: undefined, forceConsistentCasingInFileNames: true, moduleResolution: 'node' },
    next13: { target: 'es5', ...options },
    next14: options,
    next15: { target: 'ES2017', ...options },
  }[era];
  return { compilerOptions, include: ['next-env.d.ts', '**/*.ts', '**/*.tsx'], exclude: ['node_modules'] };
}

function nextConfigOf(cell: CompatCell): string {
  const options = [
    'reactStrictMode: true',
    // The scaffold installs no ESLint; Next 12 to 15 would otherwise ask for it during `next build`.
    'eslint: { ignoreDuringBuilds: true }',
    ...(cell.basePath ? [`basePath: ${JSON.stringify(cell.basePath)}`] : []),
  ];
  return `/** @type {import('next').NextConfig} */
module.exports = {
  ${options.join(',\n  ')},
};
`;
}

function appPage(cell: CompatCell): string {
  // Under a sub-path, next-auth/react must be told where next-auth answers (next-auth v4 docs, "basePath").
  const authPath = cell.nextAuthUrlPath ? ` basePath=${JSON.stringify(cell.nextAuthUrlPath)}` : '';
  // Typed props: Next 12.3's AppProps defaults pageProps to `{}`, later versions to `any`.
  return `import type { AppProps } from 'next/app';
import type { Session } from 'next-auth';
import { SessionProvider } from 'next-auth/react';

export default function App({ Component, pageProps: { session, ...pageProps } }: AppProps<{ session?: Session | null }>) {
  return (
    <SessionProvider session={session}${authPath}>
      <Component {...pageProps} />
    </SessionProvider>
  );
}
`;
}

const HOME_PAGE = `import { signIn, signOut, useSession } from 'next-auth/react';

export default function Home() {
  const { data: session, status } = useSession();
  if (status === 'loading') return <p>Loading…</p>;
  if (!session) {
    return (
      <main>
        <p>You are signed out.</p>
        <button onClick={() => signIn('logto')}>Sign in</button>
      </main>
    );
  }
  return (
    <main>
      <p>Signed in as {session.user?.name ?? session.user?.email}</p>
      <button onClick={() => signOut()}>Sign out</button>
    </main>
  );
}
`;

/** Every file under `dir`, as paths relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

function writeJson(file: string, value: unknown): void {
  writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

function writeFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
