import Link from 'next/link';
import { useRouter } from 'next/router';
import { SignInButtons } from '../../lib/ui/sign-in-buttons';

/** next-auth's sign-in page (`pages.signIn`): protected pages send signed-out users here. */
export default function SignIn() {
  const { query } = useRouter();
  const callbackUrl = typeof query.callbackUrl === 'string' && query.callbackUrl.startsWith('/') ? query.callbackUrl : '/';
  return (
    <main>
      <h1>Sign in</h1>
      <p>Sign in with your Logto account to continue.</p>
      <SignInButtons callbackUrl={callbackUrl} />
      <p>
        <Link href="/">Back home</Link>
      </p>
    </main>
  );
}
