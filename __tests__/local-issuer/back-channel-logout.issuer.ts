import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';

import { LOGTO_VERSION, startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { authorizationUrl, refresh, signIn, type Browser } from './helpers/oidc-flow';

const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A POST the receiver got. */
interface ReceivedLogout {
  path: string;
  contentType: string | undefined;
  form: URLSearchParams;
}

/**
 * The app's stand-in: a server on 127.0.0.1 that records what arrives at
 * /api/auth/backchannel-logout and answers 200, as a receiver that accepted the token does.
 */
async function startReceiver(): Promise<{ appUrl: string; received: ReceivedLogout[]; close: () => Promise<void> }> {
  const received: ReceivedLogout[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ path: req.url ?? '', contentType: req.headers['content-type'], form: new URLSearchParams(body) });
    res.writeHead(200).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    appUrl: `http://127.0.0.1:${port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Signs out at the issuer like the app's sign-out does: end_session, then its confirm form. */
async function endSession(issuer: IssuerProcess, browser: Browser, appUrl: string, uiLocales?: string) {
  const url = new URL(`${issuer.issuer}/session/end`);
  url.search = new URLSearchParams({
    client_id: issuer.clientId,
    post_logout_redirect_uri: appUrl,
    ...(uiLocales && { ui_locales: uiLocales }),
  }).toString();
  const confirmPage = await browser.get(url.href);
  const html = await confirmPage.text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!xsrf) throw new Error(`no logout form on the end_session page:\n${html}`);
  const confirmed = await browser.postForm(`${issuer.issuer}/session/end/confirm`, { xsrf, logout: 'yes' });
  return { html, confirmed };
}

describe('local issuer: back-channel logout', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let issuer: IssuerProcess;
  let keys: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    receiver = await startReceiver();
    issuer = await startIssuerProcess(receiver.appUrl);
    keys = createLocalJWKSet((await (await fetch(`${issuer.issuer}/jwks`)).json()) as JSONWebKeySet);
  });

  afterAll(async () => {
    await issuer?.stop();
    await receiver?.close();
  });

  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('advertises back-channel logout with session support in discovery', async () => {
    const discovery = await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json();

    expect(discovery).toMatchObject({ backchannel_logout_supported: true, backchannel_logout_session_supported: true });
  });

  it("POSTs Logto's logout token to the app's receiver when the user signs out", async () => {
    const { tokens, browser } = await signIn(issuer, receiver.appUrl, 'alice');
    const { sid } = decodeJwt(String(tokens.id_token));
    expect(sid).toEqual(expect.any(String));

    const { confirmed } = await endSession(issuer, browser, receiver.appUrl);

    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${receiver.appUrl}/`);
    expect(receiver.received).toHaveLength(1);
    const [logout] = receiver.received;
    expect(logout.path).toBe('/api/auth/backchannel-logout');
    expect(logout.contentType).toBe('application/x-www-form-urlencoded');

    const logoutToken = String(logout.form.get('logout_token'));
    expect(decodeProtectedHeader(logoutToken)).toMatchObject({ alg: 'ES384', typ: 'logout+jwt' });
    const { payload } = await jwtVerify(logoutToken, keys, {
      issuer: issuer.issuer,
      audience: issuer.clientId,
      typ: 'logout+jwt',
    });
    // Exactly these claims, as Logto sends them, and no nonce (Back-Channel Logout 1.0 §2.4).
    expect(payload).toEqual({
      iss: issuer.issuer,
      aud: issuer.clientId,
      sub: 'alice-demo',
      sid,
      iat: expect.any(Number),
      ...(LOGTO_VERSION === '1.42' && { exp: payload.iat! + 120 }),
      jti: expect.any(String),
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(10);
  });

  if (LOGTO_VERSION === '1.42') {
    it('gives the logout token exp = iat + 120, as Logto 1.42 does', async () => {
      const { browser } = await signIn(issuer, receiver.appUrl, 'alice');
      await endSession(issuer, browser, receiver.appUrl);

      const { exp, iat } = decodeJwt(String(receiver.received[0]?.form.get('logout_token')));
      expect(exp).toBe(iat! + 120);
    });
  } else {
    it('sends the logout token without exp, as Logto 1.37 does', async () => {
      const { browser } = await signIn(issuer, receiver.appUrl, 'alice');
      await endSession(issuer, browser, receiver.appUrl);

      const claims = decodeJwt(String(receiver.received[0]?.form.get('logout_token')));
      expect(claims.iat).toEqual(expect.any(Number));
      expect(claims).not.toHaveProperty('exp');
    });
  }

  it("ends a user's sessions through POST /admin/sessions/end, with a logout token per session", async () => {
    const first = await signIn(issuer, receiver.appUrl, 'alice');
    const second = await signIn(issuer, receiver.appUrl, 'alice');
    await signIn(issuer, receiver.appUrl, 'bob');
    const sids = [first, second].map(({ tokens }) => decodeJwt(String(tokens.id_token)).sid);

    const response = await fetch(`${issuer.url}/admin/sessions/end?sub=alice-demo`, { method: 'POST' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'alice-demo', sessions: 2 });
    const tokens = receiver.received.map(({ form }) => decodeJwt(String(form.get('logout_token'))));
    expect(tokens.map(({ sub }) => sub)).toEqual(['alice-demo', 'alice-demo']);
    expect(tokens.map(({ sid }) => sid).sort()).toEqual([...sids].sort());

    // The issuer session is gone: the next authorization asks alice to sign in again.
    const again = await first.browser.follow(
      authorizationUrl(issuer, receiver.appUrl, { scope: 'openid', extra: { prompt: 'none' } }).url,
      receiver.appUrl,
    );
    expect('appRedirect' in again && again.appRedirect.searchParams.get('error')).toBe('login_required');
  });

  it('keeps grants with offline_access, as end_session does', async () => {
    const { tokens } = await signIn(issuer, receiver.appUrl, 'alice');

    const ended = await fetch(`${issuer.url}/admin/sessions/end?sub=alice-demo`, { method: 'POST' });
    expect(ended.status).toBe(200);
    // The previous test ended alice's other sessions: only this sign-in's session is left to end.
    expect(await ended.json()).toMatchObject({ sub: 'alice-demo', sessions: 1 });

    const refreshed = await refresh(issuer, String(tokens.refresh_token));
    expect(refreshed.status).toBe(200);
  });

  it('answers the admin endpoint with clear errors', async () => {
    const noSub = await fetch(`${issuer.url}/admin/sessions/end`, { method: 'POST' });
    expect(noSub.status).toBe(400);
    expect((await noSub.json()).error_description).toContain('sub=');

    const unknown = await fetch(`${issuer.url}/admin/sessions/end?sub=nobody`, { method: 'POST' });
    expect(unknown.status).toBe(404);

    const get = await fetch(`${issuer.url}/admin/sessions/end?sub=alice-demo`);
    expect(get.status).toBe(405);
  });

  it('refuses admin requests that come from a web page', async () => {
    const response = await fetch(`${issuer.url}/admin/sessions/end?sub=alice-demo`, {
      method: 'POST',
      headers: { origin: 'https://evil.example.com' },
    });

    expect(response.status).toBe(403);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('local issuer: back-channel logout without "Is session required"', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let issuer: IssuerProcess;

  beforeAll(async () => {
    receiver = await startReceiver();
    issuer = await startIssuerProcess(receiver.appUrl, { LOCAL_ISSUER_BACKCHANNEL_LOGOUT_SESSION_REQUIRED: 'false' });
  });

  afterAll(async () => {
    await issuer?.stop();
    await receiver?.close();
  });

  it('leaves sid out of the ID token and the logout token', async () => {
    const { tokens, browser } = await signIn(issuer, receiver.appUrl, 'alice');
    expect(decodeJwt(String(tokens.id_token))).not.toHaveProperty('sid');

    await endSession(issuer, browser, receiver.appUrl);

    expect(receiver.received).toHaveLength(1);
    const logoutToken = decodeJwt(String(receiver.received[0].form.get('logout_token')));
    expect(logoutToken).toMatchObject({ sub: 'alice-demo', events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } });
    expect(logoutToken).not.toHaveProperty('sid');
  });
});

describe('local issuer: LOCAL_ISSUER_BACKCHANNEL_LOGOUT_URI=off', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let issuer: IssuerProcess;

  beforeAll(async () => {
    receiver = await startReceiver();
    issuer = await startIssuerProcess(receiver.appUrl, { LOCAL_ISSUER_BACKCHANNEL_LOGOUT_URI: 'off' });
  });

  afterAll(async () => {
    await issuer?.stop();
    await receiver?.close();
  });

  it('registers no receiver, sends nothing and puts no sid in ID tokens', async () => {
    const { tokens, browser } = await signIn(issuer, receiver.appUrl, 'alice');
    expect(decodeJwt(String(tokens.id_token))).not.toHaveProperty('sid');

    const { confirmed } = await endSession(issuer, browser, receiver.appUrl);

    expect(confirmed.status).toBe(303);
    expect(receiver.received).toHaveLength(0);
  });
});
