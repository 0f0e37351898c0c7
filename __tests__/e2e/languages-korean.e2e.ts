import { isIssuerInteraction, waitForSignedInHome } from './helpers/app-flows';
import { recordNavigations, screenshotStep, setUpBrowser } from './helpers/browser';
import { KAKAO_USER } from './helpers/demo-users';
import { eventually } from './helpers/eventually';
import { findAuthorizationRequest, readLocaleCookie, readPageLanguage } from './helpers/languages';
import { readSessionCookie } from './helpers/session-cookie';
import { readStack, type E2eStack } from './helpers/stack';

// A Korean browser in Seoul: Accept-Language alone picks Korean, no switcher needed.
const browser = setUpBrowser({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
let stack: E2eStack;

beforeAll(() => {
  stack = readStack();
});

describe('/, /protected and /auth/error in Korean', () => {
  it('greets a Korean browser in Korean, goes to Kakao in Korean, and shows the app’s pages in Korean', async () => {
    const { page } = browser;
    await page.goto(`${stack.appUrl}/`);
    await page.getByText('로그인하지 않은 상태입니다.').waitFor();
    expect(await readPageLanguage(page)).toBe('ko');
    expect(await readLocaleCookie(page, stack)).toBeUndefined();
    await screenshotStep(page, 'signed-out-home');

    const navigations = recordNavigations(page);
    await page.getByRole('button', { name: '카카오로 계속하기' }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    const authorization = findAuthorizationRequest(navigations, stack).searchParams;
    expect(authorization.get('ui_locales')).toBe('ko');
    expect(authorization.get('direct_sign_in')).toBe('social:kakao');
    expect(await readPageLanguage(page)).toBe('ko');
    await page.getByRole('heading', { name: '카카오로 로그인' }).waitFor();
    await screenshotStep(page, 'kakao-consent');

    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await waitForSignedInHome(page, stack);
    expect(await page.getByTestId('user-name').textContent()).toBe(KAKAO_USER.displayName);
    expect(await page.getByTestId('user-email').textContent()).toBe('공유된 이메일 없음');
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await screenshotStep(page, 'signed-in-home');

    await page.getByRole('link', { name: '보호된 페이지' }).click();
    await page.waitForURL(`${stack.appUrl}/protected`);
    await page.getByRole('heading', { name: '보호된 페이지' }).waitFor();
    await page.getByText('액세스 토큰 만료 시각').waitFor();
    // Once mounted, the expiry is in the browser's time zone (Seoul), with the time left, in Korean.
    await eventually(async () => {
      expect(await page.getByTestId('access-token-expiry').textContent()).toMatch(
        /^\d{4}년 \d{1,2}월 \d{1,2}일 (오전|오후|AM|PM) \d{1,2}:\d{2} GMT\+9$/,
      );
      expect(await page.getByTestId('access-token-time-left').textContent()).toMatch(/^ \(\d+(초|분) 후\)$/);
    });
    await screenshotStep(page, 'protected');
  });

  it('explains a sign-in cancelled at the issuer in Korean, and "다시 시도" reopens the Korean sign-in page', async () => {
    const { page, context } = browser;
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    await page.getByLabel('사용자 이름').waitFor();
    await page.getByRole('link', { name: '취소' }).click();

    await page.waitForURL(`${stack.appUrl}/auth/error?error=Cancelled`);
    expect(await page.getByTestId('auth-error').textContent()).toBe('로그인이 취소되어 로그인하지 않은 상태입니다.');
    await page.getByRole('heading', { name: '로그인 문제' }).waitFor();
    expect(await readPageLanguage(page)).toBe('ko');
    expect(await readSessionCookie(context, stack)).toBeUndefined();
    await screenshotStep(page, 'auth-error');

    const navigations = recordNavigations(page);
    await page.getByRole('button', { name: '다시 시도' }).click();
    await page.waitForURL((url) => isIssuerInteraction(url, stack));
    expect(findAuthorizationRequest(navigations, stack).searchParams.get('ui_locales')).toBe('ko');
    await page.getByLabel('사용자 이름').waitFor();
  });
});
