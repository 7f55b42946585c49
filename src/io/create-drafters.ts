/**
 * Builds the drafters the shells hand to the core: the deterministic one always, the LLM one when
 * a client is given (prompt from `prompts/draft-migration.md`, rule titles from the registry).
 */
import { createDeterministicDrafter, createLlmDrafter, type Drafter, type LlmBudget } from '../core/drafting/index.js';
import type { Grammars } from '../core/engine/scan-files.js';
import type { LlmClient, Logger } from '../core/ports.js';
import { findRule } from '../core/rules/index.js';
import { loadPrompts } from './load-prompts.js';

let prompts: ReturnType<typeof loadPrompts> | undefined;

/**
 * Returns `{ drafter, fallback }`: both deterministic without `llm`; with it, `drafter` asks the
 * model (charged to `llm.budget` when given) and `fallback` is the deterministic drafter.
 *
 * @param params.llm
 *   The chat-completion client (`createOpenAiClient`) and the spend limits.
 */
export function createDrafters(params: { grammars: Grammars; llm?: { client: LlmClient; budget?: LlmBudget | undefined } | undefined; logger?: Logger }): { drafter: Drafter; fallback: Drafter } {
  const fallback = createDeterministicDrafter({ grammars: params.grammars });
  if (params.llm === undefined) return { drafter: fallback, fallback };
  prompts ??= loadPrompts();
  const prompt = prompts.get('draft-migration');
  if (prompt === undefined) throw new Error('prompts/draft-migration.md is missing');
  const drafter = createLlmDrafter({
    client: params.llm.client,
    prompt,
    ...(params.llm.budget === undefined ? {} : { budget: params.llm.budget }),
    ...(params.logger === undefined ? {} : { logger: params.logger }),
    describeRule: (id) => {
      const rule = findRule(id);
      return rule === undefined ? undefined : { title: rule.meta.title };
    },
  });
  return { drafter, fallback };
}
