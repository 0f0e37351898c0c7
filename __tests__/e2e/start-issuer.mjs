#!/usr/bin/env node
// Starts the local development issuer for the browser tests (global-setup.ts) and the issuer tests
// (__tests__/local-issuer/helpers/issuer-process.ts) and prints one JSON line on stdout:
// `{"issuer":…,"url":…,"clientId":…,"clientSecret":…,"apiResource":…,"scopes":…,"logtoVersion":…}`. A child process,
// because jest loads the tests as CommonJS and the issuer is an ES module.
//
// Reads ISSUER_TEST_DATA_DIR (a throwaway folder) and the issuer's own variables: NEXTAUTH_URL (the
// app, whose callback, post sign-out and back-channel logout URIs get registered) and LOCAL_ISSUER_*
// (see scripts/local-issuer/env.mjs; LOCAL_ISSUER_PORT is ignored). Listens on a free port. Stops on
// SIGTERM or SIGINT, and when its stdin closes, so a parent that dies without cleaning up leaves no
// issuer behind.
import { readIssuerEnv } from '../../scripts/local-issuer/env.mjs';
import { startLocalIssuer } from '../../scripts/local-issuer/index.mjs';

const dataDir = process.env.ISSUER_TEST_DATA_DIR;
if (!dataDir) {
  console.error('start-issuer.mjs: set ISSUER_TEST_DATA_DIR to a throwaway folder');
  process.exit(1);
}

try {
  const issuer = await startLocalIssuer({
    ...readIssuerEnv(),
    port: 0,
    host: 'localhost',
    dataDir,
    // Logs go to stderr: stdout carries only the JSON line.
    logger: {
      info: (...args) => console.error('[local-issuer]', ...args),
      warn: (...args) => console.error('[local-issuer]', ...args),
      error: (...args) => console.error('[local-issuer]', ...args),
    },
  });
  const { issuer: issuerId, url, clientId, clientSecret, apiResource, scopes, logtoVersion } = issuer;
  process.stdout.write(
    `${JSON.stringify({ issuer: issuerId, url, clientId, clientSecret, apiResource, scopes, logtoVersion })}\n`,
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    issuer.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop).on('error', stop).resume();
} catch (error) {
  console.error(`start-issuer.mjs: could not start the local issuer: ${error.message}`);
  process.exit(1);
}
