/**
 * Thrown from the `jwt` callback for a session that was signed out or that Logto ended. next-auth v4 (4.22–4.24)
 * answers a throwing `jwt` callback on a session read by clearing every chunk of the session cookie and returning no session:
 * `/api/auth/session` gives `{}`, `getServerSession` null, `useSession()` "unauthenticated".
 */
export class LogtoSessionEndedError extends Error {
  override name = 'LogtoSessionEndedError';
}

/** Whether next-auth's log metadata is a {@link LogtoSessionEndedError} (next-auth passes errors as `{ name, message }`). */
export function isSessionEndedError(metadata: unknown): boolean {
  return typeof metadata === 'object' && metadata !== null && (metadata as { name?: unknown }).name === 'LogtoSessionEndedError';
}
