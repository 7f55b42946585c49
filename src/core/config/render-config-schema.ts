import { z } from 'zod';
import { configSchema } from './schema.js';

/** The JSON schema (draft 2020-12) of ftbot's settings, as committed in `schema/`, with a newline. */
export function renderConfigSchema(): string {
  const schema = { ...z.toJSONSchema(configSchema), title: 'ftbot configuration' };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
