import { signIn } from 'next-auth/react';

/** The host's own sign-in page (`authOptions.pages.signIn`). */
export default function Login() {
  return (
    <main>
      <h1>Sign in to the host app</h1>
      <button onClick={() => signIn('logto')}>Continue with Logto</button>
    </main>
  );
}
