import type { GetServerSideProps } from 'next';
import Link from 'next/link';

/** A page anyone can see, rendered on the server for every request like /protected, but without reading the session. */
export default function Public({ renderedAt }: { renderedAt: string }) {
  return (
    <main>
      <h1>Public page</h1>
      <p>
        Anyone can see this page. It is rendered on the server for every request, last at <code>{renderedAt}</code>, and
        reads no session: <code>npm run bench</code> compares <Link href="/protected">the protected page</Link> with it.
      </p>
      <Link href="/">Home</Link>
    </main>
  );
}

/** Server-side rendering with no session read: the time of the request. */
export const getServerSideProps: GetServerSideProps<{ renderedAt: string }> = async () => ({
  props: { renderedAt: new Date().toISOString() },
});
