import { LOGTO_VERSION, startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { refresh, revoke, signIn, userinfoStatus } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';

let issuer: IssuerProcess;

beforeAll(async () => {
  issuer = await startIssuerProcess(APP_URL);
});

afterAll(async () => {
  await issuer?.stop();
});

describe(`local issuer as Logto ${LOGTO_VERSION}: token revocation (RFC 7009)`, () => {
  it('revokes the grant when the refresh token is revoked', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice');

    const revocation = await revoke(issuer, tokens.refresh_token!, 'refresh_token');

    // RFC 7009 §2.2: 200 with an empty body.
    expect(revocation).toEqual({ status: 200, body: '' });
    expect((await refresh(issuer, tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(401);
  });

  it('revokes an opaque access token, which userinfo then refuses', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice');
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(200);

    const revocation = await revoke(issuer, tokens.access_token, 'access_token');

    expect(revocation).toEqual({ status: 200, body: '' });
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(401);
  });

  if (LOGTO_VERSION === '1.42') {
    it("revokes the whole grant with the opaque access token: the refresh token stops working, as in Logto 1.42", async () => {
      const { tokens } = await signIn(issuer, APP_URL, 'alice');

      await revoke(issuer, tokens.access_token, 'access_token');

      const refreshed = await refresh(issuer, tokens.refresh_token!);
      expect(refreshed.status).toBe(400);
      expect(refreshed.body.error).toBe('invalid_grant');
    });

    it('answers 400 unsupported_token_type to a JWT access token, as Logto 1.42 does', async () => {
      const { tokens } = await signIn(issuer, APP_URL, 'alice', { resources: [issuer.apiResource] });
      const forResource = await refresh(issuer, tokens.refresh_token!, { resource: issuer.apiResource });

      const revocation = await revoke(issuer, String(forResource.body.access_token), 'access_token');

      expect(revocation.status).toBe(400);
      expect(JSON.parse(revocation.body)).toMatchObject({ error: 'unsupported_token_type' });
      expect((await refresh(issuer, tokens.refresh_token!)).status).toBe(200);
    });
  } else {
    it('leaves the grant and its refresh token usable after the opaque access token is revoked, as Logto 1.37 did', async () => {
      const { tokens } = await signIn(issuer, APP_URL, 'alice');

      await revoke(issuer, tokens.access_token, 'access_token');

      const refreshed = await refresh(issuer, tokens.refresh_token!);
      expect(refreshed.status).toBe(200);
      expect(await userinfoStatus(issuer, String(refreshed.body.access_token))).toBe(200);
    });

    it('answers 200 to a JWT access token and revokes nothing, as Logto 1.37 did', async () => {
      const { tokens } = await signIn(issuer, APP_URL, 'alice', { resources: [issuer.apiResource] });
      const forResource = await refresh(issuer, tokens.refresh_token!, { resource: issuer.apiResource });

      const revocation = await revoke(issuer, String(forResource.body.access_token), 'access_token');

      expect(revocation).toEqual({ status: 200, body: '' });
      expect((await refresh(issuer, tokens.refresh_token!)).status).toBe(200);
    });
  }
});
