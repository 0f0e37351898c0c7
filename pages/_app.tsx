import type { AppProps } from 'next/app';
import type { Session } from 'next-auth';
import { SessionProvider } from 'next-auth/react';
import { useEffect } from 'react';
import { DEFAULT_LOCALE, type Locale } from '@/lib/i18n/locales';
import { LanguageSwitcher } from '@/lib/ui/language-switcher';
import { SessionKeeper } from '@/lib/ui/session-keeper';
import '@/lib/ui/app.css';

/**
 * Every page gets the session (refetched when the tab regains focus and before the access token expires)
 * and the language switcher; pages pass `locale` from getServerSideProps.
 */
export default function App({ Component, pageProps }: AppProps<{ session?: Session | null; locale?: Locale }>) {
  const locale = pageProps.locale ?? DEFAULT_LOCALE;
  // _document sets <html lang> on the server; a switch in the browser re-renders only the body.
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <SessionProvider session={pageProps.session} refetchOnWindowFocus>
      <LanguageSwitcher locale={locale} />
      <SessionKeeper locale={locale} />
      <Component {...pageProps} />
    </SessionProvider>
  );
}
