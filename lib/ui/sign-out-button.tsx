import { getCsrfToken } from 'next-auth/react';
import { useEffect, useState } from 'react';

/** A form that POSTs to the federated sign-out route with next-auth's CSRF token. */
export function SignOutButton() {
  const [csrfToken, setCsrfToken] = useState<string>();
  useEffect(() => {
    getCsrfToken().then(setCsrfToken);
  }, []);
  return (
    <form method="post" action="/api/auth/federated-sign-out">
      <input type="hidden" name="csrfToken" value={csrfToken ?? ''} />
      <button type="submit" disabled={!csrfToken}>
        Sign out
      </button>
    </form>
  );
}
