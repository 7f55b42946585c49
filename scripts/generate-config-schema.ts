/**
 * Generates `schema/ftbot-config.schema.json`, the JSON schema of ftbot's settings, from the zod
 * schema the CLI and the app validate with, so editors (Taplo, Even Better TOML, YAML language
 * servers) can complete and check `[tool.ftbot]`, `.ftbot.toml` and `.github/ftbot.yml`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderConfigSchema } from '../src/core/config/render-config-schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const CONFIG_SCHEMA_PATH = 'schema/ftbot-config.schema.json';

export default async function generateConfigSchema(): Promise<string[]> {
  await writeFile(`${ROOT}${CONFIG_SCHEMA_PATH}`, renderConfigSchema());
  return [CONFIG_SCHEMA_PATH];
}
