import type { Config } from 'jest';

/**
 * What every jest config of this repo shares (npm test and the test:* suites): ts-jest compiling to
 * CommonJS, node, the `@/` alias. Each config spreads it and adds its own roots, testMatch and timeouts.
 */
export const jestBase = {
  // ts-jest compiles the app's TypeScript to CommonJS; jose 5 ships a CommonJS build for it.
  preset: 'ts-jest',
  testEnvironment: 'node',
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx' } }],
  },
} satisfies Config;
