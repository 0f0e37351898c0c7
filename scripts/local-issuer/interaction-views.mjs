import { MESSAGES } from './locales.mjs';

/** Escapes a value for HTML text and double- or single-quoted attributes. */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** @typedef {'en' | 'es' | 'ko'} Locale A language of the pages; see locales.mjs. */

/**
 * The username and password form, listing the demo users it accepts.
 * @param {{ locale: Locale, uid: string, appOrigin: string, users: { username: string, password: string }[], username?: string, error?: string }} view
 */
export function signInPage({ locale, uid, appOrigin, users, username = '', error }) {
  const t = MESSAGES[locale];
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    locale,
    t.signInTitle,
    `<h1>${t.signInTitle}</h1>
    <p class="muted">${withApp(t.signInSubtitle, appOrigin)}</p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="${base}/login" autocomplete="off">
      <label>${t.username} <input name="username" value="${escapeHtml(username)}" required autofocus></label>
      <label>${t.password} <input name="password" type="password" required></label>
      <button type="submit" class="primary">${t.signInButton}</button>
    </form>
    <a class="button kakao" href="${base}/kakao">${t.continueWithKakao}</a>
    <p class="muted">${t.demoUsers} ${users
      .map((user) => `<code>${escapeHtml(user.username)}</code> / <code>${escapeHtml(user.password)}</code>`)
      .join(', ')}</p>
    <p><a href="${base}/abort">${t.cancel}</a></p>`,
  );
}

/**
 * The simulated Kakao consent screen that `direct_sign_in=social:kakao` lands on.
 * @param {{ locale: Locale, uid: string, appOrigin: string }} view
 */
export function kakaoConsentPage({ locale, uid, appOrigin }) {
  const t = MESSAGES[locale];
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    locale,
    t.kakaoHeader,
    `<div class="kakao-header">${t.kakaoHeader}</div>
    <h1>${t.kakaoTitle}</h1>
    <p>${withApp(t.kakaoAsks, appOrigin)}</p>
    <ul><li>${t.kakaoNickname}</li><li>${t.kakaoPicture}</li></ul>
    <p class="muted">${t.kakaoNoEmail}</p>
    <form method="post" action="${base}/kakao">
      <button type="submit" class="kakao">${t.kakaoAgree}</button>
      <button type="submit" formaction="${base}/abort">${t.cancel}</button>
    </form>`,
  );
}

/**
 * The "Set username" step of a social sign-up (Logto's /continue/username), which a Kakao account that
 * belongs to no user yet reaches when the sign-up identifier is "Username". `problem` is the phrase key
 * of the refused username.
 * @param {{ locale: Locale, uid: string, username?: string, problem?: string }} view
 */
export function usernamePage({ locale, uid, username = '', problem }) {
  const t = MESSAGES[locale];
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    locale,
    t.setUsernameTitle,
    `<h1>${t.setUsernameTitle}</h1>
    <p class="muted">${t.setUsernameDescription}</p>
    ${problem ? `<p class="error" role="alert">${t[problem]}</p>` : ''}
    <form method="post" action="${base}/username" autocomplete="off">
      <label>${t.username} <input name="username" value="${escapeHtml(username)}" autofocus></label>
      <button type="submit" class="primary">${t.continue}</button>
    </form>
    <p><a href="${base}/abort">${t.cancel}</a></p>`,
  );
}

/**
 * Logto's page for a signed-in user whom the app's access control refuses (experience Consent page,
 * 1.41+): the app gets no callback; the only way on is signing out at `signOutUrl` (end_session).
 * @param {{ locale: Locale, signOutUrl: string }} view
 */
export function accessDeniedPage({ locale, signOutUrl }) {
  const t = MESSAGES[locale];
  const body = t.accessDeniedBody.split('\n').map((line) => `<p>${line}</p>`).join('');
  return page(
    locale,
    t.accessDeniedTitle,
    `<h1>${t.accessDeniedTitle}</h1>
    ${body}
    <a class="button primary" href="${escapeHtml(signOutUrl)}">${t.signOutButton}</a>`,
  );
}

/**
 * An error page; `error` and `description` come from the OAuth error being reported and stay as
 * the protocol has them (English), like Logto's.
 * @param {{ locale: Locale, error: string, description?: string }} view
 */
export function errorPage({ locale, error, description }) {
  const t = MESSAGES[locale];
  return page(
    locale,
    t.errorTitle,
    `<h1>${t.errorTitle}</h1>
    <p class="error"><code>${escapeHtml(error)}</code></p>
    ${description ? `<p>${escapeHtml(description)}</p>` : ''}`,
  );
}

/**
 * The RP-initiated logout confirmation, submitted by script on load as Logto's is; the button is
 * there for browsers without JavaScript. `form` is oidc-provider's form with its XSRF token.
 * @param {{ locale: Locale, form: string }} view
 */
export function logoutPage({ locale, form }) {
  const t = MESSAGES[locale];
  return page(
    locale,
    t.signingOut,
    `<h1>${t.signingOut}</h1>
    ${form}
    <button id="sign-out" type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">${t.signOutButton}</button>
    <script>document.getElementById('sign-out').click();</script>`,
  );
}

/**
 * Shown after a logout request that named no `post_logout_redirect_uri`.
 * @param {{ locale: Locale }} view
 */
export function signedOutPage({ locale }) {
  const t = MESSAGES[locale];
  return page(locale, t.signedOutTitle, `<h1>${t.signedOutTitle}</h1><p>${t.signedOutBody}</p>`);
}

// The messages are trusted text; only the app origin is inserted, escaped.
function withApp(message, appOrigin) {
  return message.replace('{app}', escapeHtml(appOrigin));
}

function page(locale, title, body) {
  const t = MESSAGES[locale];
  return `<!doctype html>
<html lang="${locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} · ${t.titleSuffix}</title>
  <style>${STYLES}</style>
</head>
<body>
  <p class="banner">${t.banner}</p>
  <main>${body}</main>
</body>
</html>`;
}

const STYLES = `
  body { margin: 0; font-family: system-ui, sans-serif; background: #f4f4f6; color: #1f1f24; }
  .banner { margin: 0; padding: 8px; text-align: center; background: #1f1f24; color: #fff; font-size: 14px; }
  main { max-width: 360px; margin: 40px auto; padding: 24px 32px; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }
  h1 { margin: 0 0 4px; font-size: 24px; }
  label { display: block; margin: 12px 0; font-size: 14px; }
  input { display: block; box-sizing: border-box; width: 100%; margin-top: 4px; padding: 10px; font-size: 16px; border: 1px solid #c8c8d0; border-radius: 8px; }
  button, .button { display: block; box-sizing: border-box; width: 100%; margin: 12px 0 0; padding: 12px; font-size: 16px; text-align: center; text-decoration: none; color: #1f1f24; background: #fff; border: 1px solid #c8c8d0; border-radius: 8px; cursor: pointer; }
  .primary { color: #fff; background: #5d34f2; border-color: #5d34f2; }
  .kakao { color: #191919; background: #fee500; border-color: #fee500; }
  .kakao-header { margin: -24px -32px 16px; padding: 12px 32px; background: #fee500; border-radius: 12px 12px 0 0; font-weight: 600; }
  .muted { color: #6b6b76; font-size: 14px; }
  .error { color: #b3261e; }
`;
