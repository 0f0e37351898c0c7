import Document, { Head, Html, Main, NextScript } from 'next/document';
import { DEFAULT_LOCALE, isLocale } from '@/lib/i18n/locales';

/** `<html lang>` in the page's language, so screen readers and fonts pick the right one on first paint. */
export default class AppDocument extends Document {
  render() {
    const locale: unknown = this.props.__NEXT_DATA__.props?.pageProps?.locale;
    return (
      <Html lang={isLocale(locale) ? locale : DEFAULT_LOCALE}>
        <Head />
        <body>
          <Main />
          <NextScript />
        </body>
      </Html>
    );
  }
}
