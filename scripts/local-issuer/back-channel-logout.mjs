import { randomUUID } from 'node:crypto';

import { SignJWT, importJWK } from 'jose';

/** The `events` member that marks a JWT as a logout token (Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Logto gives a back-channel logout receiver this long to answer. */
const DELIVERY_TIMEOUT_MS = 2500;

/** Lifetime of a logout token since Logto 1.42 (oidc-provider 9 sets `exp = iat + 120`), in seconds. */
const LOGOUT_TOKEN_TTL = 120;

/**
 * Makes the provider's clients send logout tokens the way Logto does: a form POST of
 * `logout_token`, signed ES384 with `typ: logout+jwt`, carrying iss, aud, sub, iat, jti, events,
 * `sid` when the client registered `backchannel_logout_session_required`, and `exp = iat + 120`
 * when `withExp` (Logto 1.42, oidc-provider 9) — Logto 1.37 (oidc-provider 8) sent no `exp`. The token
 * is built here and oidc-provider keeps deciding when to send it (end_session) and reporting the
 * outcome (`backchannel.success`, `backchannel.error`).
 * @param {import('oidc-provider').Provider} provider
 * @param {{ signingJwk: import('jose').JWK, withExp: boolean }} options
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#LogoutToken
 */
export async function installLogtoLogoutTokens(provider, { signingJwk, withExp }) {
  const key = await importJWK(signingJwk, signingJwk.alg);
  const header = { alg: signingJwk.alg, typ: 'logout+jwt', kid: signingJwk.kid };

  provider.Client.prototype.backchannelLogout = async function sendLogoutToken(sub, sid) {
    const claims = {
      sub,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
      ...(this.backchannelLogoutSessionRequired && sid ? { sid } : {}),
    };
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = new SignJWT(claims)
      .setProtectedHeader(header)
      .setIssuer(provider.issuer)
      .setAudience(this.clientId)
      .setIssuedAt(issuedAt)
      .setJti(randomUUID());
    if (withExp) token.setExpirationTime(issuedAt + LOGOUT_TOKEN_TTL);
    const logoutToken = await token.sign(key);

    const response = await fetch(this.backchannelLogoutUri, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: logoutToken }),
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    // Back-Channel Logout 1.0 §2.8: the RP answers 200 OK (204 is accepted too) when it succeeded.
    if (response.status !== 200 && response.status !== 204) {
      throw new Error(`expected 200 OK from ${this.backchannelLogoutUri}, got ${response.status}`);
    }
  };
}

/**
 * Ends every session of user `sub`, as a sign-out from end_session does: each client the session
 * signed in to that registered a `backchannel_logout_uri` gets a logout token, grants without
 * `offline_access` are revoked (those with it survive, as they do at end_session), and the session
 * is destroyed. `sessions` lists the stored session ids and payloads.
 * @returns {Promise<{ sessions: number, notified: { clientId: string, sid: string | undefined, delivered: boolean, error?: string }[] }>}
 */
export async function endSessionsOf(provider, sessions, sub) {
  const notified = [];
  let ended = 0;
  for (const [id, payload] of sessions) {
    if (payload.accountId !== sub) continue;
    const session = await provider.Session.find(id);
    if (!session) continue;

    for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
      const client = await provider.Client.find(clientId);
      if (client?.backchannelLogoutUri) {
        const outcome = { clientId, sid: authorization.sid, delivered: true };
        try {
          await client.backchannelLogout(sub, authorization.sid);
        } catch (error) {
          Object.assign(outcome, { delivered: false, error: error.message });
        }
        notified.push(outcome);
      }
      if (authorization.grantId && !authorization.persistsLogout) {
        await revokeGrant(provider, authorization.grantId);
      }
    }
    await session.destroy();
    ended += 1;
  }
  return { sessions: ended, notified };
}

async function revokeGrant(provider, grantId) {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.Grant.adapter.destroy(grantId),
  ]);
}
