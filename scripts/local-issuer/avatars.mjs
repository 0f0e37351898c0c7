/** Path prefix under which the issuer serves the demo users' avatars. */
export const AVATAR_PATH_PREFIX = '/avatars/';

/** Inline SVG avatars, so pictures render without internet access. */
const AVATARS = new Map([
  ['alice.svg', initialsAvatar('A', '#5d34f2')],
  ['kakao.svg', initialsAvatar('카', '#3c1e1e', '#fee500')],
]);

/** Serves `/avatars/<name>.svg`; answers 404 for an unknown avatar. */
export function serveAvatar(pathname, res) {
  const svg = AVATARS.get(pathname.slice(AVATAR_PATH_PREFIX.length));
  if (!svg) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  res
    .writeHead(200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
      // SVG documents can run script; a closed CSP keeps them inert even when opened directly.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    })
    .end(svg);
}

function initialsAvatar(initials, foreground, background = '#ece8ff') {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">',
    `<rect width="128" height="128" rx="64" fill="${background}"/>`,
    `<text x="64" y="64" dy=".35em" text-anchor="middle" font-family="system-ui, sans-serif"`,
    ` font-size="56" font-weight="600" fill="${foreground}">${initials}</text>`,
    '</svg>',
  ].join('');
}
