// The local stand-in for next/font/google in the t3-prisma compat cell, which cannot reach Google Fonts.
// Next.js 13–15 read NEXT_FONT_GOOGLE_MOCKED_RESPONSES (a module mapping each css2 URL to its CSS) instead of
// fetching fonts.googleapis.com, and then use a font file URL's own bytes instead of downloading it
// (next/dist/compiled/@next/font/dist/google/fetch-css-from-google-fonts.js and fetch-font-file.js). So t3's
// `Inter({ subsets: ['latin'], variable: '--font-sans' })` in src/pages/_app.tsx stays as it is: next/font still
// emits its class names, CSS variable and fallback metrics; the browser gets a placeholder font file.
module.exports = new Proxy(
  {},
  {
    get(_target, url) {
      const family = (new URL(String(url)).searchParams.get('family') ?? 'Stand In').split(':')[0];
      return `/* latin */
@font-face {
  font-family: '${family}';
  font-style: normal;
  font-weight: 100 900;
  font-display: swap;
  src: url(https://fonts.gstatic.com/s/stand-in/${encodeURIComponent(family)}.woff2) format('woff2');
  unicode-range: U+0000-00FF;
}
`;
    },
  },
);
