#!/usr/bin/env node
// Starts the local development issuer for the browser tests and prints one JSON line on stdout:
// `{"issuer":…,"url":…,"clientId":…,"clientSecret":…,"apiResource":…}`. global-setup.ts runs this as a child
// process because jest loads the tests as CommonJS and the issuer is an ES module.
//
// Reads E2E_ISSUER_DATA_DIR (a throwaway folder), NEXTAUTH_URL (the app, whose callback and
// post sign-out URIs get registered) and LOCAL_ISSUER_ACCESS_TOKEN_TTL (seconds). Listens on a
// free port. Stops on SIGTERM or SIGINT, and when its stdin closes, so a parent that dies without
// cleaning up leaves no issuer behind.
import { readIssuerEnv } from '../../scripts/local-issuer/env.mjs';
import { startLocalIssuer } from '../../scripts/local-issuer/index.mjs';

const dataDir = process.env.E2E_ISSUER_DATA_DIR;
if (!dataDir) {
  console.error('start-issuer.mjs: set E2E_ISSUER_DATA_DIR to a throwaway folder');
  process.exit(1);
}

try {
  const { accessTokenTtl, appUrl } = readIssuerEnv();
  const issuer = await startLocalIssuer({
    port: 0,
    host: 'localhost',
    dataDir,
    appUrl,
    accessTokenTtl,
    logger: {
      info: (...args) => console.error('[local-issuer]', ...args),
      warn: (...args) => console.error('[local-issuer]', ...args),
      error: (...args) => console.error('[local-issuer]', ...args),
    },
  });
  const { issuer: issuerId, url, clientId, clientSecret, apiResource } = issuer;
  process.stdout.write(`${JSON.stringify({ issuer: issuerId, url, clientId, clientSecret, apiResource })}\n`);

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
