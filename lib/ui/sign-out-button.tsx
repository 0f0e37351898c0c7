import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales';
import { messagesFor } from '../i18n/messages';

/**
 * "Sign out": next-auth's own `signOut()`. The Logto kit answers it with Logto's end_session URL, so the
 * Logto session ends too and the next "Sign in" shows Logto's sign-in page again. Labelled in `locale`.
 */
export function SignOutButton({ locale = DEFAULT_LOCALE }: { locale?: Locale }) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <button
      type="button"
      disabled={signingOut}
      onClick={() => {
        setSigningOut(true);
        signOut().catch(() => setSigningOut(false));
      }}
    >
      {messagesFor(locale).buttons.signOut}
    </button>
  );
}
