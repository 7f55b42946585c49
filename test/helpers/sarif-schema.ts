import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with `exports.default`: TypeScript under NodeNext sees the module object.
const addFormats = (formats as unknown as { default: (ajv: Ajv) => Ajv }).default;
let validator: ValidateFunction | undefined;

/**
 * A validator for the SARIF 2.1.0 JSON schema shipped with `@microsoft/jest-sarif`. The file
 * declares draft-04 (`id`, `$schema`), which Ajv 8 does not load; the keywords it uses are the same
 * in draft-07, so the header is rewritten and the rest compiled as is.
 */
export function sarifValidator(): ValidateFunction {
  if (validator !== undefined) return validator;
  const path = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // The schema's `language` pattern has a stray `]` that only non-unicode regular expressions accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}
