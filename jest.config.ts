import type { Config } from 'jest';

const config: Config = {
  // ts-jest compiles the app's TypeScript to CommonJS; jose 5 ships a CommonJS build for it.
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Browser tests are their own command (npm run test:e2e); `npm test` stays hermetic.
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/'],
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
  // A fixture environment, so modules that parse env at import time load in unit tests.
  setupFiles: ['<rootDir>/__tests__/helpers/fixture-env.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx' } }],
  },
  // Fails the run if a test leaves a server or timer behind.
  detectOpenHandles: false,
};

export default config;
