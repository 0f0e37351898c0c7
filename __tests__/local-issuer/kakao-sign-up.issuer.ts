import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeJwt } from 'jose';

import { startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { Browser, authorizationUrl, exchangeCode } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';
const KAKAO_SCOPE = 'openid offline_access profile email';

/** Starts a sign-in with `direct_sign_in=social:kakao`, as the app's Kakao button does, and agrees at "Kakao". */
async function continueWithKakao(issuer: IssuerProcess, browser: Browser, uiLocales?: string) {
  const { url, verifier } = authorizationUrl(issuer, APP_URL, {
    scope: KAKAO_SCOPE,
    uiLocales,
    extra: { direct_sign_in: 'social:kakao' },
  });
  const kakaoPage = await browser.follow(url, APP_URL);
  if ('appRedirect' in kakaoPage) throw new Error(`expected the Kakao screen, got a redirect to ${kakaoPage.appRedirect}`);
  expect(kakaoPage.html).toContain('<div class="kakao-header">');
  const agreed = await browser.postForm(`${kakaoPage.url}/kakao`, {});
  return { agreed, interactionUrl: kakaoPage.url, verifier };
}

/** Follows a 303 from the sign-in pages to the app and exchanges the code; resolves the ID token's claims. */
async function finishAtApp(issuer: IssuerProcess, browser: Browser, finished: Response, interactionUrl: string, verifier: string) {
  expect(finished.status).toBe(303);
  const done = await browser.follow(new URL(finished.headers.get('location')!, interactionUrl).href, APP_URL);
  if (!('appRedirect' in done)) throw new Error(`expected a redirect to the app, got ${done.status}: ${done.html}`);
  const tokens = await exchangeCode(issuer, APP_URL, done.appRedirect, verifier);
  return decodeJwt(String(tokens.id_token));
}

describe('local issuer: Kakao sign-in by default (LOCAL_ISSUER_KAKAO_SIGN_UP=linked)', () => {
  it('signs the Kakao account in as the demo user kakao-demo, without asking anything', async () => {
    const issuer = await startIssuerProcess(APP_URL);
    try {
      const browser = new Browser();
      const { agreed, interactionUrl, verifier } = await continueWithKakao(issuer, browser);
      const claims = await finishAtApp(issuer, browser, agreed, interactionUrl, verifier);

      expect(claims).toMatchObject({ sub: 'kakao-demo', username: null, name: '카카오 데모', email: null });
    } finally {
      await issuer.stop();
    }
  });
});

// Logto with the sign-up identifier "Username": a Kakao account that shares no email and belongs to no user
// yet gets the "Set username" step; the user it creates is the one that Kakao account signs in from then on.
describe('local issuer: Kakao sign-up with LOCAL_ISSUER_KAKAO_SIGN_UP=username', () => {
  let dataDir: string;
  let issuer: IssuerProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-issuer-kakao-'));
    issuer = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_KAKAO_SIGN_UP: 'username' }, { dataDir });
  });

  afterAll(async () => {
    await issuer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let signedUpSub: string;

  it('asks the new Kakao account for a username, refusing taken and malformed ones, then signs it up', async () => {
    const browser = new Browser();
    const { agreed, interactionUrl, verifier } = await continueWithKakao(issuer, browser);
    expect(agreed.status).toBe(200);
    expect(await agreed.text()).toContain('<h1>Set username</h1>');

    const taken = await browser.postForm(`${interactionUrl}/username`, { username: 'alice' });
    expect(await taken.text()).toContain('Username already exists');
    const leadingDigit = await browser.postForm(`${interactionUrl}/username`, { username: '1kakao' });
    expect(await leadingDigit.text()).toContain('Username should not start with a number');
    const badCharacters = await browser.postForm(`${interactionUrl}/username`, { username: 'kakao-fan' });
    expect(await badCharacters.text()).toContain('Username should only contain letters, numbers, or underscores.');

    const accepted = await browser.postForm(`${interactionUrl}/username`, { username: 'kakao_fan' });
    const claims = await finishAtApp(issuer, browser, accepted, interactionUrl, verifier);

    // A Logto user id: 12 characters of digits and lowercase letters.
    expect(claims.sub).toMatch(/^[0-9a-z]{12}$/);
    expect(claims).toMatchObject({ username: 'kakao_fan', name: '카카오 데모', email: null, email_verified: false });
    signedUpSub = String(claims.sub);
  });

  it('signs the same Kakao account in directly the next time, with the same sub', async () => {
    const browser = new Browser();
    const { agreed, interactionUrl, verifier } = await continueWithKakao(issuer, browser);
    const claims = await finishAtApp(issuer, browser, agreed, interactionUrl, verifier);

    expect(claims).toMatchObject({ sub: signedUpSub, username: 'kakao_fan' });
  });

  it('keeps the user in users.json, so a restarted issuer signs the Kakao account in as the same user', async () => {
    expect(JSON.parse(readFileSync(join(dataDir, 'users.json'), 'utf8'))).toEqual([
      expect.objectContaining({ id: signedUpSub, username: 'kakao_fan', identities: { kakao: expect.objectContaining({ userId: '3141592653' }) } }),
    ]);
    await issuer.stop();
    issuer = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_KAKAO_SIGN_UP: 'username' }, { dataDir });

    const browser = new Browser();
    const { agreed, interactionUrl, verifier } = await continueWithKakao(issuer, browser);
    const claims = await finishAtApp(issuer, browser, agreed, interactionUrl, verifier);

    expect(claims.sub).toBe(signedUpSub);
  });

  it('shows the username step in the language of ui_locales', async () => {
    // A fresh data folder: this Kakao account is new again.
    const freshDir = mkdtempSync(join(tmpdir(), 'local-issuer-kakao-'));
    const fresh = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_KAKAO_SIGN_UP: 'username' }, { dataDir: freshDir });
    try {
      const { agreed } = await continueWithKakao(fresh, new Browser(), 'ko');

      const html = await agreed.text();
      expect(html).toContain('<html lang="ko">');
      expect(html).toContain('사용자 이름 설정하기');
    } finally {
      await fresh.stop();
      rmSync(freshDir, { recursive: true, force: true });
    }
  });

  it('refuses the username step of a sign-in that did not go through Kakao', async () => {
    const browser = new Browser();
    const { url } = authorizationUrl(issuer, APP_URL);
    const signInPage = await browser.follow(url, APP_URL);
    if ('appRedirect' in signInPage) throw new Error('expected the sign-in page');

    const skipped = await browser.postForm(`${signInPage.url}/username`, { username: 'sneaky' });

    expect(skipped.status).toBe(400);
    expect(await skipped.text()).toContain('continue with Kakao before choosing a username');
  });
});
