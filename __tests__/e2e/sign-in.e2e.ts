import type { Page } from 'playwright-core';
import {
  isIssuerInteraction,
  readUserCard,
  signInWithPassword,
  submitIssuerSignIn,
  waitForIssuerSignIn,
  waitForSignedInHome,
} from './helpers/app-flows';
import { recordNavigations, screenshotStep, setUpBrowser, updateReadmeScreenshot } from './helpers/browser';
import { ALICE } from './helpers/demo-users';
import { eventually } from './helpers/eventually';
import { readSessionCookie } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

const browser = setUpBrowser();
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

describe('password sign-in', () => {
  it('shows the user’s name, email and loaded avatar on the home page, then renders /protected', async () => {
    const { page } = browser;
    await page.goto(`${stack.appUrl}/`);
    await page.getByText('You are signed out.').waitFor();
    await screenshotStep(page, 'signed-out-home');

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForIssuerSignIn(page, stack);
    await page.getByText(`to continue to ${stack.appUrl}`).waitFor();
    await screenshotStep(page, 'issuer-sign-in');

    await submitIssuerSignIn(page, ALICE);
    await waitForSignedInHome(page, stack);
    const card = await readUserCard(page);
    expect(card).toMatchObject({
      name: ALICE.displayName,
      email: ALICE.displayEmail,
      avatarSrc: `${stack.issuerUrl}${ALICE.avatarPath}`,
    });
    expect(card.avatarNaturalWidth).toBeGreaterThan(0);
    await screenshotStep(page, 'signed-in-home');
    await updateReadmeScreenshot(page);

    await page.getByRole('link', { name: 'Protected page' }).click();
    await page.waitForURL(`${stack.appUrl}/protected`);
    expect(await page.getByTestId('user-id').textContent()).toBe(ALICE.id);
    expect(await page.getByTestId('user-name').textContent()).toBe(ALICE.displayName);
    await screenshotStep(page, 'protected');
  });
});

describe('signed-out visitor', () => {
  it('is sent from /protected to the sign-in page, and gets 401 from /api/me', async () => {
    const { page } = browser;
    const protectedPage = await page.goto(`${stack.appUrl}/protected`);
    expect(protectedPage?.status()).toBe(200);
    expect(page.url()).toBe(`${stack.appUrl}/auth/sign-in?callbackUrl=%2Fprotected`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByTestId('user-id').count()).toBe(0);
    await screenshotStep(page, 'sign-in-page');

    const me = await page.goto(`${stack.appUrl}/api/me`);
    expect(me?.status()).toBe(401);
    expect(await me?.json()).toMatchObject({ error: 'unauthorized' });
    await screenshotStep(page, 'api-me-401');
  });
});

describe('sign-out', () => {
  it('ends the session in the app and at the issuer, then shows the signed-out home page', async () => {
    const { page, context } = browser;
    await signInWithPassword(page, stack, ALICE);
    expect(await readSessionCookie(context, stack)).toBeDefined();
    await screenshotStep(page, 'signed-in-home');

    const navigations = recordNavigations(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(page.url()).toBe(`${stack.appUrl}/`);
    // The browser went through the issuer's end_session_endpoint (RP-initiated logout).
    expect(navigations.map((url) => `${url.origin}${url.pathname}`)).toContain(`${stack.issuer}/session/end`);
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await screenshotStep(page, 'signed-out-home');

    const me = await page.goto(`${stack.appUrl}/api/me`);
    expect(me?.status()).toBe(401);
  });
});

describe('cancelled sign-in', () => {
  const cancellations: { where: string; start: string; cancel: (page: Page) => Promise<void> }[] = [
    {
      where: 'on the issuer’s sign-in page',
      start: 'Sign in',
      cancel: (page) => page.getByRole('link', { name: 'Cancel' }).click(),
    },
    {
      where: 'on the Kakao screen',
      start: 'Continue with Kakao',
      cancel: (page) => page.getByRole('button', { name: 'Cancel' }).click(),
    },
  ];

  it.each(cancellations)('lands on the error page with "Try again" when the user cancels $where', async ({ start, cancel }) => {
    const { page, context } = browser;
    const navigations = recordNavigations(page);
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: start, exact: true }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    await screenshotStep(page, 'issuer');

    await cancel(page);
    await page.waitForURL(`${stack.appUrl}/auth/error?error=Cancelled`);
    // The issuer answered the app's callback with RFC 6749's access_denied.
    const callback = navigations.find((url) => url.href.startsWith(`${stack.appUrl}/api/auth/callback/logto`));
    expect(callback?.searchParams.get('error')).toBe('access_denied');
    // The error page is prerendered without a query, so it shows its message for `error` once hydrated.
    await eventually(async () => {
      expect(await page.getByTestId('auth-error').textContent()).toBe(
        'The sign-in was cancelled, so you are still signed out.',
      );
    });
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    const tryAgain = page.getByRole('button', { name: 'Try again' });
    expect(await tryAgain.isVisible()).toBe(true);
    await screenshotStep(page, 'auth-error');

    await tryAgain.click();
    await waitForIssuerSignIn(page, stack);
    await screenshotStep(page, 'issuer-sign-in-again');
  });
});
