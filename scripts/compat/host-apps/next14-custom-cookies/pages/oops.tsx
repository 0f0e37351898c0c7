import Link from 'next/link';
import { useRouter } from 'next/router';

/** The host's own error page (`authOptions.pages.error`); next-auth and the kit send `?error=<code>`. */
export default function Oops() {
  const { query } = useRouter();
  return (
    <main>
      <h1>Sign-in did not work</h1>
      <p>Error code: {typeof query.error === 'string' ? query.error : 'unknown'}</p>
      <Link href="/login">Try again</Link>
    </main>
  );
}
