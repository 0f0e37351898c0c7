import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { isIssuerInteraction, readUserCard, waitForSignedInHome } from './helpers/app-flows';
import { recordNavigations, screenshotStep, setUpBrowser } from './helpers/browser';
import { KAKAO_USER } from './helpers/demo-users';
import { readSessionCookie } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

const browser = setUpBrowser();

/** What the app's `/api/me` shows of the signed-in user (pages/api/me.ts). */
interface MeUser {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
  roles: string[];
  organizations: unknown[];
}

/** The user the app's session holds, as `/api/me` shows it; visits the route in `page`. */
async function readMe(page: Page, stack: E2eStack): Promise<MeUser> {
  const me = await page.goto(`${stack.appUrl}/api/me`);
  expect(me?.status()).toBe(200);
  return ((await me?.json()) as { user: MeUser }).user;
}

/** From the app's home, "Continue with Kakao" → the issuer's simulated Kakao screen (no Logto sign-in page). */
async function continueWithKakao(page: Page, stack: E2eStack): Promise<void> {
  await page.goto(`${stack.appUrl}/`);
  await page.getByRole('button', { name: 'Continue with Kakao' }).click();
  await page.waitForURL((url) => isIssuerInteraction(url, stack));
  await page.getByRole('heading', { name: 'Sign in with Kakao' }).waitFor();
  // direct_sign_in=social:kakao skipped the issuer's own sign-in page.
  expect(await page.getByLabel('Password').count()).toBe(0);
}

/** Whether the browser submitted Logto's "Set username" form (POST /interaction/<uid>/username). */
function submittedUsername(navigations: URL[], stack: E2eStack): boolean {
  return navigations.some((url) => isIssuerInteraction(url, stack) && url.pathname.endsWith('/username'));
}

/** A user the issuer created at a social sign-up (scripts/local-issuer/user-directory.mjs, users.json). */
interface SignedUpUser {
  id: string;
  username: string;
  identities: Record<string, { userId: string }>;
}

describe('Kakao sign-in of a Kakao account already linked to a Logto user (the issuer’s default)', () => {
  it('signs the Kakao user straight in from the Kakao screen, with nickname and picture and no email', async () => {
    const { page } = browser;
    const stack = readStack('main');
    const navigations = recordNavigations(page);
    await continueWithKakao(page, stack);
    await screenshotStep(page, 'kakao-consent');

    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await waitForSignedInHome(page, stack);
    expect(submittedUsername(navigations, stack)).toBe(false);
    const card = await readUserCard(page);
    expect(card).toMatchObject({
      name: KAKAO_USER.displayName,
      email: 'No email shared',
      avatarSrc: `${stack.issuerUrl}${KAKAO_USER.avatarPath}`,
    });
    expect(card.avatarNaturalWidth).toBeGreaterThan(0);
    await screenshotStep(page, 'signed-in-home');

    expect(await readMe(page, stack)).toEqual({
      id: KAKAO_USER.id,
      name: KAKAO_USER.displayName,
      email: null,
      image: `${stack.issuerUrl}${KAKAO_USER.avatarPath}`,
      // The Kakao user has no role and belongs to no organization.
      roles: [],
      organizations: [],
    });
  });
});

// Logto's sign-up identifier is "Username" and Kakao shares no email: the first Kakao sign-in of an account no
// user has yet stops on Logto's "Set username" page (global-setup.ts: LOCAL_ISSUER_KAKAO_SIGN_UP=username).
describe('Kakao sign-in of a new Kakao account when Logto’s sign-up asks for a username', () => {
  it('asks for a username once, then signs the same user straight in after sign-out', async () => {
    const { page, context } = browser;
    const stack = readStack('kakaoUsernameSignUp');
    const firstVisit = recordNavigations(page);
    await continueWithKakao(page, stack);
    await page.getByRole('button', { name: 'Agree and continue' }).click();

    await page.getByRole('heading', { name: 'Set username' }).waitFor();
    expect(isIssuerInteraction(new URL(page.url()), stack)).toBe(true);
    // Still at Logto: the app has had no callback yet.
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await screenshotStep(page, 'set-username');

    await page.getByLabel('Username').fill('kakao_friend');
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForSignedInHome(page, stack);
    expect(submittedUsername(firstVisit, stack)).toBe(true);
    // Logto filled the new user's name and avatar from the Kakao profile; there is still no email.
    expect(await readUserCard(page)).toMatchObject({
      name: KAKAO_USER.displayName,
      email: 'No email shared',
      avatarSrc: `${stack.issuerUrl}${KAKAO_USER.avatarPath}`,
    });
    await screenshotStep(page, 'signed-in-home');
    const signedUp = await readMe(page, stack);
    expect(signedUp).toEqual({
      // A new Logto user id (12 lowercase letters and digits), not the seeded kakao-demo.
      id: expect.stringMatching(/^[0-9a-z]{12}$/),
      name: KAKAO_USER.displayName,
      email: null,
      image: `${stack.issuerUrl}${KAKAO_USER.avatarPath}`,
      roles: [],
      organizations: [],
    });
    // Logto created exactly one user, with the chosen username and the Kakao account linked to it.
    const users = JSON.parse(readFileSync(join(stack.issuerDataDir, 'users.json'), 'utf8')) as SignedUpUser[];
    expect(users).toEqual([
      expect.objectContaining({
        id: signedUp.id,
        username: 'kakao_friend',
        identities: { kakao: expect.objectContaining({ userId: expect.any(String) }) },
      }),
    ]);

    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await readSessionCookie(context, stack)).toBeUndefined();

    const secondVisit = recordNavigations(page);
    await continueWithKakao(page, stack);
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    // No form this time: the Kakao account now belongs to the user created above.
    await waitForSignedInHome(page, stack);
    expect(submittedUsername(secondVisit, stack)).toBe(false);
    await screenshotStep(page, 'signed-in-again');
    expect(await readMe(page, stack)).toEqual(signedUp);
  });
});
