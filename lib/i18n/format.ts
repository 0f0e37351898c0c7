import type { Locale } from './locales';

/**
 * An instant (epoch **seconds**) as date and time in `locale`, in an explicit `timeZone` with its name
 * shown: the same text on the server and in the browser, whatever time zone each runs in.
 */
export function formatDateTime(epochSeconds: number, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(epochSeconds * 1000);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/**
 * How far `epochSeconds` is from `nowSeconds`, in `locale` and the largest whole unit that fits:
 * "in 59 minutes", "dentro de 59 minutos", "59분 후".
 */
export function formatTimeUntil(epochSeconds: number, nowSeconds: number, locale: Locale): string {
  const seconds = Math.round(epochSeconds - nowSeconds);
  const [unit, size] = UNITS.find(([, unitSeconds]) => Math.abs(seconds) >= unitSeconds) ?? UNITS[UNITS.length - 1];
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.trunc(seconds / size), unit);
}
