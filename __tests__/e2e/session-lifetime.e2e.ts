import { setTimeout as sleep } from 'node:timers/promises';
import { EXPIRY_MARGIN_SECONDS } from '@/lib/logto/session/refresh-access-token';
import { readUserCard, signInWithPassword, submitIssuerSignIn, waitForIssuerSignIn, waitForSignedInHome } from './helpers/app-flows';
import { recordNavigations, recordRequestsTo, screenshotStep, setUpBrowser } from './helpers/browser';
import { ALICE, BOB } from './helpers/demo-users';
import { eventually } from './helpers/eventually';
import { readIssuerMetrics } from './helpers/issuer-admin';
import { readIssuerStore } from './helpers/issuer-store';
import { readSessionCookie, readSessionToken } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

const browser = setUpBrowser();
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

// Logto returns the same refresh token until 70% of its lifetime has passed, and a new one from then on
// (core/src/oidc/defaults.ts, rotateRefreshToken); its lifetime is 14 days for a traditional web app.
const ROTATION_THRESHOLD = 0.7;

/** The refresh token's record at the issuer, once it has written it to store.json. */
function storedRefreshToken(onStack: E2eStack, refreshToken: string) {
  return eventually(() => {
    const stored = readIssuerStore(onStack)[`RefreshToken:${refreshToken}`];
    if (!stored) throw new Error(`The issuer has no refresh token ${refreshToken}`);
    return stored.payload as { iat: number; exp: number; consumed?: number; rotations?: number };
  });
}

describe('session refresh with short-lived access tokens', () => {
  it('refreshes the access token on the server once it falls due, with no new sign-in, and keeps the young refresh token', async () => {
    const { page, context } = browser;
    await signInWithPassword(page, stack, ALICE);
    const refreshGrantsBefore = (await readIssuerMetrics(stack)).grants.refresh_token ?? 0;
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
    expect(after?.expiresAt).toBeGreaterThan(before.expiresAt);
    // The issuer ran the refresh_token grant once. Seconds into a 14-day lifetime, it handed the same
    // refresh token back and left it unconsumed, as Logto does before 70%.
    expect((await readIssuerMetrics(stack)).grants.refresh_token).toBe(refreshGrantsBefore + 1);
    expect(after?.refreshToken).toBe(before.refreshToken);
    const stored = await storedRefreshToken(stack, before.refreshToken as string);
    expect(stored.consumed).toBeUndefined();
    expect(stored.exp - stored.iat).toBe(14 * 24 * 60 * 60);
    // The browser never went back to the issuer: the refresh happened server to server.
    expect(navigations.filter((url) => url.origin === stack.issuerUrl)).toEqual([]);
  });
});

describe('session refresh once 70% of the refresh token’s lifetime has passed', () => {
  it('gets a new refresh token from Logto, which consumes the old one, and keeps the user signed in', async () => {
    const { page, context } = browser;
    // This stack's issuer gives refresh tokens 20 s instead of 14 days (global-setup.ts).
    const shortLived = readStack('shortRefreshTokens');
    await signInWithPassword(page, shortLived, ALICE);
    const signedIn = await readSessionToken(context, shortLived);
    if (!signedIn?.refreshToken) throw new Error('The session holds no refresh token');
    const first = await storedRefreshToken(shortLived, signedIn.refreshToken);
    expect(first.exp - first.iat).toBe(20);

    // Away from the app while the token ages, so that nothing refreshes before the moment chosen here.
    await page.goto('about:blank');
    const rotationDueAtMs = (first.iat + ROTATION_THRESHOLD * (first.exp - first.iat) + 1) * 1000;
    await sleep(Math.max(0, rotationDueAtMs - Date.now()));
    expect(Date.now()).toBeLessThan(first.exp * 1000 - 2_000);
    const metricsBefore = await readIssuerMetrics(shortLived);

    // The access token fell due long ago (5 s), so rendering /protected refreshes on the server.
    const response = await page.goto(`${shortLived.appUrl}/protected`);
    expect(response?.status()).toBe(200);
    expect(await page.getByTestId('user-id').textContent()).toBe(ALICE.id);
    await screenshotStep(page, 'protected-after-rotation');

    const after = await readSessionToken(context, shortLived);
    expect(after).toMatchObject({ sub: ALICE.id });
    expect(after?.error).toBeUndefined();
    expect(after?.refreshToken).toEqual(expect.any(String));
    expect(after?.refreshToken).not.toBe(signedIn.refreshToken);
    const metricsAfter = await readIssuerMetrics(shortLived);
    expect(metricsAfter.grants.refresh_token ?? 0).toBe((metricsBefore.grants.refresh_token ?? 0) + 1);
    expect(metricsAfter.revokedGrants).toBe(metricsBefore.revokedGrants);
    // The issuer consumed the old token (presenting it again would revoke the grant) and issued a fresh one.
    await eventually(async () => {
      expect((await storedRefreshToken(shortLived, signedIn.refreshToken as string)).consumed).toEqual(expect.any(Number));
    });
    const rotated = await storedRefreshToken(shortLived, after?.refreshToken as string);
    expect(rotated).toMatchObject({ rotations: 1 });
    expect(rotated.consumed).toBeUndefined();
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
