import tseslint from 'typescript-eslint';

// `npm run lint:kit-strict`: the kit under the rules create-t3-app 7.x lints with (typescript-eslint's
// recommended-type-checked and stylistic-type-checked, and t3's own adjustments), which `next build` enforces there.
export default tseslint.config(
  {
    files: ['lib/logto/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { project: './scripts/compat/tsconfig.kit-strict.json', tsconfigRootDir: `${import.meta.dirname}/../..` } },
    rules: {
      '@typescript-eslint/array-type': 'off',
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/consistent-type-imports': ['warn', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
);
