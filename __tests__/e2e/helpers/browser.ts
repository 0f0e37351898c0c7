import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS_DIR, LOG_DIR, ROOT_DIR } from './artifacts';

/** Debian's Chromium (CI installs it with apt-get); CHROMIUM_PATH points elsewhere when needed. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  // Containers and CI runners seldom allow Chromium's user-namespace sandbox.
  '--no-sandbox',
  // Nothing but the app and the issuer on loopback: no update checks, sync, or field trials.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-gpu',
];

/** A fixed size, so screenshots compare across runs and suit the README. */
const VIEWPORT = { width: 960, height: 600 };

/** The browser of the current test file, and the context and page of the current test. */
export interface BrowserFixture {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/** The browser's language (it sends it as Accept-Language) and time zone; US English and UTC unless a test says otherwise. */
export interface BrowserLocale {
  locale?: string;
  timezoneId?: string;
}

/**
 * Registers jest hooks that launch Chromium once per file (playwright gives it a fresh temporary
 * profile) and open a new context — no cookies, no storage — and page for every test.
 */
export function setUpBrowser({ locale = 'en-US', timezoneId = 'UTC' }: BrowserLocale = {}): BrowserFixture {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser!.newContext({ viewport: VIEWPORT, locale, timezoneId });
    page = await context.newPage();
    logBrowserProblems(page);
  });
  afterEach(async () => {
    await context?.close();
  });

  const required = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`No ${name}: use the fixture inside a test`);
    return value;
  };
  return {
    get browser() {
      return required(browser, 'browser');
    },
    get context() {
      return required(context, 'browser context');
    },
    get page() {
      return required(page, 'page');
    },
  };
}

const stepCounts = new Map<string, number>();

/** Saves a screenshot as test-results/e2e/<test name>/<nn>-<step>.png, numbered in order; returns the path. */
export async function screenshotStep(page: Page, step: string): Promise<string> {
  const testName = expect.getState().currentTestName ?? 'outside-a-test';
  const count = (stepCounts.get(testName) ?? 0) + 1;
  stepCounts.set(testName, count);
  const dir = join(ARTIFACTS_DIR, slug(testName));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${String(count).padStart(2, '0')}-${slug(step)}.png`);
  await page.screenshot({ path });
  return path;
}

/** With E2E_UPDATE_README_SCREENSHOT=1, overwrites docs/signed-in-home.png (shown in the README) with `page`. */
export async function updateReadmeScreenshot(page: Page): Promise<void> {
  if (process.env.E2E_UPDATE_README_SCREENSHOT !== '1') return;
  const box = await page.locator('main').boundingBox();
  if (!box) throw new Error('The page has no <main> to show in the README');
  const margin = 24;
  // From the top of the page, so the language switcher above <main> is in the picture too.
  const clip = { x: box.x - margin, y: 0, width: box.width + 2 * margin, height: box.y + box.height + margin };
  mkdirSync(join(ROOT_DIR, 'docs'), { recursive: true });
  await page.screenshot({ path: join(ROOT_DIR, 'docs', 'signed-in-home.png'), clip });
}

/** Records the URL of every request `page` makes to `url` (query strings aside), from now on. */
export function recordRequestsTo(page: Page, url: string): URL[] {
  const urls: URL[] = [];
  page.on('request', (request) => {
    const requested = new URL(request.url());
    if (`${requested.origin}${requested.pathname}` === url) urls.push(requested);
  });
  return urls;
}

/**
 * Records the URL of every navigation request of the page's main frame, redirect hops included,
 * from now on: which screens of the issuer the browser went through.
 */
export function recordNavigations(page: Page): URL[] {
  const urls: URL[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) urls.push(new URL(request.url()));
  });
  return urls;
}

/** Appends the page's console errors and warnings, and uncaught exceptions, to logs/browser.log. */
function logBrowserProblems(page: Page): void {
  const testName = expect.getState().currentTestName ?? 'outside a test';
  const log = (line: string) => appendFileSync(join(LOG_DIR, 'browser.log'), `[${testName}] ${line}\n`);
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    log(`console.${message.type()}: ${message.text()} (${message.location().url || page.url()})`);
  });
  page.on('pageerror', (error) => log(`uncaught: ${error.message} (${page.url()})`));
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
}
