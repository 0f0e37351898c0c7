import type { Page } from 'playwright-core';
import type { E2eStack } from './stack';

/**
 * The authorization request among `navigations` (see recordNavigations): the browser's visit to the
 * issuer's authorization endpoint, with every parameter the app sent.
 */
export function findAuthorizationRequest(navigations: URL[], stack: E2eStack): URL {
  const request = navigations.find((url) => `${url.origin}${url.pathname}` === `${stack.issuer}/auth`);
  if (!request) throw new Error(`The browser never visited ${stack.issuer}/auth: ${navigations.map(String).join(', ')}`);
  return request;
}

/** The page's `<html lang>`. */
export function readPageLanguage(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** The value of the app's NEXT_LOCALE cookie (the language picked in the switcher), if any. */
export async function readLocaleCookie(page: Page, stack: E2eStack): Promise<string | undefined> {
  const cookies = await page.context().cookies(stack.appUrl);
  return cookies.find((cookie) => cookie.name === 'NEXT_LOCALE')?.value;
}
