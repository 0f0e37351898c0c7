import { startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { Browser, authorizationUrl, signIn } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';

let issuer: IssuerProcess;

beforeAll(async () => {
  issuer = await startIssuerProcess(APP_URL);
});

afterAll(async () => {
  await issuer?.stop();
});

/** Opens the issuer's first page for an authorization request, as a browser would. */
async function openSignIn(options: Parameters<typeof authorizationUrl>[2]) {
  const browser = new Browser();
  const page = await browser.follow(authorizationUrl(issuer, APP_URL, options).url, APP_URL);
  if ('appRedirect' in page) throw new Error(`expected a page, got a redirect to ${page.appRedirect}`);
  return { browser, ...page };
}

function htmlLang(html: string): string | undefined {
  return /<html lang="([^"]+)">/.exec(html)?.[1];
}

describe('local issuer: sign-in page languages', () => {
  it.each([
    [undefined, 'en', ['Username', 'Password', '>Sign in</button>', 'Continue with Kakao', 'Cancel']],
    ['es', 'es', ['Usuario', 'Contraseña', '>Iniciar sesión</button>', 'Continuar con Kakao', 'Cancelar']],
    ['ko', 'ko', ['사용자 이름', '비밀번호', '>로그인</button>', '카카오로 계속하기', '취소']],
    ['ko-KR es', 'ko', ['비밀번호']],
    ['fr-CA es-MX ko', 'es', ['Contraseña']],
    ['fr de', 'en', ['Password']],
  ])('ui_locales=%s shows the page in %s', async (uiLocales, lang, texts) => {
    const { status, html } = await openSignIn({ uiLocales });

    expect(status).toBe(200);
    expect(htmlLang(html)).toBe(lang);
    for (const text of texts) expect(html).toContain(text);
  });

  it('reports a wrong password in the chosen language', async () => {
    const { browser, url } = await openSignIn({ uiLocales: 'es' });

    const response = await browser.postForm(`${url}/login`, { username: 'alice', password: 'wrong' });
    const html = await response.text();

    expect(htmlLang(html)).toBe('es');
    expect(html).toContain('Usuario o contraseña incorrectos.');
  });

  it('shows the Kakao consent screen in Korean', async () => {
    const { html } = await openSignIn({ uiLocales: 'ko', extra: { direct_sign_in: 'social:kakao' } });

    expect(htmlLang(html)).toBe('ko');
    expect(html).toContain('카카오로 로그인');
    expect(html).toContain('동의하고 계속하기');
  });

  it('shows the Kakao consent screen in Spanish', async () => {
    const { html } = await openSignIn({ uiLocales: 'es', extra: { direct_sign_in: 'social:kakao' } });

    expect(htmlLang(html)).toBe('es');
    expect(html).toContain('Aceptar y continuar');
  });

  it('shows the error page in the chosen language', async () => {
    const browser = new Browser();
    const response = await browser.get(
      `${issuer.issuer}/auth?client_id=unknown-client&response_type=code&scope=openid&ui_locales=es`,
    );
    const html = await response.text();

    expect(response.status).toBe(400);
    expect(htmlLang(html)).toBe('es');
    expect(html).toContain('Algo salió mal');
  });
});

describe('local issuer: sign-out page languages', () => {
  it.each([
    ['ko', 'ko', '로그아웃'],
    ['es', 'es', 'Cerrar sesión'],
    [undefined, 'en', 'Sign out'],
  ])('ui_locales=%s shows the end-session confirmation in %s', async (uiLocales, lang, button) => {
    const { browser } = await signIn(issuer, APP_URL, 'alice');
    const url = new URL(`${issuer.issuer}/session/end`);
    url.searchParams.set('client_id', issuer.clientId);
    url.searchParams.set('post_logout_redirect_uri', APP_URL);
    if (uiLocales) url.searchParams.set('ui_locales', uiLocales);

    const response = await browser.get(url.href);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(htmlLang(html)).toBe(lang);
    expect(html).toContain(`>${button}</button>`);
  });
});
