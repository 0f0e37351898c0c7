import type { Config } from 'jest';
import { jestBase } from './jest.base';

// `npm run test:doctor`: runs `npm run doctor`'s checks against the local issuer (scripts/local-issuer) in
// its own process. Not part of `npm test`, which starts no processes and touches no network.
const config: Config = {
  ...jestBase,
  roots: ['<rootDir>/__tests__/doctor'],
  testMatch: ['<rootDir>/__tests__/doctor/**/*.doctor.ts'],
  // One issuer per file, one file at a time: the machine is shared.
  maxWorkers: 1,
  // Each test makes a dozen requests to the issuer; the CLI test also starts tsx.
  testTimeout: 30_000,
  verbose: true,
};

export default config;
