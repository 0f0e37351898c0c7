import { signIn, useSession } from 'next-auth/react';
import { useEffect } from 'react';

// Refetch this long before the access token expires, so the server refreshes it ahead of time.
const REFETCH_LEAD_SECONDS = 60;

/**
 * Refetches the session shortly before the access token expires, and offers to sign in again when
 * the server could not refresh it (`RefreshAccessTokenError`).
 */
export function SessionKeeper() {
  const { data: session, update } = useSession();
  const expiresAt = session?.accessTokenExpiresAt;

  useEffect(() => {
    if (!expiresAt) return;
    const delayMs = Math.max(0, (expiresAt - REFETCH_LEAD_SECONDS) * 1000 - Date.now());
    // setTimeout's delay is a signed 32-bit number of milliseconds; longer delays fire at once.
    const timer = setTimeout(() => update(), Math.min(delayMs, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt, update]);

  if (session?.error !== 'RefreshAccessTokenError') return null;
  return (
    <div className="notice" role="alert">
      Your session has expired.{' '}
      <button type="button" className="link" onClick={() => signIn('logto')}>
        Sign in again
      </button>
    </div>
  );
}
