import { checkBackchannelLogout, isPrivateHost } from '../../scripts/doctor/backchannel-check';

describe('checkBackchannelLogout', () => {
  const supported = { backchannel_logout_supported: true };

  it('fails when a tenant on the internet would have to reach an app on localhost', () => {
    const result = checkBackchannelLogout(true, 'https://tenant.logto.app/oidc', 'http://localhost:3000/api/auth', supported);
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('logout tokens cannot reach http://localhost:3000/api/auth/backchannel-logout');
    expect(result.fix).toMatch(/public https URL/);
  });

  it('passes a tenant on the internet and a public app', () => {
    expect(checkBackchannelLogout(true, 'https://tenant.logto.app/oidc', 'https://app.example.com/api/auth', supported).status).toBe('pass');
  });

  it('is not run when the app has no receiver', () => {
    expect(checkBackchannelLogout(false, 'https://tenant.logto.app/oidc', 'http://localhost:3000/api/auth', supported).status).toBe('skip');
  });
});

describe('isPrivateHost', () => {
  it.each(['localhost', '127.0.0.1', '[::1]', '10.1.2.3', '172.20.0.5', '192.168.1.10', 'app.local', 'intranet'])('counts %s as private', (host) => {
    expect(isPrivateHost(host)).toBe(true);
  });

  it.each(['tenant.logto.app', '8.8.8.8', '172.32.0.1', '[2001:db8::1]'])('counts %s as public', (host) => {
    expect(isPrivateHost(host)).toBe(false);
  });
});
