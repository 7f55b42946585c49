import type { ResolvedConfig } from '../core/config/schema.js';
import { createLlmBudget } from '../core/drafting/budget.js';
import type { Grammars } from '../core/engine/scan-files.js';
import type { KnowledgeIndex } from '../core/knowledge/build-index.js';
import type { DraftingSetup } from '../core/review/index.js';
import { createDrafters } from '../io/create-drafters.js';
import { createOpenAiClient, readLlmSettings } from '../io/openai-client.js';
import type { CliIo } from './io.js';

/**
 * The drafting setup of `ftbot review`: ftbot's templates, or a model first when `llm` is asked
 * for, a key is set (`OPENAI_API_KEY`/`FTBOT_LLM_API_KEY`) and `llm.enabled` is not false.
 */
export function reviewDrafting(params: {
  io: CliIo;
  grammars: Grammars;
  knowledge: KnowledgeIndex;
  config: ResolvedConfig;
  repository: string | undefined;
  llm: boolean;
}): DraftingSetup {
  const { io, grammars, knowledge, config, repository } = params;
  const settings = params.llm && config.llm.enabled ? readLlmSettings(io.env) : undefined;
  // The budget's breaker stops further calls after a quota error; a local run has no call limits.
  const llm = settings === undefined ? undefined : { client: createOpenAiClient(settings, { fetch: io.fetch }), budget: createLlmBudget({ clock: { now: () => Date.now() } }) };
  const { drafter, fallback } = createDrafters({ grammars, llm });
  return { knowledge, drafter, fallback, repository };
}
