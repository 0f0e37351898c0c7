import type { Config } from 'jest';
import { jestBase } from './jest.base';

// Database sessions on a real PostgreSQL 15 (Debian's, a throwaway cluster started by the tests) with the app
// in several processes. Run with `npm run test:db`; `npm test` covers database sessions on SQLite and starts nothing.
const config: Config = {
  ...jestBase,
  roots: ['<rootDir>/__tests__/db'],
  testMatch: ['<rootDir>/__tests__/db/**/*.db.ts'],
  // Each file starts its own cluster and app processes; one file at a time keeps the 2-core machine calm.
  maxWorkers: 1,
  // Instances compile their route on start (tsx) and outage tests wait for connection timeouts.
  testTimeout: 60_000,
  verbose: true,
};

export default config;
