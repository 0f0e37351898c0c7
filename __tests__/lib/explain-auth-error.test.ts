import { errors } from 'openid-client';
import { describeError, explainAuthError } from '@/lib/logto/log/explain-auth-error';
import { IssuerMismatchError } from '@/lib/logto/oidc/issuer-cache';

const { OPError, RPError } = errors;

const ISSUER = 'https://tenant.logto.example.com/oidc';

/** What next-auth v4 logs for a failed OAuth callback: openid-client's error, copied into its own wrapper. */
function nextAuthCallbackError(error: Error) {
  const wrapper = new Error(error.message);
  wrapper.name = 'OAuthCallbackError';
  return { error: wrapper, providerId: 'logto' };
}

/** Test table rows `[message, error]`, so each test name shows the message it explains. */
function byMessage(...list: Error[]): [string, Error][] {
  return list.map((error) => [error.message, error]);
}

/** A Node network error as openid-client's HTTP client rejects with it. */
function networkError(code: string, message: string) {
  return Object.assign(new Error(message), { code });
}

describe('explainAuthError', () => {
  it('explains an ECONNREFUSED the database of the sessions gave as the database’s, not Logto’s', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');

    for (const code of ['SESSION_ERROR', 'adapter_error_getSessionAndUser', 'LOGTO_DATABASE_ERROR']) {
      expect(explainAuthError(refused, code)?.cause).toMatch(/^the database of the sessions/);
    }
    expect(explainAuthError(refused, 'OAUTH_CALLBACK_ERROR')?.cause).toBe('Logto could not be reached or answered with an error');
  });

  it('names the alg Logto used and the one the app expects, with the env variable that fixes it', () => {
    const error = new RPError('unexpected JWT alg received, expected %s, got: %s', 'ES384', 'RS256');
    expect(explainAuthError(nextAuthCallbackError(error))).toEqual({
      cause: 'Logto signed the ID token with RS256 but this app expects ES384',
      fix: 'set AUTH_LOGTO_ID_TOKEN_ALG=RS256 in .env.local if your tenant really signs with RS256 (Logto signs with ES384 by default)',
    });
  });

  it.each(['none', 'HS256'])('never suggests configuring the refused alg %s', (alg) => {
    const error = new RPError('unexpected JWT alg received, expected %s, got: %s', 'ES384', alg);
    const explanation = explainAuthError(error);
    expect(explanation?.cause).toBe(`Logto signed the ID token with ${alg} but this app expects ES384`);
    expect(explanation?.fix).not.toContain('AUTH_LOGTO_ID_TOKEN_ALG=');
    expect(explanation?.fix).toContain('never accepts unsigned or HS* ID tokens');
  });

  it.each([
    ['the id_token iss claim', new RPError('unexpected iss value, expected %s, got: %s', ISSUER, 'https://evil.example.com/oidc')],
    ['the iss parameter of the authorization response', new RPError('iss mismatch, expected %s, got: %s', ISSUER, 'https://evil.example.com/oidc')],
  ])('explains a wrong issuer in %s', (_where, error) => {
    expect(explainAuthError(error)?.cause).toBe(`the token was issued by https://evil.example.com/oidc, not by ${ISSUER}`);
  });

  it.each(
    byMessage(
      new RPError('aud mismatch, expected %s, got: %s', 'fixture-app-id', 'another-app-id'),
      new RPError('aud is missing the client_id, expected %s to be included in %j', 'fixture-app-id', ['another-app-id']),
      new RPError({ message: 'missing required JWT property azp' }),
      new RPError('azp mismatch, got: %s', 'another-app-id'),
    ),
  )('explains an id_token meant for another audience: "%s"', (_message, error) => {
    expect(explainAuthError(error)).toEqual({
      cause: 'the ID token was issued for another application',
      fix: 'check that AUTH_LOGTO_ID is the App ID of this Logto application',
    });
  });

  it.each(
    byMessage(
      new RPError('state mismatch, expected %s, got: %s', 'state-from-cookie', 'tampered'),
      new TypeError('State cookie was missing.'),
      new TypeError('PKCE code_verifier cookie was missing.'),
      new TypeError('Nonce cookie was missing.'),
    ),
  )('explains a callback that does not belong to this browser: "%s"', (_message, error) => {
    expect(explainAuthError(error)?.cause).toBe(
      'the callback does not belong to a sign-in started in this browser (state/PKCE/nonce cookie missing or mismatched)',
    );
  });

  it('explains a nonce mismatch', () => {
    const error = new RPError('nonce mismatch, expected %s, got: %s', 'nonce-from-cookie', 'another-nonce');
    expect(explainAuthError(error)?.cause).toBe('the ID token nonce does not match this sign-in');
  });

  it('explains an expired id_token with a clock hint', () => {
    const error = new RPError('JWT expired, now %i, exp %i', 1764205200, 1764201600);
    expect(explainAuthError(error)).toEqual({
      cause: 'the ID token is expired or not yet valid',
      fix: "check that the server's clock is right (NTP)",
    });
  });

  it.each(
    byMessage(
      new RPError({ message: 'failed to validate JWT signature' }),
      new RPError("no valid key found in issuer's jwks_uri for key parameters %j", { kid: 'unknown-kid', alg: 'ES384' }),
    ),
  )('explains a signature no key of the JWKS verifies: "%s"', (_message, error) => {
    expect(explainAuthError(error)?.cause).toBe("the ID token signature does not match any key in Logto's JWKS");
  });

  it('explains refused client credentials', () => {
    const error = new OPError({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(explainAuthError(nextAuthCallbackError(error))?.fix).toBe(
      'check AUTH_LOGTO_ID and AUTH_LOGTO_SECRET against the Logto Console (Applications → your app)',
    );
  });

  it('explains a refused grant', () => {
    const error = new OPError({ error: 'invalid_grant', error_description: 'code not found or already used' });
    expect(explainAuthError(error)?.cause).toBe('Logto refused the grant (code or refresh token used, expired or revoked)');
  });

  it('explains a sign-in the user cancelled at Logto', () => {
    // next-auth turns the callback's `error=access_denied` into a plain Error and logs it with the description.
    const metadata = { error: new Error('access_denied'), error_description: 'The user cancelled', providerId: 'logto' };
    expect(explainAuthError(metadata)?.cause).toBe('the user cancelled the sign-in or was denied access at Logto');
  });

  it('explains a refresh or token grant refused by Logto’s app-level access control, with the Console fix', () => {
    // Logto ≥ 1.41 answers every grant of a refused user 400 access_denied "Access denied.".
    const error = new OPError({ error: 'access_denied', error_description: 'Access denied.' });
    expect(explainAuthError(error)).toEqual({
      cause: "Logto's app-level access control refuses this user",
      fix: expect.stringContaining('Applications → this app → Rules'),
    });
  });

  it('explains a discovery document that names another issuer', () => {
    const error = new IssuerMismatchError(
      `The discovery document at ${ISSUER}/.well-known/openid-configuration names the issuer "https://other.example.com/oidc"`,
    );
    expect(explainAuthError(error)?.cause).toBe('the discovery document belongs to another issuer');
  });

  it.each(
    byMessage(
      networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3001'),
      networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND tenant.logto.example.com'),
      new RPError('outgoing request timed out after %dms', 3500),
      new RPError('expected %i %s, got: %i %s', 200, 'OK', 503, 'Service Unavailable'),
      new OPError({ error: 'server_error' }),
    ),
  )('explains Logto being unreachable or failing: "%s"', (_message, error) => {
    expect(explainAuthError(error)).toEqual({
      cause: 'Logto could not be reached or answered with an error',
      fix: 'check AUTH_LOGTO_ISSUER and that the server can reach it',
    });
  });

  it('finds the cause of an error wrapped by fetch', () => {
    const error = new TypeError('fetch failed', { cause: networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3001') });
    expect(explainAuthError(error)?.cause).toBe('Logto could not be reached or answered with an error');
  });

  it('returns undefined for an error it does not know', () => {
    expect(explainAuthError(new Error('Cannot read properties of undefined (reading "sub")'))).toBeUndefined();
    expect(explainAuthError(undefined)).toBeUndefined();
  });
});

describe('describeError', () => {
  it('joins the messages and codes of an error and its causes', () => {
    const error = new TypeError('fetch failed', { cause: networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3001') });
    expect(describeError(error)).toBe('fetch failed ← connect ECONNREFUSED 127.0.0.1:3001 ← ECONNREFUSED');
  });

  it("unwraps next-auth's `{ error, providerId }` log metadata", () => {
    expect(describeError(nextAuthCallbackError(new RPError({ message: 'failed to validate JWT signature' })))).toBe(
      'failed to validate JWT signature',
    );
  });

  it("reads the message of next-auth/react's plain `{ message }` client error reports", () => {
    expect(describeError({ message: 'Failed to fetch', url: '/api/auth/session' })).toBe('Failed to fetch');
  });

  it('stringifies a value that is not an error', () => {
    expect(describeError('access_denied')).toBe('access_denied');
  });

  it('stops after five levels of causes', () => {
    let error = new Error('level 6');
    for (let level = 5; level >= 1; level -= 1) error = new Error(`level ${level}`, { cause: error });
    expect(describeError(error)).toBe('level 1 ← level 2 ← level 3 ← level 4 ← level 5');
  });
});
