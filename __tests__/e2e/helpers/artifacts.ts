import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT_DIR = resolve(__dirname, '../../..');

/** Where the browser tests put their screenshots and server logs (git-ignored). */
export const ARTIFACTS_DIR = join(ROOT_DIR, 'test-results', 'e2e');

/** The server logs: `build.log`, and `issuer.log` and `app.log` for the main stack (`issuer-<stack>.log`, `app-<stack>.log` for the others). */
export const LOG_DIR = join(ARTIFACTS_DIR, 'logs');
