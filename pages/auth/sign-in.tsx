import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { useRouter } from 'next/router';
import { localeFromRequest } from '../../lib/i18n/choose-locale';
import type { Locale } from '../../lib/i18n/locales';
import { messagesFor } from '../../lib/i18n/messages';
import { SignInButtons } from '../../lib/ui/sign-in-buttons';

/** next-auth's sign-in page (`pages.signIn`): protected pages send signed-out users here. */
export default function SignIn({ locale }: { locale: Locale }) {
  const { query } = useRouter();
  const t = messagesFor(locale).signIn;
  // next-auth hands over absolute URLs; the kit's redirect callback keeps whatever comes on this app's origin.
  const callbackUrl = typeof query.callbackUrl === 'string' ? query.callbackUrl : '/';
  return (
    <main>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <SignInButtons callbackUrl={callbackUrl} locale={locale} />
      <p>
        <Link href="/">{t.backHome}</Link>
      </p>
    </main>
  );
}

/** The language, chosen on the server from the visitor's choice or browser. */
export const getServerSideProps: GetServerSideProps<{ locale: Locale }> = async ({ req }) => ({
  props: { locale: localeFromRequest(req) },
});
