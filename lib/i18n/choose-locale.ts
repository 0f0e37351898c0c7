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
 * RFC 9110 §12.5.4: "a weight of 0 means not acceptable"; equal weights keep the header's order.
 */
function preferredLanguages(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param)).find(Boolean);
      const weight = q ? Number(q[1]) : 1;
      return { range: range.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(({ range, weight }) => range !== '' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ range }) => range);
}
