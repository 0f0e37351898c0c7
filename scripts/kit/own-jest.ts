import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDetection } from './detect-app';
import type { DropInSettingsPlan } from './drop-in-settings';

/** The pattern that keeps the app's own jest away from the drop-in suite, wherever it sits (root or src/). */
export const DROP_IN_IGNORE_PATTERN = '/__tests__/logto-kit/';

/** How `add` keeps the app's own jest from running the drop-in suite. */
export type OwnJestPlan =
  | { kind: 'done' }
  /** A new value for the `jest` key of package.json, or the content of jest.config.json. */
  | { kind: 'edit-package-json'; jest: Record<string, unknown> }
  | { kind: 'edit-json-file'; file: string; content: string }
  /** A config in code: the exact line to add, printed. */
  | { kind: 'manual'; file: string; line: string };

/**
 * The app's jest gets `testPathIgnorePatterns` with {@link DROP_IN_IGNORE_PATTERN}: written into package.json's
 * `jest` or jest.config.json (also when the app has no jest config yet, so a later `npx jest` skips the suite
 * too), printed for a config in code. The drop-in suite runs only through its own config.
 */
export function planOwnJest(detection: AppDetection): OwnJestPlan {
  const { ownJest, layout } = detection;
  const withIgnore = (config: Record<string, unknown>) => {
    const patterns = Array.isArray(config.testPathIgnorePatterns) ? (config.testPathIgnorePatterns as string[]) : ['/node_modules/'];
    return patterns.some((pattern) => pattern.includes('logto-kit')) ? undefined : { ...config, testPathIgnorePatterns: [...patterns, DROP_IN_IGNORE_PATTERN] };
  };
  if (ownJest.kind === 'package.json' || ownJest.kind === 'none') {
    const jest = withIgnore((layout.packageJson.jest as Record<string, unknown> | undefined) ?? {});
    return jest ? { kind: 'edit-package-json', jest } : { kind: 'done' };
  }
  const file = ownJest.file!;
  const source = readFileSync(join(layout.dir, file), 'utf8');
  if (ownJest.kind === 'json') {
    const config = withIgnore(JSON.parse(source) as Record<string, unknown>);
    return config ? { kind: 'edit-json-file', file, content: `${JSON.stringify(config, null, 2)}\n` } : { kind: 'done' };
  }
  if (source.includes('logto-kit')) return { kind: 'done' };
  return { kind: 'manual', file, line: `testPathIgnorePatterns: ['/node_modules/', '${DROP_IN_IGNORE_PATTERN}'],` };
}

/**
 * The app-owned jest config that runs the drop-in suite (`jest.logto-kit.config.cjs`, CommonJS whatever the
 * package's type): the kit's own config, rooted where the suite sits, plus the app's tsconfig path aliases, its
 * ESM-only packages let through to the suite's JavaScript transform, and the suite's one setting, `globals.logtoKit`
 * (route, authOptions, env placeholders, throwaway database), filled from what `add` detected.
 */
export function dropInJestConfig(options: { kitJestConfig: string; srcDir: string; aliases: Record<string, string>; settings: DropInSettingsPlan }): string {
  const { settings } = options;
  const mappers = Object.entries(options.aliases).map(([alias, target]) => {
    const wildcard = alias.endsWith('*');
    const key = wildcard ? `^${escapeRegExp(alias.slice(0, -1))}(.*)$` : `^${escapeRegExp(alias)}$`;
    const to = wildcard ? `${target.replace(/\*$/, '').replace(/\/$/, '')}/$1` : target;
    return `    ${JSON.stringify(key)}: path.join(__dirname, ${JSON.stringify(to)}),`;
  });
  const fromRoot = (file: string) => `path.join(__dirname, ${JSON.stringify(file)})`;
  const lines = [
    `      route: ${fromRoot(settings.route)},`,
    ...(settings.authOptions ? [`      authOptions: ${fromRoot(settings.authOptions)},`] : []),
  ];
  const envEntries = Object.entries(settings.env);
  if (envEntries.length > 0) {
    lines.push(
      '      // What your env module (or auth module) reads at import, e.g. create-t3-app\'s src/env.js: placeholders, no secrets.',
      '      env: {',
      ...envEntries.map(([name, value]) => `        ${name}: ${JSON.stringify(value)},`),
      '      },',
    );
  }
  const { database } = settings;
  if (database) {
    const url = database.url ? JSON.stringify(database.url) : 'process.env.LOGTO_KIT_TEST_DATABASE_URL';
    lines.push(
      '      // Your authOptions have an adapter: a throwaway database of the suite\'s own, never your development one.',
      `      // ${database.url ? '{dir} is a temp folder: the setup runs once into it, each test file gets a copy, all removed after.' : 'An empty database on your server; test files run one at a time on it (maxWorkers below).'}`,
      '      database: {',
      `        env: ${JSON.stringify(database.env)},`,
      `        url: ${url},`,
      ...(database.setup ? [`        setup: ${JSON.stringify(database.setup)},`] : []),
      '        cwd: __dirname,',
      '      },',
    );
  }
  const esm = settings.esm.names.length > 0 ? esmTransformIgnorePattern(settings.esm.names) : '';
  const importOnly = Object.entries(settings.esm.importOnly).map(
    ([specifier, file]) => `    ${JSON.stringify(`^${escapeRegExp(specifier)}$`)}: path.join(__dirname, ${JSON.stringify(file)}),`,
  );
  return `// The Logto kit's drop-in tests against this app's route and authOptions: npm run test:logto-kit
// (jest -c jest.logto-kit.config.cjs). Written by the kit CLI's \`add\`; yours to edit. Your own jest config
// ignores ${DROP_IN_IGNORE_PATTERN}, so the suite runs only from here.
const path = require('path');
const kit = require('./${options.kitJestConfig}');

module.exports = {
  ...kit,
  // The folder the suite's relative paths start from (the kit's config says '../..' from its own folder).
  rootDir: path.join(__dirname, ${JSON.stringify(options.srcDir || '.')}),
  moduleNameMapper: {
    ...kit.moduleNameMapper,${mappers.length > 0 ? `\n    // This app's path aliases (tsconfig.json "paths").\n${mappers.join('\n')}` : ''}${
      importOnly.length > 0 ? `\n    // ESM-only exports jest's require cannot resolve (an \`import\` condition alone): their files.\n${importOnly.join('\n')}` : ''
    }
  },${esm ? `
  // ESM-only packages your modules load: compiled to CommonJS by the suite's JavaScript transform (jest requires modules).
  transformIgnorePatterns: [${JSON.stringify(esm)}],` : ''}${database && !database.url ? `
  // Every test file uses the one test database.
  maxWorkers: 1,` : ''}
  globals: {
    ...kit.globals,
    // The drop-in suite's one setting (docs/testing.md): where your route and authOptions are, and what they need.
    logtoKit: {
${lines.join('\n')}
    },
  },
};
`;
}

/**
 * The `transformIgnorePatterns` entry that lets `packages` (ESM-only) through to the suite's JavaScript transform and
 * ignores the rest of node_modules, pnpm's `.pnpm` store included.
 */
export function esmTransformIgnorePattern(packages: string[]): string {
  return `/node_modules/(?!(\\.pnpm|${packages.map(escapeRegExp).join('|')})/)`;
}

function escapeRegExp(text: string): string {
  // Slashes stay unescaped, so an alias such as `@/*` gives the same key as the kit's own `^@/(.*)$` and replaces it.
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
