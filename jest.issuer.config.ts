import type { Config } from 'jest';
import { jestBase } from './jest.base';

// The local development issuer (scripts/local-issuer) as its own process, driven over HTTP:
// API resources, organizations, back-channel logout, ui_locales, refresh-token rotation, revocation,
// app-level access control, Kakao sign-up. `npm run test:issuer`; not part of `npm test`, which starts
// no processes. The suite runs once per Logto version the issuer can mimic (LOCAL_ISSUER_LOGTO_VERSION);
// `--selectProjects logto-1.42` (or logto-1.37) runs one.
const LOGTO_VERSIONS = ['1.42', '1.37'] as const;

// A test signs users in through the issuer's pages, several requests each; the refresh-token rotation
// tests wait for 70% of a 10 s refresh-token lifetime.
const TEST_TIMEOUT_MS = 30_000;

const config: Config = {
  projects: LOGTO_VERSIONS.map((version) => ({
    ...jestBase,
    displayName: `logto-${version}`,
    roots: ['<rootDir>/__tests__/local-issuer'],
    testMatch: ['<rootDir>/__tests__/local-issuer/**/*.issuer.ts'],
    // Read by __tests__/local-issuer/helpers/issuer-process.ts, which starts every issuer with it.
    globals: { LOCAL_ISSUER_LOGTO_VERSION: version },
    testTimeout: TEST_TIMEOUT_MS,
  })),
  // Each file starts its own issuer process; two at a time (one per core) lets the files that wait on
  // the issuer's clock overlap.
  maxWorkers: 2,
  testTimeout: TEST_TIMEOUT_MS,
  verbose: true,
};

export default config;
