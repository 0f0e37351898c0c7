import { signOut } from 'next-auth/react';
import { useState } from 'react';

/**
 * "Sign out": next-auth's own `signOut()`. The Logto kit answers it with Logto's end_session URL, so the
 * Logto session ends too and the next "Sign in" shows Logto's sign-in page again.
 */
export function SignOutButton() {
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
      Sign out
    </button>
  );
}
