import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { formatDateTime } from '@/lib/i18n/format';
import { localeFromRequest } from '@/lib/i18n/choose-locale';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';

/**
 * A page anyone can see, rendered on the server for every request like /protected (locale from the request,
 * a localized time, the same layout) but without reading the session: `npm run bench` compares the two.
 */
export default function Public({ renderedAt, locale }: { renderedAt: number; locale: Locale }) {
  const t = messagesFor(locale).publicPage;
  return (
    <main>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <dl>
        <dt>{t.renderedAt}</dt>
        <dd>
          <time dateTime={new Date(renderedAt * 1000).toISOString()}>{formatDateTime(renderedAt, locale, 'UTC')}</time>
        </dd>
      </dl>
      <Link href="/">{t.homeLink}</Link>
    </main>
  );
}

/** The request's locale and time (epoch seconds); no session read. */
export const getServerSideProps: GetServerSideProps<{ renderedAt: number; locale: Locale }> = async (ctx) => ({
  props: { renderedAt: Math.floor(Date.now() / 1000), locale: localeFromRequest(ctx.req) },
});
