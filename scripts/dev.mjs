#!/usr/bin/env node
// `npm run dev`: runs `next dev` against the Logto tenant named by AUTH_LOGTO_ISSUER, or, when that
// is unset, against the local development issuer started here. Extra arguments go to `next dev`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { readOrCreateJson, writeJsonSync } from './local-issuer/data-dir.mjs';
import { readIssuerEnv } from './local-issuer/env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const envSource = process.env.AUTH_LOGTO_ISSUER ? 'environment' : '.env.local';
const envFile = join(root, '.env.local');
// Next.js loads .env.local for the app as well; this only decides which issuer to use. Neither
// overrides variables that are already set, so the values passed to `next dev` below win.
if (existsSync(envFile)) process.loadEnvFile(envFile);

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

try {
  if (process.env.AUTH_LOGTO_ISSUER) {
    console.info(`Using Logto issuer ${process.env.AUTH_LOGTO_ISSUER} (from ${envSource})`);
    runNext(process.env, async () => {});
  } else {
    await runWithLocalIssuer();
  }
} catch (error) {
  console.error(`npm run dev: ${error.message}`);
  process.exit(1);
}

async function runWithLocalIssuer() {
  const issuerEnv = readIssuerEnv();
  const { appUrl } = issuerEnv;
  // Imported here so a run against Logto never loads oidc-provider.
  const { DEFAULT_DATA_DIR, passwordUsers, startLocalIssuer } = await import('./local-issuer/index.mjs');
  const issuer = await startLocalIssuer({
    ...issuerEnv,
    logger: {
      info: (...args) => console.info('[local-issuer]', ...args),
      warn: (...args) => console.warn('[local-issuer]', ...args),
      error: (...args) => console.error('[local-issuer]', ...args),
    },
  });

  // Kept beside the issuer's keys so that app sessions survive a restart of `npm run dev`.
  const nextAuthSecret =
    process.env.NEXTAUTH_SECRET ||
    readOrCreateJson(join(DEFAULT_DATA_DIR, 'nextauth-secret.json'), () => ({
      secret: randomBytes(32).toString('base64url'),
    })).secret;

  const users = passwordUsers().map((user) => `${user.username} / ${user.password}`).join(', ');
  console.info(
    `Using the local development issuer at ${issuer.issuer}, behaving like Logto ${issuer.logtoVersion} — demo users: ${users}`,
  );
  console.info(
    `[local-issuer] API resource ${issuer.apiResource}; back-channel logout to ` +
      `${issuer.backchannelLogoutUri ?? '(none)'}; POST ${issuer.url}/admin/sessions/end?sub=alice-demo ends alice's sessions`,
  );

  const appPort = new URL(appUrl).port;
  const appEnv = {
    ...process.env,
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: nextAuthSecret,
    // The local tenant's API resource, roles and organizations, unless the environment or
    // .env.local chose others (empty counts as unset, as everywhere in this app's env).
    AUTH_LOGTO_RESOURCES: process.env.AUTH_LOGTO_RESOURCES || issuer.apiResource,
    AUTH_LOGTO_SCOPES: process.env.AUTH_LOGTO_SCOPES || issuer.scopes,
    // `next dev` listens on PORT, so the app runs where the registered redirect URI points.
    ...(!process.env.PORT && appPort && { PORT: appPort }),
  };
  // `npm run doctor` without AUTH_LOGTO_ISSUER checks the local issuer with exactly these values.
  writeJsonSync(
    join(DEFAULT_DATA_DIR, 'dev-app-env.json'),
    Object.fromEntries(Object.entries(appEnv).filter(([name]) => /^(AUTH_LOGTO_|NEXTAUTH_)/.test(name))),
  );
  runNext(appEnv, () => issuer.close());
}

/** Spawns `next dev` with `env`; stops everything when it exits or when this process is signalled. */
function runNext(env, stopIssuer) {
  const child = spawn(process.execPath, [nextBin, 'dev', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env,
  });

  let signalled = false;
  /** @type {NodeJS.Signals[]} */
  const stopSignals = ['SIGINT', 'SIGTERM'];
  for (const signal of stopSignals) {
    process.on(signal, () => {
      signalled = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }

  child.on('error', async (error) => {
    console.error(`npm run dev: could not start next dev: ${error.message}`);
    await stopIssuer();
    process.exit(1);
  });
  child.on('exit', async (code) => {
    await stopIssuer();
    process.exit(code ?? (signalled ? 0 : 1));
  });
}
