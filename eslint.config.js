// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The mocha reporter is a 20-line CommonJS file mocha loads with require(); it is not part of the typed project.
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.build/',
      'coverage/',
      'data/',
      '.test-results/',
      'test/support/summary-reporter.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The product core knows no platform, database or scheduler (docs/architecture.md); test/core/boundary.test.ts
    // checks the same thing from the sources.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(botbuilder|botframework-|@slack/|mongodb|@seald-io/|node-cron|express|pino|zod)',
              message: 'src/core imports no platform SDK, database, scheduler or HTTP framework; add a port.',
            },
            { regex: '^node:(fs|http|https|net|child_process)', message: 'src/core does no I/O; add a port.' },
            { regex: '(^|/)adapters/', message: 'src/core does not import adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // mocha's `this` and chai-less assert style
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The playground page runs in the browser; playground/tsconfig.json type-checks it (JSDoc) against the DOM.
    files: ['playground/**/*.js'],
    languageOptions: { globals: { ...globals.browser, AdaptiveCards: 'readonly' } },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // Plain Node scripts of the test tooling (run before anything is compiled): checked without types, may print.
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  prettier,
);
