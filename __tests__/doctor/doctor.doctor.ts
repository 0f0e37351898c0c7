import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runDoctor, type CheckId, type DoctorOptions, type DoctorReport } from '../../scripts/doctor/doctor';
import { startIssuerProcess, type IssuerProcess } from '../local-issuer/helpers/issuer-process';
import { tamperingFetch } from './helpers/tampering-fetch';
import { findFreePort } from '../../scripts/free-port';

let issuer: IssuerProcess;
// The app is never started: the doctor only asks the issuer about the app's URIs.
let appUrl: string;

beforeAll(async () => {
  appUrl = `http://localhost:${await findFreePort()}`;
  issuer = await startIssuerProcess(appUrl);
});

afterAll(() => issuer?.stop());

/** The environment `npm run dev` would give the app for this issuer. */
function goodEnv(): Record<string, string | undefined> {
  return {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
    NODE_ENV: 'development',
  };
}

function doctor(overrides: Partial<DoctorOptions> & { env?: Record<string, string | undefined> } = {}) {
  return runDoctor({ ...overrides, env: { ...goodEnv(), ...overrides.env } });
}

const statusOf = (report: DoctorReport) => Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
const check = (report: DoctorReport, id: CheckId) => report.checks.find((line) => line.id === id)!;

/** The statuses of a correct configuration: every line ✓ but the two features it does not configure. */
const ALL_GOOD: Record<CheckId, 'pass' | 'skip'> = {
  env: 'pass',
  'nextauth-secret': 'pass',
  https: 'pass',
  discovery: 'pass',
  'id-token-alg': 'pass',
  'logout-endpoints': 'pass',
  'clock-skew': 'pass',
  'client-credentials': 'pass',
  'redirect-uri': 'pass',
  'post-logout-redirect-uri': 'pass',
  'api-resources': 'skip',
  'backchannel-logout': 'skip',
};

/** Asserts that `id` is the only ✗, with a fix matching `fix`, and that every other line is as in {@link ALL_GOOD}. */
function expectOnlyFailure(report: DoctorReport, id: CheckId, fix: RegExp, others: Partial<Record<CheckId, string>> = {}) {
  expect(statusOf(report)).toEqual({ ...ALL_GOOD, ...others, [id]: 'fail' });
  expect(check(report, id).fix).toMatch(fix);
  expect(report.ok).toBe(false);
}

describe('runDoctor against the local issuer', () => {
  it('passes every check of the configuration npm run dev uses', async () => {
    const report = await doctor();
    expect(statusOf(report)).toEqual(ALL_GOOD);
    expect(report.ok).toBe(true);
    expect(report.checks.every((line) => line.fix === undefined)).toBe(true);
    expect(check(report, 'id-token-alg').detail).toMatch(/ES384 .* EC P-384 key/);
    expect(check(report, 'clock-skew').detail).toMatch(/limit 10 s/);
  });

  describe('environment', () => {
    it('fails on a missing variable, names it, and does not run the probe that needs it', async () => {
      const report = await doctor({ env: { AUTH_LOGTO_SECRET: '' } });
      expectOnlyFailure(report, 'env', /\.env\.local/, { 'client-credentials': 'skip' });
      expect(check(report, 'env').detail).toMatch(/AUTH_LOGTO_SECRET is empty/);
      expect(check(report, 'client-credentials').detail).toMatch(/not run: AUTH_LOGTO_ID or AUTH_LOGTO_SECRET is missing/);
    });

    it('fails on a malformed optional variable (REDIS_URL) alone', async () => {
      const report = await doctor({ env: { REDIS_URL: 'localhost:6379' } });
      expectOnlyFailure(report, 'env', /\.env\.local/);
      expect(check(report, 'env').detail).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL, e\.g\. redis:\/\/localhost:6379/);
    });

    it('fails on a Unix socket path as REDIS_URL, which createRedisClient refuses at startup', async () => {
      const report = await doctor({ env: { REDIS_URL: '/tmp/redis.sock' } });
      expectOnlyFailure(report, 'env', /\.env\.local/);
      expect(check(report, 'env').detail).toBe(
        'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://localhost:6379 (the app does not take a Unix socket path)',
      );
    });

    it('reports a malformed AUTH_LOGTO_RESOURCES once, as the app words it, and probes none of it', async () => {
      const report = await doctor({ env: { AUTH_LOGTO_RESOURCES: `${issuer.apiResource}, api.books.example.com#x` } });
      expectOnlyFailure(report, 'env', /\.env\.local/);
      expect(check(report, 'env').detail).toBe(
        'AUTH_LOGTO_RESOURCES has "api.books.example.com#x", which is not an absolute URI (e.g. https://api.example.com, as in Logto Console → API resources)',
      );
      expect(check(report, 'api-resources').detail).toBe('not run: AUTH_LOGTO_RESOURCES is malformed (see the environment line)');
    });
  });

  describe('NEXTAUTH_SECRET', () => {
    it('fails on a long placeholder', async () => {
      const report = await doctor({ env: { NEXTAUTH_SECRET: 'please-change-me-to-something-long-enough' } });
      expectOnlyFailure(report, 'nextauth-secret', /openssl rand -base64 32/);
      expect(check(report, 'nextauth-secret').detail).toMatch(/placeholder/);
    });

    it('fails on a repeated pattern', async () => {
      const report = await doctor({ env: { NEXTAUTH_SECRET: 'a1b2'.repeat(10) } });
      expectOnlyFailure(report, 'nextauth-secret', /openssl rand/);
      expect(check(report, 'nextauth-secret').detail).toMatch(/repeats a short pattern/);
    });
  });

  it('fails plain http in production', async () => {
    const report = await doctor({ env: { NODE_ENV: 'production' } });
    expectOnlyFailure(report, 'https', /NEXTAUTH_URL=https:\/\//);
  });

  describe('discovery', () => {
    it("fails when the tenant's issuer differs from AUTH_LOGTO_ISSUER, and names the right one", async () => {
      const report = await doctor({ env: { AUTH_LOGTO_ISSUER: issuer.issuer.replace('localhost', '127.0.0.1') } });
      expectOnlyFailure(report, 'discovery', new RegExp(`AUTH_LOGTO_ISSUER=${issuer.issuer}$`));
    });

    it('hints at /oidc when AUTH_LOGTO_ISSUER lacks it', async () => {
      const report = await doctor({ env: { AUTH_LOGTO_ISSUER: issuer.issuer.replace(/\/oidc$/, '') } });
      // readLogtoEnv rejects it too; every other check runs against the document found under /oidc.
      expect(statusOf(report)).toEqual({ ...ALL_GOOD, env: 'fail', discovery: 'fail' });
      expect(check(report, 'env').detail).toMatch(/followed by \/oidc/);
      expect(check(report, 'discovery').fix).toBe(`set AUTH_LOGTO_ISSUER=${issuer.issuer} (your Logto endpoint followed by /oidc)`);
    });

    it('names ECONNREFUSED and port 3001 when nothing listens, and runs no probe', async () => {
      const port = await findFreePort();
      const report = await doctor({ env: { AUTH_LOGTO_ISSUER: `http://127.0.0.1:${port}/oidc` } });
      const network: CheckId[] = ['id-token-alg', 'logout-endpoints', 'clock-skew', 'client-credentials', 'redirect-uri', 'post-logout-redirect-uri'];
      expect(statusOf(report)).toEqual({ ...ALL_GOOD, discovery: 'fail', ...Object.fromEntries(network.map((id) => [id, 'skip'])) });
      expect(check(report, 'discovery').detail).toContain(`nothing listens at 127.0.0.1:${port} (ECONNREFUSED)`);
      expect(check(report, 'discovery').fix).toMatch(/Logto's default port is 3001, the same as the local issuer's/);
      expect(check(report, 'redirect-uri').detail).toBe('not run: no discovery document');
    });

    it('gives up after the timeout with the cause', async () => {
      const report = await doctor({
        timeoutMs: 200,
        fetch: (input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))),
      });
      expect(check(report, 'discovery').status).toBe('fail');
      expect(check(report, 'discovery').detail).toMatch(/did not answer within 0.2 s/);
    });
  });

  describe('ID token algorithm', () => {
    it('fails when the app expects an alg the tenant does not sign with', async () => {
      const report = await doctor({ env: { AUTH_LOGTO_ID_TOKEN_ALG: 'RS256' } });
      expectOnlyFailure(report, 'id-token-alg', /AUTH_LOGTO_ID_TOKEN_ALG=ES384 \(or leave it empty/);
      expect(check(report, 'id-token-alg').detail).toBe('the app expects RS256; the tenant signs ID tokens with ES384');
    });

    it('fails when the JWKS has no P-384 key for ES384', async () => {
      const report = await doctor({
        fetch: tamperingFetch({ jwks: ({ keys }) => ({ keys: keys.map((key) => ({ ...key, crv: 'P-256', alg: undefined })) }) }),
      });
      expectOnlyFailure(report, 'id-token-alg', /Signing keys/);
      expect(check(report, 'id-token-alg').detail).toMatch(/no EC P-384 key for ES384 \(it has: EC P-256\)/);
    });
  });

  it('fails when discovery lacks the revocation endpoint', async () => {
    const report = await doctor({ fetch: tamperingFetch({ discovery: (document) => ({ ...document, revocation_endpoint: undefined }) }) });
    expectOnlyFailure(report, 'logout-endpoints', /Logto always has both/);
    expect(check(report, 'logout-endpoints').detail).toMatch(/no revocation_endpoint/);
  });

  it('fails a clock a minute ahead of the issuer, and says by how much', async () => {
    const report = await doctor({ now: () => Date.now() + 60_000 });
    expectOnlyFailure(report, 'clock-skew', /NTP/);
    expect(check(report, 'clock-skew').detail).toMatch(/^this machine's clock is (59|60)\.\d s ahead of the issuer's \(limit 10 s\)/);
  });

  it('fails a wrong client secret (401 invalid_client)', async () => {
    const report = await doctor({ env: { AUTH_LOGTO_SECRET: 'not-the-secret' } });
    expectOnlyFailure(report, 'client-credentials', /App secret/);
    expect(check(report, 'client-credentials').detail).toMatch(/401 invalid_client/);
  });

  describe('registered URIs', () => {
    it('fails the callback alone when only it is not registered', async () => {
      const other = `${appUrl}/api/auth/callback/other`;
      const report = await doctor({
        fetch: tamperingFetch({
          request: (url) => {
            if (url.searchParams.has('redirect_uri') && url.searchParams.has('response_type')) url.searchParams.set('redirect_uri', other);
            return url;
          },
        }),
      });
      expectOnlyFailure(report, 'redirect-uri', /under "Redirect URIs"/);
      expect(check(report, 'redirect-uri').detail).toMatch(/400 invalid_redirect_uri/);
    });

    it('fails the post sign-out URI alone when only it is not registered', async () => {
      const report = await doctor({
        fetch: tamperingFetch({
          request: (url) => {
            if (url.searchParams.has('post_logout_redirect_uri')) url.searchParams.set('post_logout_redirect_uri', `${appUrl}/elsewhere`);
            return url;
          },
        }),
      });
      expectOnlyFailure(report, 'post-logout-redirect-uri', /under "Post sign-out redirect URIs"/);
      expect(check(report, 'post-logout-redirect-uri').detail).toMatch(/400 invalid_request: post_logout_redirect_uri not registered/);
    });

    it('fails both when NEXTAUTH_URL is an origin the tenant does not know', async () => {
      const elsewhere = `http://localhost:${await findFreePort()}`;
      const report = await doctor({ env: { NEXTAUTH_URL: elsewhere } });
      expect(statusOf(report)).toEqual({ ...ALL_GOOD, 'redirect-uri': 'fail', 'post-logout-redirect-uri': 'fail' });
      expect(check(report, 'redirect-uri').fix).toContain(`add ${elsewhere}/api/auth/callback/logto`);
      expect(check(report, 'post-logout-redirect-uri').fix).toContain(`add ${elsewhere} under`);
    });
  });

  describe('API resources', () => {
    it("passes the tenant's API resource", async () => {
      const report = await doctor({ env: { AUTH_LOGTO_RESOURCES: issuer.apiResource } });
      expect(statusOf(report)).toEqual({ ...ALL_GOOD, 'api-resources': 'pass' });
      expect(check(report, 'api-resources').detail).toBe(`${issuer.apiResource} accepted by the authorization endpoint`);
    });

    it('fails an API resource the tenant does not have (invalid_target)', async () => {
      const report = await doctor({ env: { AUTH_LOGTO_RESOURCES: `${issuer.apiResource}, https://api.unregistered.example.com` } });
      expectOnlyFailure(report, 'api-resources', /create this API resource .* or fix AUTH_LOGTO_RESOURCES/);
      expect(check(report, 'api-resources').detail).toBe('the issuer does not accept https://api.unregistered.example.com (invalid_target)');
    });

    it('fails an issuer that ignores resource indicators instead of passing every one', async () => {
      const report = await doctor({
        env: { AUTH_LOGTO_RESOURCES: issuer.apiResource },
        // The issuer never sees `resource`, as with an OpenID Provider without RFC 8707.
        fetch: tamperingFetch({
          request: (url) => {
            url.searchParams.delete('resource');
            return url;
          },
        }),
      });
      expectOnlyFailure(report, 'api-resources', /unset AUTH_LOGTO_RESOURCES/);
      expect(check(report, 'api-resources').detail).toMatch(/does not check resource indicators/);
    });
  });

  describe('back-channel logout', () => {
    it("passes npm run dev's local issuer, which posts logout tokens to the app on localhost", async () => {
      const report = await doctor({ backchannelReceiver: true, localIssuer: true });
      expect(statusOf(report)).toEqual({ ...ALL_GOOD, 'backchannel-logout': 'pass' });
      expect(check(report, 'backchannel-logout').detail).toContain(`the local issuer (not Logto) sends logout tokens to ${appUrl}/api/auth/backchannel-logout`);
    });

    it('warns, without failing the run, that self-hosted Logto 1.42 would skip the loopback back-channel URI', async () => {
      const report = await doctor({ backchannelReceiver: true });
      expect(statusOf(report)).toEqual({ ...ALL_GOOD, 'backchannel-logout': 'warn' });
      expect(report.ok).toBe(true);
      expect(check(report, 'backchannel-logout').detail).toMatch(
        new RegExp(`^${appUrl}/api/auth/backchannel-logout is on a loopback address: self-hosted Logto 1\\.42 and later skip`),
      );
      expect(check(report, 'backchannel-logout').fix).toContain('OIDC_PROVIDER_SSRF_PROTECTION_DISABLED=true');
    });

    it('fails when the issuer does not support it', async () => {
      const report = await doctor({
        backchannelReceiver: true,
        fetch: tamperingFetch({ discovery: (document) => ({ ...document, backchannel_logout_supported: undefined }) }),
      });
      expectOnlyFailure(report, 'backchannel-logout', /back-channel logout/);
    });
  });
});

describe('npm run doctor (the CLI)', () => {
  const root = join(__dirname, '..', '..');

  /** Runs scripts/doctor/cli.ts as `npm run doctor` does, with `env` over a clean Logto/next-auth environment. */
  function runCli(env: Record<string, string | undefined>) {
    const inherited = Object.entries(process.env).filter(([name]) => !/^(AUTH_LOGTO_|NEXTAUTH_|REDIS_URL$)/.test(name));
    // Empty values win over a developer's .env.local and count as unset, as in the app.
    const cleared = { AUTH_LOGTO_RESOURCES: '', AUTH_LOGTO_API_RESOURCE: '', AUTH_LOGTO_ID_TOKEN_ALG: '', REDIS_URL: '', NODE_ENV: 'development' as const };
    return spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/doctor/cli.ts'], {
      cwd: root,
      env: { ...Object.fromEntries(inherited), ...cleared, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
  }

  it('prints one line per check and exits 0 for a good configuration, a ⚠ with its fix included', () => {
    // The issuer is named in the environment, so the CLI takes it for a self-hosted Logto: the app on
    // localhost gets the back-channel warning.
    const { status, stdout, stderr } = runCli(goodEnv());
    expect(stderr).toBe('');
    expect(stdout.split('\n').filter((line) => line.startsWith('✓ '))).toHaveLength(10);
    expect(stdout).not.toContain('✗');
    expect(stdout).toMatch(/^✓ Redirect URI registered: .*\/api\/auth\/callback\/logto is accepted/m);
    expect(stdout).toMatch(/^⚠ Back-channel logout: .* is on a loopback address: .*\n {4}fix: register a back-channel logout URI at a public address/m);
    expect(stdout).toContain('No check failed; 1 warning to read (10 ✓, 1 ⚠, 1 not run).');
    expect(status).toBe(0);
  });

  it('prints ✗ with the fix underneath and exits 1 when a check fails, without a stack trace', () => {
    const { status, stdout, stderr } = runCli({ ...goodEnv(), AUTH_LOGTO_SECRET: 'not-the-secret' });
    expect(stdout).toMatch(/^✗ Client credentials: the token endpoint answered 401 invalid_client.*\n {4}fix: copy App ID and App secret/m);
    expect(stdout).toContain('1 check failed (9 ✓, 1 ⚠, 1 not run).');
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
    expect(status).toBe(1);
  });
});
