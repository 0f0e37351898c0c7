// The Logto kit's drop-in tests, run in your app: `npx jest -c __tests__/logto-kit/jest.config.js`.
// Needs only jest, ts-jest and supertest; they load your pages/api/auth/[...nextauth] against a local ES384 issuer.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/__tests__/logto-kit'],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    // CommonJS for jest, whatever module setting your tsconfig.json has for Next.js.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, jsx: 'react-jsx', strict: true, skipLibCheck: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node', 'jest'] } }],
  },
  // If your route imports through a path alias (e.g. `@/`), map it here as in your tsconfig.json.
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
};
