import { signIn } from 'next-auth/react';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales';
import { messagesFor } from '../i18n/messages';

/**
 * "Sign in" (Logto's sign-in page) and "Continue with Kakao" (straight to Kakao through Logto), in
 * `locale`; both ask Logto to show its pages in the same language.
 */
export function SignInButtons({ callbackUrl, locale = DEFAULT_LOCALE }: { callbackUrl: string; locale?: Locale }) {
  const t = messagesFor(locale).buttons;
  // Logto shows its sign-in experience in the first supported language of `ui_locales` (OIDC Core §3.1.2.1).
  // https://docs.logto.io/end-user-flows/authentication-parameters/ui-locales
  const uiLocales = { ui_locales: locale };
  return (
    <div className="actions">
      <button type="button" className="primary" onClick={() => signIn('logto', { callbackUrl }, uiLocales)}>
        {t.signIn}
      </button>
      <button
        type="button"
        className="kakao"
        // Logto's direct sign-in skips its own page and opens the Kakao connector at once.
        // https://docs.logto.io/end-user-flows/authentication-parameters/direct-sign-in
        onClick={() => signIn('logto', { callbackUrl }, { ...uiLocales, direct_sign_in: 'social:kakao' })}
      >
        {t.continueWithKakao}
      </button>
    </div>
  );
}
