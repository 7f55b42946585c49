// @ts-check
import tseslint from 'typescript-eslint';
import base from './eslint.config.js';

/**
 * `npm run lint:typed`: the untyped configuration plus typescript-eslint's type-checked presets
 * on `src/**`. It builds a TypeScript program, so it runs on its own (CI runs it) rather than in
 * `npm test`'s `eslint .`.
 */
export default tseslint.config(...base, {
  files: ['src/**/*.ts'],
  extends: [...tseslint.configs.recommendedTypeChecked],
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
});
