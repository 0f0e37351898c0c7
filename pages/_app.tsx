import type { AppProps } from 'next/app';
import type { Session } from 'next-auth';
import { SessionProvider } from 'next-auth/react';
import { SessionKeeper } from '@/lib/ui/session-keeper';
import '@/lib/ui/app.css';

/** Every page gets the session; it is refetched when the tab regains focus and before the access token expires. */
export default function App({ Component, pageProps }: AppProps<{ session?: Session | null }>) {
  return (
    <SessionProvider session={pageProps.session} refetchOnWindowFocus>
      <SessionKeeper />
      <Component {...pageProps} />
    </SessionProvider>
  );
}
