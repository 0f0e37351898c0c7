import { LOGTO_VERSION, startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';

const APP_URL = 'http://app.example.com';

let issuer: IssuerProcess;

beforeAll(async () => {
  issuer = await startIssuerProcess(APP_URL);
});

afterAll(async () => {
  await issuer?.stop();
});

async function getJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe(`local issuer as Logto ${LOGTO_VERSION}: discovery`, () => {
  it('serves the OpenID Provider metadata at <issuer>/.well-known/openid-configuration', async () => {
    const { status, body } = await getJson(`${issuer.issuer}/.well-known/openid-configuration`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: issuer.issuer,
      token_endpoint: `${issuer.issuer}/token`,
      revocation_endpoint: `${issuer.issuer}/token/revocation`,
      id_token_signing_alg_values_supported: ['ES384'],
      code_challenge_methods_supported: ['S256'],
    });
    // Logto keeps oidc-provider's DPoP off (1.42: core/src/oidc/init.ts).
    expect(body).not.toHaveProperty('dpop_signing_alg_values_supported');
  });

  if (LOGTO_VERSION === '1.42') {
    it('serves the same document as RFC 8414 metadata at <issuer>/.well-known/oauth-authorization-server, as Logto 1.42 does', async () => {
      const [openid, oauth] = await Promise.all([
        getJson(`${issuer.issuer}/.well-known/openid-configuration`),
        getJson(`${issuer.issuer}/.well-known/oauth-authorization-server`),
      ]);

      expect(oauth.status).toBe(200);
      expect(oauth.body).toEqual(openid.body);
    });
  } else {
    it('answers 404 at <issuer>/.well-known/oauth-authorization-server, as Logto 1.37 did', async () => {
      const { status, body } = await getJson(`${issuer.issuer}/.well-known/oauth-authorization-server`);

      expect(status).toBe(404);
      expect(body).toMatchObject({ error: 'invalid_request' });
    });
  }
});
