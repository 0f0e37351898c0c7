import { setTimeout as sleep } from 'node:timers/promises';
import { EXPIRY_MARGIN_SECONDS } from '@/lib/logto/session/refresh-access-token';
import { readUserCard, signInWithPassword, submitIssuerSignIn, waitForIssuerSignIn, waitForSignedInHome } from './helpers/app-flows';
import { recordNavigations, recordRequestsTo, screenshotStep, setUpBrowser } from './helpers/browser';
import { ALICE, BOB } from './helpers/demo-users';
import { eventually } from './helpers/eventually';
import { readIssuerStore } from './helpers/issuer-store';
import { readSessionCookie, readSessionToken } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

const browser = setUpBrowser();
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

describe('session refresh with short-lived access tokens', () => {
  it('refreshes the access token on the server once it falls due, with no new sign-in', async () => {
    const { page, context } = browser;
    await signInWithPassword(page, stack, ALICE);
    const navigations = recordNavigations(page);
    const sessionFetches = recordRequestsTo(page, `${stack.appUrl}/api/auth/session`);
    await page.goto(`${stack.appUrl}/protected`);
    const before = await readSessionToken(context, stack);
    if (!before?.expiresAt || !before.refreshToken) throw new Error('The session holds no expiring access token');
    // global-setup.ts gave the issuer a short access-token lifetime.
    expect(before.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(stack.accessTokenTtl);
    await screenshotStep(page, 'protected-before-refresh');

    // From this moment the app treats the access token as expired (lib/logto/session/refresh-access-token.ts).
    const dueAtMs = (before.expiresAt - EXPIRY_MARGIN_SECONDS) * 1000;
    await sleep(Math.max(0, dueAtMs - Date.now()) + 250);
    // Meanwhile the page did not poll its session: it refetches once, shortly before expiry (lib/ui/session-keeper.tsx).
    expect(sessionFetches.length).toBeLessThanOrEqual(2);

    const reloaded = await page.reload();
    expect(reloaded?.status()).toBe(200);
    expect(page.url()).toBe(`${stack.appUrl}/protected`);
    expect(await page.getByTestId('user-id').textContent()).toBe(ALICE.id);
    expect(await page.getByTestId('user-name').textContent()).toBe(ALICE.displayName);
    await screenshotStep(page, 'protected-after-refresh');

    const after = await readSessionToken(context, stack);
    expect(after).toMatchObject({ sub: ALICE.id });
    expect(after?.error).toBeUndefined();
    expect(after?.accessToken).not.toBe(before.accessToken);
    expect(after?.refreshToken).not.toBe(before.refreshToken);
    expect(after?.expiresAt).toBeGreaterThan(before.expiresAt);
    // The issuer ran the refresh_token grant: it rotated the refresh token and consumed the old one.
    await eventually(() => {
      const old = readIssuerStore(stack)[`RefreshToken:${before.refreshToken}`];
      expect(old?.payload.consumed).toEqual(expect.any(Number));
    });
    // The browser never went back to the issuer: the refresh happened server to server.
    expect(navigations.filter((url) => url.origin === stack.issuerUrl)).toEqual([]);
  });
});

describe('sign-in after sign-out', () => {
  it('shows the issuer’s sign-in page again instead of signing the user straight back in', async () => {
    const { page, context } = browser;
    await signInWithPassword(page, stack, ALICE);
    const token = await readSessionToken(context, stack);
    if (!token?.refreshToken) throw new Error('The session holds no refresh token');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    // Sign-out revoked the refresh token (RFC 7009), which end_session alone would leave valid.
    await eventually(() => {
      expect(readIssuerStore(stack)[`RefreshToken:${token.refreshToken}`]).toBeUndefined();
    });
    await screenshotStep(page, 'signed-out-home');

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForIssuerSignIn(page, stack);
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await screenshotStep(page, 'issuer-sign-in');

    // The form really decides who signs in: another user this time.
    await submitIssuerSignIn(page, BOB);
    await waitForSignedInHome(page, stack);
    expect(await readUserCard(page)).toMatchObject({ name: BOB.displayName, email: BOB.displayEmail, avatarSrc: null });
    await screenshotStep(page, 'signed-in-as-bob');
  });
});
