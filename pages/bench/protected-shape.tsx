import type { GetServerSideProps } from 'next';
import type { Session } from 'next-auth';
import { localeFromRequest } from '@/lib/i18n/choose-locale';
import type { Locale } from '@/lib/i18n/locales';
import Protected from '../protected';

/**
 * `/protected`'s page with a fixed sample session instead of the visitor's: `npm run bench` compares
 * `/protected` with it, so that the only difference between the two is reading the session.
 */
export default Protected;

/**
 * A session of the shape the bench's signed-in user gets: same fields, same lengths. Tests check it against
 * the session /protected really gives the test issuer's user (__tests__/pages/protected.test.ts).
 */
export function sampleSession(nowSeconds: number): Session {
  return {
    user: { id: 'user-1', name: 'Alice Example', email: 'alice@example.com', image: null, roles: [], organizations: [] },
    expires: new Date((nowSeconds + 30 * 24 * 60 * 60) * 1000).toISOString(),
    accessTokenExpiresAt: nowSeconds + 3600,
  };
}

/** What `/protected`'s getServerSideProps does for a signed-in visitor (the locale, the props), minus the session read. */
export const getServerSideProps: GetServerSideProps<{ session: Session; locale: Locale }> = async (ctx) => {
  // Set by `npm run bench` for its `next start`; without it this page does not exist.
  if (process.env.LOGTO_BENCH_PAGES !== '1') return { notFound: true };
  return { props: { session: sampleSession(Math.floor(Date.now() / 1000)), locale: localeFromRequest(ctx.req) } };
};
