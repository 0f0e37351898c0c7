import { createHash } from 'node:crypto';

import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Issuer } from 'openid-client';

import { LOGTO_VERSION, startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { refresh, signIn } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';

let issuer: IssuerProcess;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  issuer = await startIssuerProcess(APP_URL);
  jwks = createRemoteJWKSet(new URL(`${issuer.issuer}/jwks`));
});

afterAll(async () => {
  await issuer?.stop();
});

/** OIDC Core §3.1.3.6: the left half of the access token's hash, SHA-384 for ES384, base64url. */
function atHashOf(accessToken: unknown): string {
  const digest = createHash('sha384').update(String(accessToken)).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The ID tokens of a code exchange and of refresh grants without and with an API resource, with their access tokens. */
async function tokenEndpointIdTokens() {
  const { tokens } = await signIn(issuer, APP_URL, 'alice', {
    scope: 'openid offline_access profile read:books',
    resources: [issuer.apiResource],
  });
  const refreshed = await refresh(issuer, tokens.refresh_token!);
  const forResource = await refresh(issuer, tokens.refresh_token!, { resource: issuer.apiResource });
  return [
    { grant: 'authorization_code', idToken: String(tokens.id_token), accessToken: tokens.access_token },
    { grant: 'refresh_token', idToken: String(refreshed.body.id_token), accessToken: refreshed.body.access_token },
    { grant: 'refresh_token with resource', idToken: String(forResource.body.id_token), accessToken: forResource.body.access_token },
  ];
}

describe(`local issuer as Logto ${LOGTO_VERSION}: ID tokens from the token endpoint`, () => {
  it('signs them ES384 with the key the JWKS publishes', async () => {
    for (const { idToken } of await tokenEndpointIdTokens()) {
      const { payload, protectedHeader } = await jwtVerify(idToken, jwks, { issuer: issuer.issuer, audience: issuer.clientId });
      expect(protectedHeader.alg).toBe('ES384');
      expect(payload.sub).toBe('alice-demo');
    }
  });

  it("pass openid-client 5's validation (signature, claims, at_hash when present), which the kit relies on", async () => {
    const { Client } = await Issuer.discover(issuer.issuer);
    const client = new Client({
      client_id: issuer.clientId,
      client_secret: issuer.clientSecret,
      id_token_signed_response_alg: 'ES384',
    });
    const { tokens } = await signIn(issuer, APP_URL, 'alice', {
      scope: 'openid offline_access profile read:books',
      resources: [issuer.apiResource],
    });

    const refreshed = await client.refresh(tokens.refresh_token!);
    const forResource = await client.refresh(tokens.refresh_token!, { exchangeBody: { resource: issuer.apiResource } });

    expect(refreshed.claims().sub).toBe('alice-demo');
    expect(forResource.claims().sub).toBe('alice-demo');
  });

  if (LOGTO_VERSION === '1.42') {
    it('carry no typ header, as Logto 1.42 signs them', async () => {
      for (const { idToken } of await tokenEndpointIdTokens()) {
        expect(decodeProtectedHeader(idToken)).toEqual({ alg: 'ES384', kid: expect.any(String) });
      }
    });

    it('carry no at_hash, as Logto 1.42 issues them', async () => {
      for (const { grant, idToken } of await tokenEndpointIdTokens()) {
        const { payload } = await jwtVerify(idToken, jwks);
        expect({ grant, claims: Object.keys(payload) }).toEqual({ grant, claims: expect.not.arrayContaining(['at_hash']) });
      }
    });
  } else {
    it('carry the header typ JWT, as Logto 1.37 signs them', async () => {
      for (const { idToken } of await tokenEndpointIdTokens()) {
        expect(decodeProtectedHeader(idToken)).toEqual({ alg: 'ES384', typ: 'JWT', kid: expect.any(String) });
      }
    });

    it("carry at_hash, the left half of the SHA-384 of the access token, as Logto 1.37 issues them", async () => {
      for (const { grant, idToken, accessToken } of await tokenEndpointIdTokens()) {
        const { payload } = await jwtVerify(idToken, jwks);
        expect({ grant, atHash: payload.at_hash }).toEqual({ grant, atHash: atHashOf(accessToken) });
      }
    });
  }
});
