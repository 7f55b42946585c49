/**
 * Fills a prompt's `{{name}}` placeholders. Logic-free: no conditionals, no loops, no filters.
 */
import { ftbotError } from '../errors.js';
import { stripInvisible } from '../safety/strip-invisible.js';
import type { Prompt } from './parse-prompt.js';

/** A rendered prompt, ready for an `LlmClient`. */
export type RenderedPrompt = { system: string; user: string; promptId: string };

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/**
 * Renders `prompt` with `variables`. Throws `E_PROMPT_VARIABLE` when a placeholder has no value,
 * when a value is given that the prompt does not declare or never uses, or when a declared input
 * is missing: a silent blank in a prompt is a bug, not a degraded answer.
 *
 * Untrusted inputs (declared `untrusted: true`) are stripped of invisible characters and wrapped
 * in a fence labelled with the input's name, longer than any backtick run inside, so the content
 * cannot close it: `{{code}}` with a value holding ``` renders as
 *
 *     ````untrusted-code
 *     …value…
 *     ````
 *
 * Substitution is one pass, so a value holding `{{other}}` is left as text.
 *
 * @param params.prompt
 *   A parsed prompt.
 * @param params.variables
 *   One string per declared input.
 */
export function renderPrompt(params: { prompt: Prompt; variables: Record<string, string> }): RenderedPrompt {
  const { prompt, variables } = params;
  const declared = new Map(prompt.inputs.map((input) => [input.name, input]));
  const used = new Set<string>();
  for (const part of [prompt.system, prompt.user]) for (const m of part.matchAll(PLACEHOLDER)) used.add(m[1] ?? '');
  for (const name of used) {
    if (!declared.has(name)) throw ftbotError('E_PROMPT_VARIABLE', `prompts: ${prompt.id} uses {{${name}}}, which its front matter does not declare`);
  }
  for (const name of declared.keys()) {
    if (!used.has(name)) throw ftbotError('E_PROMPT_VARIABLE', `prompts: ${prompt.id} declares input '${name}' but never uses it`);
    if (variables[name] === undefined) throw ftbotError('E_PROMPT_VARIABLE', `prompts: ${prompt.id} needs a value for '${name}'`);
  }
  for (const name of Object.keys(variables)) {
    if (!declared.has(name)) throw ftbotError('E_PROMPT_VARIABLE', `prompts: ${prompt.id} got unused variable '${name}'`);
  }
  const fill = (template: string): string =>
    template.replace(PLACEHOLDER, (_whole, name: string) => {
      const value = variables[name] ?? '';
      return declared.get(name)?.untrusted === true ? fenceUntrusted(name, value) : value;
    });
  return { system: fill(prompt.system), user: fill(prompt.user), promptId: `${prompt.id}@${prompt.version}` };
}

/**
 * Wraps untrusted text in a labelled fence the text cannot close: one backtick more than the
 * longest run inside (at least three).
 *
 * @example
 *   fenceUntrusted('issue', 'a ``` b') // → '````untrusted-issue\na ``` b\n````'
 */
export function fenceUntrusted(label: string, text: string): string {
  const clean = stripInvisible(text).replace(/\r\n?/g, '\n');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}untrusted-${label}\n${clean}\n${fence}`;
}
