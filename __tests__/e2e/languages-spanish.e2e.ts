import { isIssuerInteraction, waitForSignedInHome } from './helpers/app-flows';
import { recordNavigations, screenshotStep, setUpBrowser } from './helpers/browser';
import { ALICE } from './helpers/demo-users';
import { eventually } from './helpers/eventually';
import { findAuthorizationRequest, readLocaleCookie, readPageLanguage } from './helpers/languages';
import { readSessionCookie } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

// An English-speaking browser in Madrid: the visitor picks Spanish in the switcher.
const browser = setUpBrowser({ locale: 'en-US', timezoneId: 'Europe/Madrid' });
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

describe('/, /protected and /auth/error in Spanish', () => {
  it('switches to Spanish, signs in on the issuer’s Spanish page, and shows the app’s pages in Spanish', async () => {
    const { page } = browser;
    await page.goto(`${stack.appUrl}/`);
    await page.getByText('You are signed out.').waitFor();
    expect(await readPageLanguage(page)).toBe('en');

    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByText('No has iniciado sesión.').waitFor();
    expect(page.url()).toBe(`${stack.appUrl}/`);
    expect(await readPageLanguage(page)).toBe('es');
    expect(await readLocaleCookie(page, stack)).toBe('es');
    await screenshotStep(page, 'signed-out-home');

    const navigations = recordNavigations(page);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    expect(findAuthorizationRequest(navigations, stack).searchParams.get('ui_locales')).toBe('es');
    // The issuer followed ui_locales.
    expect(await readPageLanguage(page)).toBe('es');
    await page.getByLabel('Usuario').fill(ALICE.username!);
    await page.getByLabel('Contraseña').fill(ALICE.password!);
    await screenshotStep(page, 'issuer-sign-in');
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();

    await waitForSignedInHome(page, stack);
    expect(await page.getByTestId('user-name').textContent()).toBe(ALICE.displayName);
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    await screenshotStep(page, 'signed-in-home');

    await page.getByRole('link', { name: 'Página protegida' }).click();
    await page.waitForURL(`${stack.appUrl}/protected`);
    await page.getByRole('heading', { name: 'Página protegida' }).waitFor();
    await page.getByText('Token de acceso válido hasta').waitFor();
    // Once mounted, the expiry is in the browser's time zone (Madrid), with the time left, in Spanish.
    await eventually(async () => {
      expect(await page.getByTestId('access-token-expiry').textContent()).toMatch(
        /^\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{4}, \d{1,2}:\d{2} (CET|CEST)$/,
      );
      expect(await page.getByTestId('access-token-time-left').textContent()).toMatch(/^ \(dentro de \d+ (segundos?|minutos?)\)$/);
    });
    await screenshotStep(page, 'protected');

    await page.reload();
    await page.getByRole('heading', { name: 'Página protegida' }).waitFor();
  });

  it('explains a sign-in cancelled at the issuer in Spanish, and "Intentar de nuevo" reopens the Spanish sign-in page', async () => {
    const { page, context } = browser;
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'es', url: stack.appUrl }]);
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    await page.getByRole('link', { name: 'Cancelar' }).click();

    await page.waitForURL(`${stack.appUrl}/auth/error?error=Cancelled`);
    expect(await page.getByTestId('auth-error').textContent()).toBe(
      'Se canceló el inicio de sesión, así que sigues sin sesión iniciada.',
    );
    await page.getByRole('heading', { name: 'Problema al iniciar sesión' }).waitFor();
    expect(await readPageLanguage(page)).toBe('es');
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await screenshotStep(page, 'auth-error');

    const navigations = recordNavigations(page);
    await page.getByRole('button', { name: 'Intentar de nuevo' }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    expect(findAuthorizationRequest(navigations, stack).searchParams.get('ui_locales')).toBe('es');
    await page.getByLabel('Usuario').waitFor();
  });
});
