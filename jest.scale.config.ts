import type { Config } from 'jest';
import { jestBase } from './jest.base';

// Several instances: tests against a real redis-server (Debian's, started by __tests__/helpers/redis-server.ts).
// Run with `npm run test:scale`; `npm test` stays hermetic and never starts Redis.
const config: Config = {
  ...jestBase,
  roots: ['<rootDir>/__tests__/scale'],
  testMatch: ['<rootDir>/__tests__/scale/**/*.scale.ts'],
  // Each file starts its own redis-server on a free port; one file at a time keeps the 2-core machine calm.
  maxWorkers: 1,
  // Outage tests wait for command timeouts and lock expiry (seconds, not minutes).
  testTimeout: 30_000,
  verbose: true,
};

export default config;
