import { createHash } from 'node:crypto';

import { SignJWT, decodeJwt, importJWK } from 'jose';

/** The RFC 8414 metadata route, relative to the issuer (oidc-provider 9 serves it; Logto 1.37 did not). */
const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';

/**
 * Puts back what Logto 1.37 (a fork of oidc-provider 8.6) did where oidc-provider 9 — and Logto 1.42 —
 * answer differently, for `LOCAL_ISSUER_LOGTO_VERSION=1.37`:
 * - ID tokens from the token endpoint carry the header `typ: "JWT"` and the claim `at_hash`;
 * - revoking a JWT access token answers 200 and revokes nothing (1.42: 400 `unsupported_token_type`);
 * - `/.well-known/oauth-authorization-server` does not exist (404).
 * Revoking an opaque access token without revoking its grant is provider-config.mjs's `allowedPolicy`.
 * @param {import('oidc-provider').Provider} provider
 * @param {{ signingJwk: import('jose').JWK }} options The issuer's private signing key (ES384).
 * @see https://github.com/logto-io/logto/blob/master/packages/core/CHANGELOG.md (1.42.0, "upgrade the OIDC provider to node-oidc-provider v9")
 */
export async function installLogto137Behaviour(provider, { signingJwk }) {
  const key = await importJWK(signingJwk, signingJwk.alg);

  provider.use(async (ctx, next) => {
    if (ctx.path === AUTHORIZATION_SERVER_METADATA_PATH) {
      // oidc-provider 8's answer to a route it does not have (lib/helpers/initialize_app.js).
      ctx.status = 404;
      ctx.body = {
        error: 'invalid_request',
        error_description: `unrecognized route or not allowed method (${ctx.method} on ${ctx.path})`,
      };
      return;
    }
    await next();

    const route = ctx.oidc?.route;
    if (route === 'token' && ctx.status === 200 && typeof ctx.body?.id_token === 'string') {
      ctx.body.id_token = await resignIdToken(ctx.body.id_token, ctx.body.access_token, { key, jwk: signingJwk });
    }
    // oidc-provider 8's revocation looked JWT access tokens up like opaque ones, found none and answered 200.
    if (route === 'revocation' && ctx.status === 400 && ctx.body?.error === 'unsupported_token_type') {
      ctx.status = 200;
      ctx.body = '';
    }
  });
}

/**
 * The same ID token signed as oidc-provider 8 did: header `{ alg, typ: "JWT", kid }`, and `at_hash`, the
 * left half of the hash of the access token (OIDC Core §3.1.3.6; SHA-384 for ES384).
 */
async function resignIdToken(idToken, accessToken, { key, jwk }) {
  const payload = decodeJwt(idToken);
  if (typeof accessToken === 'string') {
    const digest = createHash(`sha${jwk.alg.slice(2)}`).update(accessToken).digest();
    payload.at_hash = digest.subarray(0, digest.length / 2).toString('base64url');
  }
  return new SignJWT(payload).setProtectedHeader({ alg: jwk.alg, typ: 'JWT', kid: jwk.kid }).sign(key);
}
