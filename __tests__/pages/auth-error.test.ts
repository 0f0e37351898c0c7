import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import AuthError, { getServerSideProps } from '@/pages/auth/error';
import { pageContext } from '../helpers/page-context';

/** What the server sends for `GET url` with `headers`: getServerSideProps, then the page rendered to HTML. */
async function renderErrorPage(url: string, headers: Record<string, string> = {}): Promise<string> {
  const result = await getServerSideProps(pageContext(url, headers));
  if (!('props' in result)) throw new Error('The error page did not render');
  return renderToString(createElement(AuthError, await result.props));
}

describe('/auth/error', () => {
  it('explains a cancelled sign-in in Korean to a Korean browser, with "Try again" in Korean', async () => {
    const html = await renderErrorPage('/auth/error?error=Cancelled', { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' });

    expect(html).toContain('로그인이 취소되어 로그인하지 않은 상태입니다.');
    expect(html).toContain('>다시 시도</button>');
    expect(html).not.toContain('cancelled');
  });

  it.each([
    [
      'en',
      'en-US,en;q=0.9',
      'Your account is not allowed to use this app, so you are still signed out. Ask your administrator for access.',
      'Logto Console → Applications → this app → Rules, add an allow rule that matches this user',
      '>Try again</button>',
    ],
    [
      'es',
      'es-ES,es;q=0.9',
      'Tu cuenta no tiene permiso para usar esta aplicación, así que sigues sin sesión iniciada. Pide acceso a tu administrador.',
      'Logto Console → Aplicaciones → esta aplicación → Reglas, agrega una regla de permiso que incluya a este usuario',
      '>Intentar de nuevo</button>',
    ],
    [
      'ko',
      'ko-KR,ko;q=0.9',
      '이 계정은 이 앱을 사용할 수 없어 로그인하지 않은 상태입니다. 관리자에게 접근 권한을 요청하세요.',
      'Logto Console → 어플리케이션 → 이 앱 → 규칙에서 이 사용자에 맞는 허용 규칙',
      '>다시 시도</button>',
    ],
  ])("explains an app access control refusal in %s: what happened, whom to ask, and the administrator's fix", async (locale, acceptLanguage, forUser, forAdmin, button) => {
    const result = await getServerSideProps(pageContext('/auth/error?error=AppAccessDenied', { 'accept-language': acceptLanguage }));
    expect(result).toEqual({ props: { code: 'AppAccessDenied', locale } });
    const html = await renderErrorPage('/auth/error?error=AppAccessDenied', { 'accept-language': acceptLanguage });

    expect(html).toContain(forUser);
    expect(html).toContain(forAdmin);
    expect(html).toContain(button);
    expect(html).not.toMatch(/cancel|취소/i);
  });

  it('speaks the language picked in the switcher, whatever the browser asks for', async () => {
    const html = await renderErrorPage('/auth/error?error=OAuthCallback', {
      'accept-language': 'ko-KR',
      cookie: 'NEXT_LOCALE=es',
    });

    expect(html).toContain('El inicio de sesión no se completó: no se pudo verificar la respuesta de Logto.');
    expect(html).toContain('>Intentar de nuevo</button>');
  });

  it('shows the general message for an unknown or inherited error code, in English by default', async () => {
    for (const code of ['NoSuchCode', 'toString', '__proto__']) {
      await expect(getServerSideProps(pageContext(`/auth/error?error=${code}`))).resolves.toEqual({
        props: { code: 'Default', locale: 'en' },
      });
    }
    expect(await renderErrorPage('/auth/error')).toContain('Something went wrong while signing you in.');
  });
});
