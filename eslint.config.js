import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-artifacts/', '.build/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // The page's thread carries no tensor code: it never imports tfjs, nor the engine parts that do (tests/e2e/page-bundle.test.ts checks the build).
    files: ['src/ui/**', 'src/App.svelte', 'src/main.ts', 'src/phenomena/**/*.svelte', 'src/phenomena/pages.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tensorflow/*'], message: 'tensor code runs in the worker, not on the page' },
            { group: ['**/core/train/*', '**/core/run/loop', '**/core/objectives/*', '**/core/models/mlp', '**/core/models/twoLayerBatch', '**/phenomena/*/build', '**/phenomena/*/sweep', '**/phenomena/*/run'], message: 'these load tfjs: the page reaches the engine through the worker' },
          ],
        },
      ],
    },
  },
);
