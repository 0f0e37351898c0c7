import { checkBackchannelLogout, type BackchannelSetup } from '../../scripts/doctor/backchannel-check';
import { isLogtoCloudHost, privateKindOfAddress, resolveHostAddress, type Lookup } from '../../scripts/doctor/host-address';

/**
 * A resolver that knows only `records`, and answers ENOTFOUND for any other name as getaddrinfo does:
 * the tests never ask real DNS. `asked` lists the names it was asked about.
 */
function fakeLookup(records: Record<string, string[]>): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const addresses = records[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

const DNS = {
  'app.example.com': ['203.0.113.10'],
  'app.corp.example.com': ['10.0.4.7'],
  'dual.example.com': ['203.0.113.11', 'fd12:3456::7'],
};

describe('checkBackchannelLogout', () => {
  const metadata = { backchannel_logout_supported: true };
  const CLOUD = 'https://tenant.logto.app/oidc';
  const SELF_HOSTED = 'https://auth.example.com/oidc';

  function check(setup: Partial<BackchannelSetup>, lookup = fakeLookup(DNS), timeoutMs = 2_000) {
    return checkBackchannelLogout({ receiver: true, metadata, ...setup }, { lookup, timeoutMs });
  }

  describe('with Logto Cloud', () => {
    it('fails when it would have to reach an app on localhost, and does not offer the self-hosted switch', async () => {
      const result = await check({ issuer: CLOUD, apiBase: 'http://localhost:3000/api/auth' });
      expect(result.status).toBe('fail');
      expect(result.detail).toBe(
        'Logto Cloud (tenant.logto.app) cannot send logout tokens to http://localhost:3000/api/auth/backchannel-logout: it is on a loopback address',
      );
      expect(result.fix).toMatch(/public https URL/);
      expect(result.fix).not.toContain('OIDC_PROVIDER_SSRF_PROTECTION_DISABLED');
    });

    it('fails when the app host name resolves to a private address', async () => {
      const result = await check({ issuer: CLOUD, apiBase: 'https://app.corp.example.com/api/auth' });
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('it is on a private address (app.corp.example.com resolves to 10.0.4.7)');
    });

    it('passes a public app', async () => {
      const result = await check({ issuer: CLOUD, apiBase: 'https://app.example.com/api/auth' });
      expect(result.status).toBe('pass');
      expect(result.detail).toMatch(/^supported, and https:\/\/app\.example\.com\/api\/auth\/backchannel-logout is on a public address; register it/);
    });
  });

  describe('with self-hosted Logto', () => {
    it('warns that Logto 1.42 skips a loopback back-channel URI, with both ways out', async () => {
      const lookup = fakeLookup(DNS);
      const result = await check({ issuer: SELF_HOSTED, apiBase: 'http://127.0.0.1:3000/api/auth' }, lookup);
      expect(result.status).toBe('warn');
      expect(result.detail).toBe(
        'http://127.0.0.1:3000/api/auth/backchannel-logout is on a loopback address: self-hosted Logto 1.42 and later skip back-channel logout calls ' +
          "to loopback and private addresses, silently, so a sign-out at Logto would not end this app's session",
      );
      expect(result.fix).toMatch(/^register a back-channel logout URI at a public address Logto can reach/);
      expect(result.fix).toContain('start the Logto server with OIDC_PROVIDER_SSRF_PROTECTION_DISABLED=true');
      expect(lookup.asked).toEqual([]);
    });

    it.each([
      ['localhost', 'http://localhost:3000/api/auth', 'loopback address'],
      ['::1', 'http://[::1]:3000/api/auth', 'loopback address'],
      ['a link-local address', 'http://169.254.10.20/api/auth', 'link-local address'],
      ['a unique local IPv6 address', 'http://[fd00::5]/api/auth', 'private address'],
      ['a host that resolves to a private address', 'https://app.corp.example.com/api/auth', 'private address (app.corp.example.com resolves to 10.0.4.7)'],
      ['a host with one private address among public ones', 'https://dual.example.com/api/auth', 'private address (dual.example.com resolves to fd12:3456::7)'],
    ])('warns for %s', async (_case, apiBase, where) => {
      const result = await check({ issuer: SELF_HOSTED, apiBase });
      expect(result.status).toBe('warn');
      expect(result.detail).toContain(`/api/auth/backchannel-logout is on a ${where}: self-hosted Logto 1.42 and later skip`);
    });

    it('passes a public app', async () => {
      const lookup = fakeLookup(DNS);
      const result = await check({ issuer: SELF_HOSTED, apiBase: 'https://app.example.com/api/auth' }, lookup);
      expect(result.status).toBe('pass');
      expect(result.fix).toBeUndefined();
      expect(lookup.asked).toEqual(['app.example.com']);
    });

    it('warns, on a line of its own, when the app host name does not resolve', async () => {
      const result = await check({ issuer: SELF_HOSTED, apiBase: 'https://nowhere.example.com/api/auth' });
      expect(result.status).toBe('warn');
      expect(result.detail).toBe(
        'the host name nowhere.example.com of NEXTAUTH_URL does not resolve here (ENOTFOUND), so the doctor cannot tell whether Logto can reach https://nowhere.example.com/api/auth/backchannel-logout',
      );
      expect(result.fix).toMatch(/^check the host name in NEXTAUTH_URL/);
    });

    it('gives up on a resolver that does not answer within the timeout', async () => {
      const silent: Lookup = () => new Promise(() => {});
      const result = await check({ issuer: SELF_HOSTED, apiBase: 'https://app.example.com/api/auth' }, Object.assign(silent, { asked: [] }), 50);
      expect(result.status).toBe('warn');
      expect(result.detail).toContain('does not resolve here (no answer within 0.05 s)');
    });
  });

  it("passes npm run dev's local issuer, which is not Logto, and says what Logto would do", async () => {
    const result = await check({ issuer: 'http://localhost:3001/oidc', apiBase: 'http://localhost:3000/api/auth', localIssuer: true });
    expect(result.status).toBe('pass');
    expect(result.detail).toMatch(/the local issuer \(not Logto\) sends logout tokens to .* that self-hosted Logto ≥ 1\.42 would skip/);
  });

  it('is not run when the app has no receiver', async () => {
    expect((await check({ receiver: false, issuer: CLOUD, apiBase: 'http://localhost:3000/api/auth' })).status).toBe('skip');
  });
});

describe('resolveHostAddress', () => {
  it.each([
    ['localhost', 'loopback'],
    ['app.localhost', 'loopback'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['[::1]', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['[fc00::1]', 'private'],
    ['[fdff:ffff::1]', 'private'],
    ['169.254.169.254', 'link-local'],
    ['[fe80::1]', 'link-local'],
    ['[febf::1]', 'link-local'],
    ['app.local', 'private'],
    ['intranet', 'private'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['192.169.0.1', 'public'],
    ['[2001:db8::1]', 'public'],
    ['[fec0::1]', 'public'],
  ])('counts %s as %s without asking DNS', async (host, kind) => {
    const lookup = fakeLookup({});
    expect((await resolveHostAddress(host, lookup, 1_000)).kind).toBe(kind);
    expect(lookup.asked).toEqual([]);
  });

  it('resolves any other name and reports the first loopback, private or link-local address', async () => {
    const lookup = fakeLookup({ 'api.example.com': ['203.0.113.5', '127.0.0.1'] });
    await expect(resolveHostAddress('api.example.com', lookup, 1_000)).resolves.toEqual({ kind: 'loopback', address: '127.0.0.1' });
    await expect(resolveHostAddress('app.example.com', fakeLookup(DNS), 1_000)).resolves.toEqual({ kind: 'public' });
  });

  it('classifies the addresses a resolver can return', () => {
    expect(privateKindOfAddress('::ffff:10.0.0.1')).toBe('private');
    expect(privateKindOfAddress('0:0:0:0:0:0:0:1')).toBe('loopback');
    expect(privateKindOfAddress('2606:4700::1111')).toBeUndefined();
  });
});

describe('isLogtoCloudHost', () => {
  it.each(['tenant.logto.app', 'abc123.LOGTO.app', 'auth.logto.io', 'cloud.logto.io'])('counts %s as Logto Cloud', (host) => {
    expect(isLogtoCloudHost(host)).toBe(true);
  });

  it.each(['auth.example.com', 'logto.app.example.com', 'notlogto.app', 'localhost'])('counts %s as self-hosted', (host) => {
    expect(isLogtoCloudHost(host)).toBe(false);
  });
});
