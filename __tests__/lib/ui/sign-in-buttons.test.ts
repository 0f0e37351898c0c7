import type { ReactElement } from 'react';
import { signIn } from 'next-auth/react';
import { SignInButtons } from '@/lib/ui/sign-in-buttons';

// The buttons' only effect is next-auth's signIn(); the real flow behind it is tested in
// __tests__/logto-kit/sign-in.test.ts (ui_locales reaching Logto's authorization URL).
jest.mock('next-auth/react', () => ({ signIn: jest.fn() }));

interface ButtonProps {
  children: string;
  onClick: () => void;
}

/** The buttons SignInButtons renders, in order (it uses no hooks, so it can be called as a function). */
function renderButtons(props: Parameters<typeof SignInButtons>[0]): ButtonProps[] {
  const root = SignInButtons(props) as ReactElement<{ children: ReactElement<ButtonProps>[] }>;
  return root.props.children.map((button) => button.props);
}

describe('SignInButtons', () => {
  beforeEach(() => jest.mocked(signIn).mockClear());

  it('labels the buttons in the page’s language', () => {
    expect(renderButtons({ callbackUrl: '/', locale: 'ko' }).map((button) => button.children)).toEqual(['로그인', '카카오로 계속하기']);
    expect(renderButtons({ callbackUrl: '/', locale: 'es' }).map((button) => button.children)).toEqual([
      'Iniciar sesión',
      'Continuar con Kakao',
    ]);
  });

  it('asks Logto for its sign-in page in the same language', () => {
    const [signInButton] = renderButtons({ callbackUrl: '/protected', locale: 'es' });
    signInButton.onClick();
    expect(signIn).toHaveBeenCalledWith('logto', { callbackUrl: '/protected' }, { ui_locales: 'es' });
  });

  it('sends Kakao users straight to Kakao, in the same language', () => {
    const [, kakaoButton] = renderButtons({ callbackUrl: '/', locale: 'ko' });
    kakaoButton.onClick();
    expect(signIn).toHaveBeenCalledWith('logto', { callbackUrl: '/' }, { ui_locales: 'ko', direct_sign_in: 'social:kakao' });
  });

  it('speaks English and asks for ui_locales=en when the page gives no language', () => {
    const [signInButton] = renderButtons({ callbackUrl: '/' });
    expect(signInButton.children).toBe('Sign in');
    signInButton.onClick();
    expect(signIn).toHaveBeenCalledWith('logto', { callbackUrl: '/' }, { ui_locales: 'en' });
  });
});
