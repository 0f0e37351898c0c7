import type { Config } from 'jest';
import { jestBase } from './jest.base';

const config: Config = {
  projects: [
    {
      ...jestBase,
      displayName: 'app',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      // Browser tests are their own command (npm run test:e2e); `npm test` stays hermetic.
      testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/'],
      // A fixture environment, so modules that parse env at import time load in unit tests.
      setupFiles: ['<rootDir>/__tests__/helpers/fixture-env.ts'],
    },
    {
      ...jestBase,
      // The drop-in suite once more, against a host that changes every option next-auth offers.
      displayName: 'drop-in, custom host',
      roots: ['<rootDir>/__tests__/logto-kit'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/__tests__/helpers/fixture-env.ts', '<rootDir>/__tests__/fixtures/custom-host-env.ts'],
    },
  ],
};

export default config;
