import { setTimeout as sleep } from 'node:timers/promises';

import { startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { refresh, signIn } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';
const ORGANIZATION_SCOPE = 'openid offline_access profile urn:logto:scope:organizations';

// Logto keeps a refresh token for 14 days and rotates it after 70% of that; this issuer's tokens live 10 s,
// so they rotate after 7 s. Its clock counts whole seconds (iat, exp), hence the waits of 7.1 s after the
// token was issued: 7 to 8 whole seconds have passed by the refresh, short of the expiry at 10.
const REFRESH_TOKEN_TTL_SECONDS = 10;
const PAST_70_PERCENT_MS = 7_100;

let issuer: IssuerProcess;

beforeAll(async () => {
  issuer = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_REFRESH_TOKEN_TTL: String(REFRESH_TOKEN_TTL_SECONDS) });
});

afterAll(async () => {
  await issuer?.stop();
});

/** Signs alice in and resolves her refresh token once 70% of its lifetime has passed. */
async function refreshTokenPast70Percent(scope?: string): Promise<string> {
  const { tokens } = await signIn(issuer, APP_URL, 'alice', { scope });
  if (!tokens.refresh_token) throw new Error('no refresh token issued');
  await sleep(PAST_70_PERCENT_MS);
  return tokens.refresh_token;
}

// Logto 1.37 and 1.42 rotate alike (core/src/oidc/defaults.ts rotateRefreshToken). The tests that wait run
// concurrently, so the file waits once.
describe('local issuer: refresh-token rotation', () => {
  it('returns the same refresh token while less than 70% of its lifetime has passed', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice');

    const first = await refresh(issuer, tokens.refresh_token!);
    const second = await refresh(issuer, tokens.refresh_token!);

    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBe(tokens.refresh_token);
    expect(first.body.access_token).not.toBe(tokens.access_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBe(tokens.refresh_token);
  });

  it.concurrent('rotates the refresh token once 70% of its lifetime has passed', async () => {
    const refreshToken = await refreshTokenPast70Percent();

    const rotated = await refresh(issuer, refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).toEqual(expect.any(String));
    expect(rotated.body.refresh_token).not.toBe(refreshToken);

    // The new refresh token starts a lifetime of its own: it comes back unchanged from the next grant.
    const next = await refresh(issuer, String(rotated.body.refresh_token));
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).toBe(rotated.body.refresh_token);
  });

  it.concurrent('revokes the whole grant when a rotated refresh token is used again', async () => {
    const refreshToken = await refreshTokenPast70Percent();
    const rotated = await refresh(issuer, refreshToken);
    expect(rotated.status).toBe(200);

    const reuse = await refresh(issuer, refreshToken);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_description: 'grant request is invalid' });
    // The whole grant is gone: the newest refresh token no longer works either.
    const newest = await refresh(issuer, String(rotated.body.refresh_token));
    expect(newest.status).toBe(400);
    expect(newest.body.error).toBe('invalid_grant');
  });

  it.concurrent('revokes the whole grant when a rotated refresh token is reused with organization_id', async () => {
    const refreshToken = await refreshTokenPast70Percent(ORGANIZATION_SCOPE);
    const rotated = await refresh(issuer, refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(refreshToken);

    const reuse = await refresh(issuer, refreshToken, { organization_id: 'org-acme' });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    const newest = await refresh(issuer, String(rotated.body.refresh_token), { organization_id: 'org-acme' });
    expect(newest.status).toBe(400);
    expect(newest.body.error).toBe('invalid_grant');
  });

  it.concurrent('refuses a refresh token once its lifetime is over', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice');
    await sleep(REFRESH_TOKEN_TTL_SECONDS * 1000 + 1_000);

    const expired = await refresh(issuer, tokens.refresh_token!);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe('invalid_grant');
  });
});
