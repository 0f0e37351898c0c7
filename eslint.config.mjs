import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// Next.js 16 removed `next lint`: ESLint runs directly with Next's flat config.
const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  { ignores: ['.next/**', 'node_modules/**', 'next-env.d.ts', '.local-issuer/**', 'test-results/**'] },
  // create-t3-app 7.x lints the copied kit and suite with typescript-eslint 7, whose recommended rules include this one.
  { files: ['lib/logto/**/*.ts', '__tests__/logto-kit/**/*.ts'], rules: { '@typescript-eslint/no-var-requires': 'error' } },
];

export default config;
