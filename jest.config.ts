import type { Config } from 'jest';
import { join } from 'node:path';
import type { LogtoKitTestSettings } from './__tests__/logto-kit/helpers/test-settings';
import { jestBase } from './jest.base';
import { findEsmOnlyPackages } from './scripts/kit/drop-in-settings';
import { esmTransformIgnorePattern } from './scripts/kit/own-jest';

// The drop-in suite's own config, as a team's app runs it (its settings, global setup, transforms).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dropIn = require('./__tests__/logto-kit/jest.config.js') as Config;
const ROUTE = join(__dirname, 'pages/api/auth/[...nextauth].ts');
// The ESM host's ESM-only packages, found as `npm run kit -- add` finds an app's.
const esmHost = findEsmOnlyPackages(__dirname, ['@auth/kysely-adapter']);

/** A jest project running the drop-in suite against one host, named by `globals.logtoKit`. */
function dropInProject(displayName: string, logtoKit: LogtoKitTestSettings, hooks: Config = {}): Config {
  return { ...dropIn, rootDir: __dirname, displayName, globals: { logtoKit }, ...hooks };
}

const config: Config = {
  projects: [
    {
      ...jestBase,
      displayName: 'app',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      // Browser tests are their own command (npm run test:e2e); `npm test` stays hermetic. The drop-in suite runs
      // in the projects below, through its own config.
      testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/', '/__tests__/logto-kit/'],
      // A fixture environment, so modules that parse env at import time load in unit tests.
      setupFiles: ['<rootDir>/__tests__/helpers/fixture-env.ts'],
      // This app's tests start hosts with the drop-in suite's helpers (startHostApp), which read this setting.
      globals: { logtoKit: { route: ROUTE } },
    },
    dropInProject('drop-in, this app', { route: ROUTE }),
    // A host that changes every option next-auth offers at once: basePath, cookie names with a domain,
    // __Secure-/__Host- cookies, custom pages, more providers.
    dropInProject('drop-in, custom host', {
      route: join(__dirname, '__tests__/fixtures/custom-host-route.ts'),
      env: { NEXTAUTH_URL: 'http://localhost/app/api/auth' },
    }),
    // A host on database sessions (Prisma's adapter, SQLite), with a throwaway database made by Prisma's CLI offline.
    dropInProject('drop-in, database host', {
      route: join(__dirname, '__tests__/fixtures/database-host-route.ts'),
      database: {
        env: 'DATABASE_URL',
        url: 'file:{dir}/drop-in.db',
        setup: 'prisma migrate deploy --config __tests__/database/prisma.config.ts',
        cwd: __dirname,
      },
    }, {
      // Jest runs each global setup file once per run, with the first project that names it: this one has its own.
      globalSetup: '<rootDir>/__tests__/fixtures/database-host-global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/fixtures/database-host-global-teardown.ts',
    }),
    // A create-t3-app-shaped host in an ESM package: an ES-module env.js validated at import (its variable in
    // logtoKit.env), authOptions in a module of their own, an ESM-only adapter (@auth/kysely-adapter, let through
    // transformIgnorePatterns as `npm run kit -- add` writes it), database sessions in SQLite without Prisma.
    dropInProject('drop-in, ESM host', {
      route: join(__dirname, '__tests__/fixtures/esm-host/route.ts'),
      authOptions: join(__dirname, '__tests__/fixtures/esm-host/server/auth.ts'),
      env: { ACME_CLIENT_ID: 'drop-in-test' },
      database: {
        env: 'DATABASE_URL',
        url: 'file:{dir}/drop-in.db',
        setup: 'tsx __tests__/fixtures/esm-host/create-tables.ts',
        cwd: __dirname,
      },
    }, {
      transformIgnorePatterns: [esmTransformIgnorePattern(esmHost.names)],
      moduleNameMapper: {
        ...dropIn.moduleNameMapper,
        ...Object.fromEntries(Object.entries(esmHost.importOnly).map(([specifier, file]) => [`^${specifier}$`, `<rootDir>/${file}`])),
      },
      globalSetup: '<rootDir>/__tests__/fixtures/esm-host/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/fixtures/esm-host/global-teardown.ts',
    }),
  ],
};

export default config;
