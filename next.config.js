/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Keep `next dev` / `next build` from guessing a workspace root above this folder.
  outputFileTracingRoot: __dirname,
};

module.exports = nextConfig;
