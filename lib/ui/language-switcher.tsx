import { useRouter } from 'next/router';
import { LOCALE_COOKIE, LOCALE_NAMES, LOCALES, type Locale } from '../i18n/locales';
import { messagesFor } from '../i18n/messages';

// A year: the choice outlives the session, like a preference should.
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * English · Español · 한국어: stores the choice in the {@link LOCALE_COOKIE} cookie and reloads the page's
 * server props, so the page re-renders in that language at the same URL.
 */
export function LanguageSwitcher({ locale }: { locale: Locale }) {
  const router = useRouter();
  return (
    <nav className="language-switcher" aria-label={messagesFor(locale).app.language}>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          className="link"
          lang={option}
          aria-pressed={option === locale}
          onClick={() => {
            document.cookie = `${LOCALE_COOKIE}=${option}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; SameSite=Lax`;
            // Same URL, fresh getServerSideProps: the server reads the cookie and renders the new language.
            void router.replace(router.asPath, undefined, { scroll: false });
          }}
        >
          {LOCALE_NAMES[option]}
        </button>
      ))}
    </nav>
  );
}
