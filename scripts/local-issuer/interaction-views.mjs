/** Escapes a value for HTML text and double- or single-quoted attributes. */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The username and password form, listing the demo users it accepts.
 * @param {{ uid: string, appOrigin: string, users: { username: string, password: string }[], username?: string, error?: string }} view
 */
export function signInPage({ uid, appOrigin, users, username = '', error }) {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    'Sign in',
    `<h1>Sign in</h1>
    <p class="muted">to continue to ${escapeHtml(appOrigin)}</p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="${base}/login" autocomplete="off">
      <label>Username <input name="username" value="${escapeHtml(username)}" required autofocus></label>
      <label>Password <input name="password" type="password" required></label>
      <button type="submit" class="primary">Sign in</button>
    </form>
    <a class="button kakao" href="${base}/kakao">Continue with Kakao</a>
    <p class="muted">Demo users: ${users
      .map((user) => `<code>${escapeHtml(user.username)}</code> / <code>${escapeHtml(user.password)}</code>`)
      .join(', ')}</p>
    <p><a href="${base}/abort">Cancel</a></p>`,
  );
}

/** The simulated Kakao consent screen that `direct_sign_in=social:kakao` lands on. */
export function kakaoConsentPage({ uid, appOrigin }) {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    'Kakao (local simulation)',
    `<div class="kakao-header">Kakao (local simulation)</div>
    <h1>Sign in with Kakao</h1>
    <p>${escapeHtml(appOrigin)} asks to see your Kakao profile:</p>
    <ul><li>Nickname</li><li>Profile picture</li></ul>
    <p class="muted">Your email address is not shared.</p>
    <form method="post" action="${base}/kakao">
      <button type="submit" class="kakao">Agree and continue</button>
      <button type="submit" formaction="${base}/abort">Cancel</button>
    </form>`,
  );
}

/**
 * An error page; `error` and `description` come from the OAuth error being reported.
 * @param {{ error: string, description?: string }} view
 */
export function errorPage({ error, description }) {
  return page(
    'Something went wrong',
    `<h1>Something went wrong</h1>
    <p class="error"><code>${escapeHtml(error)}</code></p>
    ${description ? `<p>${escapeHtml(description)}</p>` : ''}`,
  );
}

/**
 * The RP-initiated logout confirmation, submitted by script on load as Logto's is; the button is
 * there for browsers without JavaScript. `form` is oidc-provider's form with its XSRF token.
 */
export function logoutPage(form) {
  return page(
    'Signing out',
    `<h1>Signing out…</h1>
    ${form}
    <button id="sign-out" type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">Sign out</button>
    <script>document.getElementById('sign-out').click();</script>`,
  );
}

/** Shown after a logout request that named no `post_logout_redirect_uri`. */
export function signedOutPage() {
  return page('Signed out', '<h1>Signed out</h1><p>You can close this window.</p>');
}

function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Local development issuer</title>
  <style>${STYLES}</style>
</head>
<body>
  <p class="banner">Local development issuer — not Logto</p>
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
