// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins and I/O packages the pure core must never import (see CONTRIBUTING, "Layers"). */
const ioModules = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'child_process', 'probot', '@octokit/*', 'openai'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**', 'test/fixtures/**', '.bench-cache/**', 'packages/ftbot/dist/**', 'python/build/**', 'python/src/ftbot/cli/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioModules, message: 'src/core is pure: take I/O through a port from src/core/ports.ts.' },
            { group: ['**/io/**', '**/cli/**', '**/github/**'], message: 'src/core may not depend on a shell.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core reads no environment; take it from the caller.' },
        { name: 'console', message: 'src/core logs only through the Logger port.' },
        { name: 'fetch', message: 'src/core makes no requests; take a port.' },
      ],
    },
  },
  {
    files: ['src/io/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['probot', '**/github/**', '**/cli/**'], message: 'src/io knows nothing of Probot or the CLI.' }] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['probot', '**/github/handlers/**'], message: 'The CLI reuses the core and src/github/pipeline, not Probot.' }] },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Return an exit code from execute().' }],
    },
  },
);
