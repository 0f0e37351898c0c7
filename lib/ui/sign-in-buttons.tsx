import { signIn } from 'next-auth/react';

/** "Sign in" (Logto's sign-in page) and "Continue with Kakao" (straight to Kakao through Logto). */
export function SignInButtons({ callbackUrl }: { callbackUrl: string }) {
  return (
    <div className="actions">
      <button type="button" className="primary" onClick={() => signIn('logto', { callbackUrl })}>
        Sign in
      </button>
      <button
        type="button"
        className="kakao"
        // Logto's direct sign-in skips its own page and opens the Kakao connector at once.
        // https://docs.logto.io/end-user-flows/authentication-parameters/direct-sign-in
        onClick={() => signIn('logto', { callbackUrl }, { direct_sign_in: 'social:kakao' })}
      >
        Continue with Kakao
      </button>
    </div>
  );
}
