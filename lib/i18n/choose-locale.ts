import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, type Locale } from './locales';

/**
 * Picks the UI language: the visitor's choice (the {@link LOCALE_COOKIE} cookie) first, then the
 * first supported language of Accept-Language by weight, then {@link DEFAULT_LOCALE}.
 */
export function chooseLocale({ cookie, acceptLanguage }: { cookie?: string; acceptLanguage?: string }): Locale {
  if (isLocale(cookie)) return cookie;
  for (const range of preferredLanguages(acceptLanguage ?? '')) {
    if (range === '*') return DEFAULT_LOCALE;
    // A range names a language, or a language and region ("es-MX", "ko-KR"): the language decides.
    const language = range.split('-')[0];
    if (isLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}

/** The UI language of a request to getServerSideProps or an API route (cookies as Next.js parses them). */
export function localeFromRequest(req: { headers: IncomingHttpHeaders; cookies?: Partial<Record<string, string>> }): Locale {
  return chooseLocale({ cookie: req.cookies?.[LOCALE_COOKIE], acceptLanguage: req.headers['accept-language'] });
}

/**
 * The language ranges of an Accept-Language header, most preferred first, lower-cased.
 * RFC 9110 §12.5.4: "a weight of 0 means not acceptable"; equal weights keep the header's order, and a
 * range with a malformed weight counts as not acceptable.
 */
function preferredLanguages(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q\s*=(.*)$/i.exec(param)?.[1].trim()).find((value) => value !== undefined);
      return { range: range.trim().toLowerCase(), weight: q === undefined ? 1 : parseWeight(q), index };
    })
    .filter(({ range, weight }) => range !== '' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ range }) => range);
}

/** A qvalue (RFC 9110 §12.4.2: `0` to `1` with up to three decimals), or 0 when malformed. */
function parseWeight(value: string): number {
  return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
}
