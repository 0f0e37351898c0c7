import type { Config } from 'jest';
import { jestBase } from './jest.base';

// Browser tests: Debian's Chromium (playwright-core) against `next build && next start` and the
// local issuer. Run with `jest -c jest.e2e.config.ts`; see __tests__/e2e/global-setup.ts.
const config: Config = {
  ...jestBase,
  roots: ['<rootDir>/__tests__/e2e'],
  testMatch: ['<rootDir>/__tests__/e2e/**/*.e2e.ts'],
  // Builds the app, starts the issuer and `next start` once for all test files, then stops them.
  globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/e2e/global-teardown.ts',
  // One app, one issuer, one browser at a time: files run one after another, in this process.
  maxWorkers: 1,
  // A test signs in through the issuer and may wait for an access token to fall due.
  testTimeout: 60_000,
  slowTestThreshold: 20,
  verbose: true,
};

export default config;
