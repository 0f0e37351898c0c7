import { decodeJwt } from 'jose';
import { startIssuerProcess } from './helpers/issuer-process';
import { signIn } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';
const ORGANIZATION_SCOPES = 'openid offline_access profile urn:logto:scope:organizations urn:logto:scope:organization_roles';

describe('local issuer: LOCAL_ISSUER_BULK_ORGANIZATIONS', () => {
  it('puts alice in that many more organizations, in her ID token', async () => {
    const issuer = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_BULK_ORGANIZATIONS: '100' });
    try {
      const { tokens } = await signIn(issuer, APP_URL, 'alice', { scope: ORGANIZATION_SCOPES });
      const claims = decodeJwt(String(tokens.id_token));
      expect(claims.organizations).toHaveLength(102);
      expect(claims.organizations).toEqual(expect.arrayContaining(['org-acme', 'org-bulk-0001', 'org-bulk-0100']));
      expect(claims.organization_roles).toEqual(expect.arrayContaining(['org-bulk-0100:member']));
    } finally {
      await issuer.stop();
    }
  });

  it('refuses to start with a value that is no whole number, naming the variable', async () => {
    await expect(startIssuerProcess(APP_URL, { LOCAL_ISSUER_BULK_ORGANIZATIONS: 'many' })).rejects.toThrow(
      /LOCAL_ISSUER_BULK_ORGANIZATIONS must be a whole number/,
    );
  });
});
