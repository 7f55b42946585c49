/**
 * Reads a prompt file (`prompts/*.md`): YAML front matter, then a `## System` and a `## User` part.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ftbotError } from '../errors.js';
import { outputSchemas, type OutputSchemaName } from './output-schema.js';

const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.number().int().positive(),
    description: z.string().min(1),
    inputs: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z][a-z0-9_]*$/),
            description: z.string().optional(),
            untrusted: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1),
    output: z.string(),
  })
  .strict();

export type PromptInput = { name: string; description?: string; untrusted: boolean };

/** A parsed prompt file. */
export type Prompt = {
  id: string;
  version: number;
  description: string;
  inputs: PromptInput[];
  output: OutputSchemaName;
  system: string;
  user: string;
};

/**
 * Parses one prompt file. Prompt files ship with ftbot, so a malformed one is a broken contract:
 * it throws `E_PROMPT_FORMAT` naming the file and the problem.
 *
 * @param params.path
 *   The file's path, for messages.
 * @param params.text
 *   The file's text.
 *
 * @example
 *   parsePrompt({ path: 'prompts/draft-migration.md', text }).inputs.map((i) => i.name)
 *   // → ['rule_id', 'rule_message', …]
 */
export function parsePrompt(params: { path: string; text: string }): Prompt {
  const { path } = params;
  const text = params.text.replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (match === null) throw ftbotError('E_PROMPT_FORMAT', `prompts: ${path} has no front matter`);
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (error) {
    throw ftbotError('E_PROMPT_FORMAT', `prompts: ${path} front matter is not YAML`, error);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ftbotError('E_PROMPT_FORMAT', `prompts: ${path} front matter: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const fm = parsed.data;
  if (!(fm.output in outputSchemas)) throw ftbotError('E_PROMPT_FORMAT', `prompts: ${path} names an unknown output schema '${fm.output}'`);
  const body = match[2] ?? '';
  const parts = /^\s*## System\n([\s\S]*?)\n## User\n([\s\S]*)$/.exec(body);
  if (parts === null) throw ftbotError('E_PROMPT_FORMAT', `prompts: ${path} needs a '## System' part followed by a '## User' part`);
  return {
    id: fm.id,
    version: fm.version,
    description: fm.description,
    inputs: fm.inputs.map((input) => ({ name: input.name, untrusted: input.untrusted === true, ...(input.description === undefined ? {} : { description: input.description }) })),
    output: fm.output as OutputSchemaName,
    system: (parts[1] ?? '').trim(),
    user: (parts[2] ?? '').trim(),
  };
}
