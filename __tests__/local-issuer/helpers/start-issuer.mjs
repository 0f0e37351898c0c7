#!/usr/bin/env node
// Starts scripts/local-issuer on a free port for the issuer tests and prints one JSON line on
// stdout: `{"issuer":…,"url":…,"clientId":…,"clientSecret":…,"apiResource":…}`. A child process,
// because jest runs the tests as CommonJS and the issuer is an ES module.
//
// Reads ISSUER_TEST_DATA_DIR (a throwaway folder) and the issuer's own variables (NEXTAUTH_URL,
// LOCAL_ISSUER_*; see scripts/local-issuer/env.mjs). Stops on SIGTERM and when stdin closes.
import { readIssuerEnv } from '../../../scripts/local-issuer/env.mjs';
import { startLocalIssuer } from '../../../scripts/local-issuer/index.mjs';

const dataDir = process.env.ISSUER_TEST_DATA_DIR;
if (!dataDir) {
  console.error('start-issuer.mjs: set ISSUER_TEST_DATA_DIR to a throwaway folder');
  process.exit(1);
}

try {
  // Logs go to stderr: stdout carries only the JSON line.
  const log = (...args) => console.error('[local-issuer]', ...args);
  const logger = { info: log, warn: log, error: log };
  const issuer = await startLocalIssuer({ ...readIssuerEnv(), port: 0, dataDir, logger });
  const { issuer: issuerId, url, clientId, clientSecret, apiResource } = issuer;
  process.stdout.write(`${JSON.stringify({ issuer: issuerId, url, clientId, clientSecret, apiResource })}\n`);

  const stop = () => issuer.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
} catch (error) {
  console.error(`start-issuer.mjs: could not start the local issuer: ${error.message}`);
  process.exit(1);
}
