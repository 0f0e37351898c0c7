import { isIssuerInteraction, signInWithPassword } from './helpers/app-flows';
import { recordNavigations, screenshotStep, setUpBrowser } from './helpers/browser';
import { BOB } from './helpers/demo-users';
import { eventually } from './helpers/eventually';
import { setAppAccess } from './helpers/issuer-admin';
import { readSessionCookie } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

const browser = setUpBrowser();
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

// The other test files sign bob in: he gets his access back whatever happens here.
afterEach(async () => {
  await setAppAccess(stack, BOB.id, true);
});

// Logto 1.41+ app-level access control: an admin's rules decide who may use the app.
// https://docs.logto.io/integrate-logto/app-level-access-control
describe('sign-in of a user the app’s access control refuses', () => {
  it('sends a returning user, whose Logto session is alive, to the error page explaining the refusal', async () => {
    const { page, context } = browser;
    await signInWithPassword(page, stack, BOB);
    // The app's session is gone (as once it expires) while Logto's lives on; then the admin refuses bob.
    await context.clearCookies({ name: /^(__Secure-)?next-auth\.session-token/ });
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await setAppAccess(stack, BOB.id, false);

    const navigations = recordNavigations(page);
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/auth/error?error=AppAccessDenied`);

    // Logto found bob's grant through his session and refused it at once (loadExistingGrant): no sign-in
    // page, and the app's callback carries RFC 6749's access_denied with Logto's description.
    expect(navigations.filter((url) => isIssuerInteraction(url, stack))).toEqual([]);
    const callback = navigations.find((url) => url.href.startsWith(`${stack.appUrl}/api/auth/callback/logto`));
    expect(callback?.searchParams.get('error')).toBe('access_denied');
    expect(callback?.searchParams.get('error_description')).toBe('Access denied.');
    await eventually(async () => {
      expect(await page.getByTestId('auth-error').textContent()).toBe(
        'Your account is not allowed to use this app, so you are still signed out. Ask your administrator for access. ' +
          'Administrator: in Logto Console → Applications → this app → Rules, add an allow rule that matches this user ' +
          '(a user, user role, organization or organization role) and save.',
      );
    });
    expect(await page.getByText('AppAccessDenied').isVisible()).toBe(true);
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await screenshotStep(page, 'auth-error');

    const me = await page.goto(`${stack.appUrl}/api/me`);
    expect(me?.status()).toBe(401);
  });
});
