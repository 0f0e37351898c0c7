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

describe('/books and the organization switcher', () => {
  it('shows alice, a reader, the books, and each organization’s shelf, by its name, as she switches organization', async () => {
    const { page } = browser;
    await signInWithPassword(page, stack, ALICE);

    await page.getByRole('link', { name: 'Books', exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/books`);
    expect(await bookTitles()).toEqual(['The Left Hand of Darkness', 'Kindred', 'Piranesi']);
    await screenshotStep(page, 'books');

    await page.goto(`${stack.appUrl}/`);
    const switcher = page.getByTestId('organization-switcher');
    await switcher.getByRole('link', { name: 'Globex (member)' }).click();
    await page.waitForURL(`${stack.appUrl}/?org=org-globex`);
    await page.getByTestId('organization-books-title').getByText('Books of Globex').waitFor();
    expect(await bookTitles()).toEqual(['The Mythical Man-Month', 'Peopleware']);
    await screenshotStep(page, 'organization-globex');

    await switcher.getByRole('link', { name: 'Acme (admin)' }).click();
    await page.waitForURL(`${stack.appUrl}/?org=org-acme`);
    await page.getByTestId('organization-books-title').getByText('Books of Acme').waitFor();
    expect(await bookTitles()).toEqual(['Designing Data-Intensive Applications']);
    expect(await switcher.getByRole('link', { name: 'Acme (admin)' }).getAttribute('aria-current')).toBe('true');

    // The rotated refresh tokens reached the browser: the session is still good after all these grants.
    const session = await (await page.goto(`${stack.appUrl}/api/auth/session`))!.json();
    expect(session).toMatchObject({ user: { id: ALICE.id, roles: ['reader', 'writer'] } });
    expect(session.error).toBeUndefined();
  });

  it('shows alice the books page and the organization switcher in Korean once she picks Korean', async () => {
    const { page } = browser;
    await signInWithPassword(page, stack, ALICE);
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('link', { name: '도서', exact: true }).waitFor();

    const switcher = page.getByRole('navigation', { name: '조직' });
    await switcher.getByText('조직:').waitFor();
    await switcher.getByRole('link', { name: 'Acme (admin)' }).click();
    await page.waitForURL(`${stack.appUrl}/?org=org-acme`);
    await page.getByTestId('organization-books-title').getByText('Acme의 도서').waitFor();

    await page.getByRole('link', { name: '도서', exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/books`);
    await page.getByRole('heading', { name: '도서' }).waitFor();
    expect(await bookTitles()).toEqual(['The Left Hand of Darkness', 'Kindred', 'Piranesi']);
    expect(await page.getByTestId('books').locator('li').first().textContent()).toBe('The Left Hand of Darkness Ursula K. Le Guin 지음');
    await page.getByRole('link', { name: '홈' }).waitFor();
    await screenshotStep(page, 'books-korean');
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
