/**
 * Reads the prompt files shipped in `prompts/` and hands them to the core parsed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrompt, type Prompt } from '../core/drafting/parse-prompt.js';
import { packagePath } from './package-path.js';

/**
 * Loads every `prompts/*.md` file, keyed by prompt id. Throws `E_PROMPT_FORMAT` (from
 * `parsePrompt`) when a file is malformed: prompts ship with ftbot.
 *
 * @param params.dir
 *   Another prompts folder, for tests; defaults to the package's `prompts/`.
 */
export function loadPrompts(params: { dir?: string } = {}): Map<string, Prompt> {
  const dir = params.dir ?? packagePath('prompts');
  const prompts = new Map<string, Prompt>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    const prompt = parsePrompt({ path: `prompts/${name}`, text: readFileSync(join(dir, name), 'utf8') });
    prompts.set(prompt.id, prompt);
  }
  return prompts;
}
