import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { localeFromRequest } from '../../lib/i18n/choose-locale';
import type { Locale } from '../../lib/i18n/locales';
import { isAuthErrorCode, messagesFor, type AuthErrorCode } from '../../lib/i18n/messages';

/** next-auth's error page (`pages.error`): plain words for the user in their language; the technical cause is in the server log. */
export default function AuthError({ code, locale }: { code: AuthErrorCode; locale: Locale }) {
  const t = messagesFor(locale).error;
  return (
    <main>
      <h1>{t.title}</h1>
      <p className="notice error" role="alert" data-testid="auth-error">
        {t.messages[code]}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => signIn('logto', { callbackUrl: '/' }, { ui_locales: locale })}
        >
          {t.tryAgain}
        </button>
        <Link href="/">{t.backHome}</Link>
      </div>
      <p>
        <small>
          {t.code}: {code}
        </small>
      </p>
    </main>
  );
}

/**
 * Rendered on the server: the message is right on first paint, with or without JavaScript, in the language
 * of the visitor's choice or browser (next-auth redirects here without one, so the URL cannot carry it).
 */
export const getServerSideProps: GetServerSideProps<{ code: AuthErrorCode; locale: Locale }> = async ({ query, req }) => ({
  props: { code: isAuthErrorCode(query.error) ? query.error : 'Default', locale: localeFromRequest(req) },
});
