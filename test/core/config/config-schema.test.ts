import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderConfigSchema } from '../../../src/core/config/render-config-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('schema/ftbot-config.schema.json', () => {
  it('is what `npm run generate` writes from the zod schema (run it after changing the schema)', () => {
    expect(readFileSync(join(root, 'schema', 'ftbot-config.schema.json'), 'utf8')).toBe(renderConfigSchema());
  });

  it('accepts a real configuration, lower-case ids included, and rejects a misspelt key', () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(JSON.parse(renderConfigSchema()) as object);
    expect(validate({ select: ['ft0'], 'extend-select': ['FT014'], 'per-file-ignores': { 'tests/**': ['FT001'] }, llm: { enabled: false } })).toBe(true);
    expect(validate({ 'min-confidance': 'high' })).toBe(false);
  });
});
