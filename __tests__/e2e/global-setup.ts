import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPIRY_MARGIN_SECONDS } from '../../lib/logto/session/refresh-access-token';
import { ARTIFACTS_DIR, LOG_DIR, ROOT_DIR } from './helpers/artifacts';
import { rememberRunningStack, stopRunningStack, type RunningStack } from './helpers/running-stack';
import { STACK_FILE_ENV, type E2eStack, type E2eStacks, type StackName } from './helpers/stack';
import { appEnv, logTo, startStack, tail } from './helpers/start-stack';

// Access tokens fall due (within the app's refresh margin) 5 s after they are issued: the refresh
// test waits only that long, and the other tests, done with a session well within 5 s, rarely
// meet a refresh — and when they do, it is transparent to the user, as it must be.
const ACCESS_TOKEN_TTL_SECONDS = EXPIRY_MARGIN_SECONDS + 5;

/** Each stack's issuer settings (scripts/local-issuer/env.mjs) besides the access-token lifetime. */
const STACK_SETTINGS: Record<StackName, Record<string, string>> = {
  main: {},
  kakaoUsernameSignUp: { LOCAL_ISSUER_KAKAO_SIGN_UP: 'username' },
  // Rotation comes after 70% of the lifetime, 14 s: well after the access token falls due (5 s), and 6 s
  // before the refresh token expires, which a test needs to refresh in between.
  shortRefreshTokens: { LOCAL_ISSUER_REFRESH_TOKEN_TTL: '20' },
};

const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [ROOT_DIR] });

/**
 * Builds the app (unless E2E_SKIP_BUILD=1 and a build exists), starts each stack of {@link STACK_SETTINGS}
 * (a local issuer and `next start` of that build, on free ports), and writes an {@link E2eStacks} file
 * for the tests.
 */
export default async function globalSetup(): Promise<void> {
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
  await buildApp(join(LOG_DIR, 'build.log'));

  const running: RunningStack = { children: [], tempDir: mkdtempSync(join(tmpdir(), 'logto-e2e-')) };
  rememberRunningStack(running);
  try {
    const names = Object.keys(STACK_SETTINGS) as StackName[];
    // Started together: each waits mostly for its `next start` to answer. All settle before a failure is
    // thrown, so that the teardown below sees every process that was started.
    const settled = await Promise.allSettled(
      names.map((name) => {
        // The main stack's logs keep their plain names (issuer.log, app.log).
        const suffix = name === 'main' ? '' : `-${name}`;
        return startStack(
          {
            issuerEnv: STACK_SETTINGS[name],
            accessTokenTtl: ACCESS_TOKEN_TTL_SECONDS,
            dataDir: join(running.tempDir, `issuer${suffix}`),
            issuerLog: join(LOG_DIR, `issuer${suffix}.log`),
            appLog: join(LOG_DIR, `app${suffix}.log`),
          },
          running.children,
        );
      }),
    );
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const stacks = Object.fromEntries(
      names.map((name, index) => [name, (settled[index] as PromiseFulfilledResult<E2eStack>).value]),
    ) as E2eStacks;

    const stackFile = join(running.tempDir, 'stacks.json');
    writeFileSync(stackFile, JSON.stringify(stacks, null, 2));
    process.env[STACK_FILE_ENV] = stackFile;
    const describe = (name: StackName, { appUrl, issuer }: E2eStack) => `${name}: app ${appUrl} · issuer ${issuer}`;
    console.info(
      `\n[e2e] ${names.map((name) => describe(name, stacks[name])).join('\n[e2e] ')}` +
        `\n[e2e] access tokens live ${ACCESS_TOKEN_TTL_SECONDS} s`,
    );
  } catch (error) {
    // jest skips globalTeardown when globalSetup throws.
    await stopRunningStack(running);
    throw error;
  }
}

/** `next build`, with a throwaway environment: the build imports the env module, which validates it. */
async function buildApp(logFile: string): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(ROOT_DIR, '.next', 'BUILD_ID'))) {
    console.info('\n[e2e] E2E_SKIP_BUILD=1: testing the existing .next build');
    return;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
    cwd: ROOT_DIR,
    env: appEnv({
      AUTH_LOGTO_ISSUER: 'https://build.invalid/oidc',
      AUTH_LOGTO_ID: 'e2e-build',
      AUTH_LOGTO_SECRET: 'e2e-build',
      NEXTAUTH_URL: 'http://localhost:3000',
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    }),
    stdio: ['ignore', ...logTo(logFile)],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${tail(logFile)}`);
  console.info(`\n[e2e] next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
