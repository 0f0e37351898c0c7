import type { Config } from 'jest';

/** What both projects share: ts-jest to CommonJS, the `@/` alias, node. */
const base = {
  // ts-jest compiles the app's TypeScript to CommonJS; jose 5 ships a CommonJS build for it.
  preset: 'ts-jest',
  testEnvironment: 'node',
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx' } }],
  },
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...base,
      displayName: 'app',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      // Browser tests are their own command (npm run test:e2e); `npm test` stays hermetic.
      testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/'],
      // A fixture environment, so modules that parse env at import time load in unit tests.
      setupFiles: ['<rootDir>/__tests__/helpers/fixture-env.ts'],
    },
    {
      ...base,
      // The drop-in suite once more, against a host that changes every option next-auth offers.
      displayName: 'drop-in, custom host',
      roots: ['<rootDir>/__tests__/logto-kit'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/__tests__/helpers/fixture-env.ts', '<rootDir>/__tests__/fixtures/custom-host-env.ts'],
    },
  ],
};

export default config;
