import type { Config } from 'jest';
import { jestBase } from './jest.base';

// The local development issuer (scripts/local-issuer) as its own process, driven over HTTP:
// API resources, organizations, back-channel logout, ui_locales. `npm run test:issuer`; not part
// of `npm test`, which starts no processes.
const config: Config = {
  ...jestBase,
  roots: ['<rootDir>/__tests__/local-issuer'],
  testMatch: ['<rootDir>/__tests__/local-issuer/**/*.issuer.ts'],
  // Each file starts its own issuer; one at a time keeps the shared machine calm.
  maxWorkers: 1,
  // A test signs users in through the issuer's pages, several requests each.
  testTimeout: 30_000,
  verbose: true,
};

export default config;
