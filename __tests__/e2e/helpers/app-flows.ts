import type { Page } from 'playwright-core';
import type { DemoUser } from './demo-users';
import type { E2eStack } from './stack';

/** Whether `url` is one of the issuer's sign-in screens (`/interaction/<uid>`). */
export function isIssuerInteraction(url: URL, stack: E2eStack): boolean {
  return url.origin === stack.issuerUrl && url.pathname.startsWith('/interaction/');
}

/** Waits for the issuer's username and password form. */
export async function waitForIssuerSignIn(page: Page, stack: E2eStack): Promise<void> {
  await page.waitForURL((url) => isIssuerInteraction(url, stack));
  await page.getByLabel('Username').waitFor();
}

/** Fills in and submits the issuer's username and password form. */
export async function submitIssuerSignIn(page: Page, user: DemoUser): Promise<void> {
  if (!user.username || !user.password) throw new Error(`${user.id} does not sign in with a password`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Waits until the browser is back on the app's home page with the user card showing. */
export async function waitForSignedInHome(page: Page, stack: E2eStack): Promise<void> {
  await page.waitForURL(`${stack.appUrl}/`);
  await page.getByTestId('user-card').waitFor();
}

/** From a new browser: the app's home → "Sign in" → the issuer's form → the home page, signed in as `user`. */
export async function signInWithPassword(page: Page, stack: E2eStack, user: DemoUser): Promise<void> {
  await page.goto(`${stack.appUrl}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForIssuerSignIn(page, stack);
  await submitIssuerSignIn(page, user);
  await waitForSignedInHome(page, stack);
}

/** The user card as shown: name, email, and the avatar's URL and loaded width (0 when it did not load). */
export async function readUserCard(page: Page) {
  const card = page.getByTestId('user-card');
  const avatar = card.locator('img.avatar');
  const hasAvatar = (await avatar.count()) > 0;
  return {
    name: await card.getByTestId('user-name').textContent(),
    email: await card.getByTestId('user-email').textContent(),
    avatarSrc: hasAvatar ? await avatar.getAttribute('src') : null,
    // decode() waits for the image to load and rejects when it cannot be decoded.
    avatarNaturalWidth: hasAvatar
      ? await avatar.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth, () => 0))
      : 0,
  };
}
