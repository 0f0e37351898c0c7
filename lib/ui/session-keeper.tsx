import { signIn, useSession } from 'next-auth/react';
import { useEffect, useRef } from 'react';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales';
import { messagesFor } from '../i18n/messages';

// Refetch this long before the access token expires: inside the server's refresh margin
// (EXPIRY_MARGIN_SECONDS, 30 s, in lib/logto/session/refresh-access-token.ts), so the refetch does refresh it.
const REFETCH_LEAD_SECONDS = 20;

/**
 * Refetches the session shortly before the access token expires, and offers to sign in again when
 * the server could not refresh it (`RefreshAccessTokenError`), in `locale`. Works from React 17 up.
 */
export function SessionKeeper({ locale = DEFAULT_LOCALE }: { locale?: Locale }) {
  const { data: session, update } = useSession();
  // A session that can no longer be refreshed keeps its old expiry: refetching it would loop.
  const expiresAt = session?.error ? undefined : session?.accessTokenExpiresAt;
  // `update` changes with every session object, so the effect reads it through a ref instead of depending
  // on it: a refetch that returns the same expiry schedules nothing more, instead of refetching in a loop.
  const updateRef = useRef(update);
  useEffect(() => {
    updateRef.current = update;
  }, [update]);

  useEffect(() => {
    if (!expiresAt) return;
    const delayMs = Math.max(0, (expiresAt - REFETCH_LEAD_SECONDS) * 1000 - Date.now());
    // setTimeout's delay is a signed 32-bit number of milliseconds; longer delays fire at once.
    const timer = setTimeout(() => updateRef.current(), Math.min(delayMs, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  if (session?.error !== 'RefreshAccessTokenError') return null;
  const t = messagesFor(locale).session;
  return (
    <div className="notice" role="alert">
      {t.expired}{' '}
      <button type="button" className="link" onClick={() => signIn('logto', undefined, { ui_locales: locale })}>
        {t.signInAgain}
      </button>
    </div>
  );
}
