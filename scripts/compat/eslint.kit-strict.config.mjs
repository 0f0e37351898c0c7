import tseslint from 'typescript-eslint';

// `npm run lint:kit-strict`: the kit and its drop-in suite under the rules create-t3-app 7.x lints with
// (typescript-eslint's recommended-type-checked and stylistic-type-checked, and t3's own adjustments), which
// `next build` enforces there: a t3 app keeps both under src/, where `next lint` looks.
export default tseslint.config(
  // The suite's jest config is CommonJS, which a t3 app keeps as .cjs (next lint reads .js, .jsx, .ts, .tsx only).
  { ignores: ['__tests__/logto-kit/jest.config.js'] },
  {
    files: ['lib/logto/**/*.ts', '__tests__/logto-kit/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { project: './scripts/compat/tsconfig.kit-strict.json', tsconfigRootDir: `${import.meta.dirname}/../..` } },
    rules: {
      '@typescript-eslint/array-type': 'off',
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/consistent-type-imports': ['warn', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // t3 7.x ships typescript-eslint 7, whose defaults are stricter than 8's here (the t3-prisma compat cell
      // failed on them): `||` in conditions, URLSearchParams in template literals, require() assigned.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignoreConditionalTests: false }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allow: [] }],
      '@typescript-eslint/no-var-requires': 'error',
    },
  },
);
