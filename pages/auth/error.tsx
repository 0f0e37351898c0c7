import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { signIn } from 'next-auth/react';

// next-auth v4's error codes (https://next-auth.js.org/configuration/pages#error-codes) and this app's own.
const MESSAGES: Record<string, string> = {
  Configuration: 'Sign-in is not set up correctly on this server. The server log says what to fix.',
  AccessDenied: 'Your account is not allowed to sign in here.',
  Verification: 'This sign-in link is no longer valid.',
  OAuthSignin: 'We could not start the sign-in with Logto. It may be unreachable right now.',
  OAuthCallback: 'The sign-in did not complete: Logto’s answer could not be verified.',
  Callback: 'The sign-in did not complete because of a problem on our side.',
  OAuthCreateAccount: 'We could not create your account.',
  OAuthAccountNotLinked: 'This account is linked to another sign-in method.',
  SessionRequired: 'Please sign in to see this page.',
  Cancelled: 'The sign-in was cancelled, so you are still signed out.',
  SignOutCsrf: 'Your sign-out request expired. Please try again.',
  Default: 'Something went wrong while signing you in.',
};

/** next-auth's error page (`pages.error`): plain words for the user; the technical cause is in the server log. */
export default function AuthError({ code }: { code: string }) {
  return (
    <main>
      <h1>Sign-in problem</h1>
      <p className="notice error" role="alert" data-testid="auth-error">
        {MESSAGES[code] ?? MESSAGES.Default}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => signIn('logto', { callbackUrl: '/' })}>
          Try again
        </button>
        <Link href="/">Back home</Link>
      </div>
      <p>
        <small>Error code: {code}</small>
      </p>
    </main>
  );
}

/** Rendered on the server: the message is right on first paint, with or without JavaScript. */
export const getServerSideProps: GetServerSideProps<{ code: string }> = async ({ query }) => ({
  props: { code: typeof query.error === 'string' && Object.hasOwn(MESSAGES, query.error) ? query.error : 'Default' },
});
