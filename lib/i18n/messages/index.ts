import { DEFAULT_LOCALE, isLocale, type Locale } from '../locales';
import { en, type Messages } from './en';
import { es } from './es';
import { ko } from './ko';

export type { Messages };

/** An error code the error page explains: next-auth v4's codes and the kit's `Cancelled` and `AppAccessDenied`. */
export type AuthErrorCode = keyof Messages['error']['messages'];

/** Every catalog by language; `Record<Locale, …>` makes a language without a catalog a type error. */
export const CATALOGS: Record<Locale, Messages> = { en, es, ko };

/** The texts of the UI in `locale`; English for anything that is not a supported language. */
export function messagesFor(locale: Locale | string | undefined): Messages {
  return CATALOGS[isLocale(locale) ? locale : DEFAULT_LOCALE];
}

/** Whether the error page has words for `code`. */
export function isAuthErrorCode(code: unknown): code is AuthErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(en.error.messages, code);
}
