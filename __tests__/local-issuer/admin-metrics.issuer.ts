import { startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { refresh, revoke, signIn } from './helpers/oidc-flow';

const APP_URL = 'http://127.0.0.1:3999';

describe('local issuer: GET /admin/metrics', () => {
  let issuer: IssuerProcess;

  beforeAll(async () => {
    issuer = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_BACKCHANNEL_LOGOUT_URI: 'off' });
  });
  afterAll(() => issuer?.stop());

  async function metrics() {
    const response = await fetch(`${issuer.url}/admin/metrics`);
    expect(response.status).toBe(200);
    return (await response.json()) as { grants: Record<string, number>; grantErrors: number; revokedGrants: number };
  }

  it('counts the grants served by type, the failed ones and the revoked grants', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice');
    const first = await refresh(issuer, tokens.refresh_token!);
    // RFC 7009: revoking the refresh token revokes its grant; the next refresh fails. (Reusing a rotated
    // refresh token counts the same way, see refresh-token-rotation.issuer.ts.)
    const revocation = await revoke(issuer, tokens.refresh_token!);
    const afterRevocation = await refresh(issuer, tokens.refresh_token!);

    expect(first.status).toBe(200);
    expect(revocation.status).toBe(200);
    expect(afterRevocation.status).toBe(400);
    expect(await metrics()).toEqual({
      grants: { authorization_code: 1, refresh_token: 1 },
      grantErrors: 1,
      revokedGrants: 1,
    });
  });

  it('answers 405 to other methods', async () => {
    const response = await fetch(`${issuer.url}/admin/metrics`, { method: 'POST' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});
