import { signInWithPassword } from './helpers/app-flows';
import { screenshotStep, setUpBrowser } from './helpers/browser';
import { ALICE, BOB } from './helpers/demo-users';
import { readStack, type E2eStack } from './helpers/stack';

const browser = setUpBrowser();
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

/** The titles of the books the page lists. */
async function bookTitles(): Promise<string[]> {
  return browser.page.getByTestId('books').locator('cite').allTextContents();
}

describe('API resources, roles and organizations', () => {
  it('shows alice, a reader, the books, and each organization’s shelf as she switches organization', async () => {
    const { page } = browser;
    await signInWithPassword(page, stack, ALICE);

    await page.getByRole('link', { name: 'Books', exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/books`);
    expect(await bookTitles()).toEqual(['The Left Hand of Darkness', 'Kindred', 'Piranesi']);
    await screenshotStep(page, 'books');

    await page.goto(`${stack.appUrl}/`);
    const switcher = page.getByTestId('organization-switcher');
    await switcher.getByRole('link', { name: 'org-globex (member)' }).click();
    await page.waitForURL(`${stack.appUrl}/?org=org-globex`);
    await page.getByTestId('organization-books-title').getByText('Books of org-globex').waitFor();
    expect(await bookTitles()).toEqual(['The Mythical Man-Month', 'Peopleware']);
    await screenshotStep(page, 'organization-globex');

    await switcher.getByRole('link', { name: 'org-acme (admin)' }).click();
    await page.waitForURL(`${stack.appUrl}/?org=org-acme`);
    await page.getByTestId('organization-books-title').getByText('Books of org-acme').waitFor();
    expect(await bookTitles()).toEqual(['Designing Data-Intensive Applications']);
    expect(await switcher.getByRole('link', { name: 'org-acme (admin)' }).getAttribute('aria-current')).toBe('true');

    // The rotated refresh tokens reached the browser: the session is still good after all these grants.
    const session = await (await page.goto(`${stack.appUrl}/api/auth/session`))!.json();
    expect(session).toMatchObject({ user: { id: ALICE.id, roles: ['reader', 'writer'] } });
    expect(session.error).toBeUndefined();
  });

  it('tells bob, who has no role, that his account needs the reader role, and shows him no switcher', async () => {
    const { page } = browser;
    await signInWithPassword(page, stack, BOB);
    expect(await page.getByTestId('organization-switcher').count()).toBe(0);

    await page.goto(`${stack.appUrl}/books`);

    await page.getByTestId('books-needs-role').getByText('Your account needs the reader role').waitFor();
    expect(await page.getByTestId('books').count()).toBe(0);
    await screenshotStep(page, 'books-needs-role');
  });
});
