import { startHostApp, type HostApp } from '../logto-kit/helpers/host-app';
import { sessionCookieHeader, signIn } from '../logto-kit/helpers/sign-in-flow';
import { ORGANIZATIONS_SCOPE } from '../logto-kit/helpers/test-issuer';

/** `count` organizations with two roles each, ids shaped like Logto's. */
function organizations(count: number): Record<string, string[]> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`org${String(i).padStart(9, '0')}`, ['member', 'viewer']]));
}

// The session cookie grows with the id_token's organizations; past 3 chunks (~12 KB) proxies start refusing it.
describe('/api/auth/callback/logto session cookie size', () => {
  let host: HostApp;

  beforeAll(async () => {
    host = await startHostApp({ env: { AUTH_LOGTO_SCOPES: `${ORGANIZATIONS_SCOPE} urn:logto:scope:organization_roles` } });
  });
  afterAll(() => host.close());

  const warnings = () => host.logs.filter((line) => line.includes('LOGTO_SESSION_COOKIE_LARGE'));

  it('stays one chunk with 10 organizations and warns about nothing', async () => {
    host.issuer.tenant = { resources: [], roles: {}, userRoles: {}, memberships: { [host.issuer.user.sub]: organizations(10) }, organizationRoles: {} };
    const { callbackResponse } = await signIn(host.browser(), host.issuer);
    expect(sessionCookieHeader(callbackResponse)).not.toContain('next-auth.session-token.0=');
    expect(warnings()).toEqual([]);
  });

  it('warns once, with the fix, when a session cookie passes 3 chunks', async () => {
    host.issuer.tenant.memberships = { [host.issuer.user.sub]: organizations(100) };
    const first = await signIn(host.browser(), host.issuer);
    expect(sessionCookieHeader(first.callbackResponse)).toContain('next-auth.session-token.3=');
    await signIn(host.browser(), host.issuer);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/"chunks":[4-9].*tokenStorage: \\"server\\"/);
  });
});
