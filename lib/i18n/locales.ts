/** The languages of the UI; the first is the fallback. Add a language here and give it a catalog in messages/. */
export const LOCALES = ['en', 'es', 'ko'] as const;

/** A language of the UI, as a BCP 47 primary language subtag (also what Logto's `ui_locales` takes). */
export type Locale = (typeof LOCALES)[number];

/** The language when neither the visitor's choice nor their browser's Accept-Language names a supported one. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * The cookie that keeps the language picked in the switcher. Next.js's own i18n routing reads the same
 * name, so a later move to it keeps the visitor's choice.
 */
export const LOCALE_COOKIE = 'NEXT_LOCALE';

/** Each language's name in that language, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', ko: '한국어' };

/** Whether `value` is one of {@link LOCALES}. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
