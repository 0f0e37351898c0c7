// The Logto kit's drop-in tests, run in your app: `npx jest -c __tests__/logto-kit/jest.config.js`, or through the
// jest.logto-kit.config.cjs that `npm run kit -- add` writes at your app's root (it extends this one with your paths).
// Needs only jest, ts-jest and supertest; they load your route and authOptions against a local ES384 issuer.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config, whatever your package's type
const path = require('node:path');

// CommonJS for jest, whatever module setting your tsconfig.json has for Next.js.
const compilerOptions = { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, jsx: 'react-jsx', strict: true, skipLibCheck: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node', 'jest'] };

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/__tests__/logto-kit'],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: compilerOptions }],
    // Your JavaScript (an ESM env.js) and the ESM-only packages transformIgnorePatterns lets through, as CommonJS.
    '^.+\\.m?jsx?$': ['ts-jest', { tsconfig: { ...compilerOptions, allowJs: true, isolatedModules: true } }],
  },
  // If your route imports through a path alias (e.g. `@/`), map it here as in your tsconfig.json.
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
  // The one setting (helpers/test-settings.ts): where your route and authOptions are, the variables your modules
  // need to load, and, with an adapter, the throwaway database. Paths absolute or from the folder jest runs in.
  globals: {
    logtoKit: { route: path.join(__dirname, '../../pages/api/auth/[...nextauth].ts') },
  },
  // Checks the settings once, makes the throwaway database; the teardown lists the tests left out for this host.
  globalSetup: '<rootDir>/__tests__/logto-kit/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/logto-kit/helpers/global-teardown.ts',
  // Each test file's own copy of the throwaway database.
  setupFilesAfterEnv: ['<rootDir>/__tests__/logto-kit/helpers/database-per-file.ts'],
};
