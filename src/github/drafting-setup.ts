import type { Context } from 'probot';
import type { ResolvedConfig } from '../core/config/schema.js';
import type { DraftingSetup } from '../core/review/index.js';
import { createDrafters } from '../io/create-drafters.js';
import { loadGrammars } from '../io/load-grammars.js';
import type { AppOptions } from './app-options.js';
import { knowledgeIndex } from './knowledge-index.js';
import { llmRunDeadline } from './llm-run-deadline.js';

/**
 * The drafters for one run: the LLM drafter when the app has a model (`options.llm`), the run
 * may use it (`allowLlm`: reviews and `suggest`, not triage) and the repository has not turned it
 * off (`llm.enabled: false`); else ftbot's templates. Calls are charged to the issue or pull
 * request and the installation, and the model's answers to one run share a deadline
 * (`llmRunDeadline`). Undefined when the knowledge index is missing: no drafts then.
 */
export async function draftingSetup(params: {
  context: Context;
  repo: { owner: string; repo: string };
  issueNumber: number;
  config: ResolvedConfig;
  options: AppOptions;
  allowLlm: boolean;
  requestText?: string | undefined;
}): Promise<DraftingSetup | undefined> {
  const { context, repo, issueNumber, config, options } = params;
  const knowledge = await knowledgeIndex(options, context.log);
  if (knowledge === undefined) return undefined;
  const allowed = params.allowLlm && config.llm.enabled ? options.llm : undefined;
  // One clock for the whole run, so a model that never answers costs a review at most 90 s.
  const llm = allowed === undefined ? undefined : { ...allowed, client: llmRunDeadline(allowed.client) };
  const { drafter, fallback } = createDrafters({ grammars: await loadGrammars(), llm, logger: context.log });
  const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
  return {
    knowledge,
    drafter,
    fallback,
    repository: `${repo.owner}/${repo.repo}`,
    scope: { pullRequest: `${repo.owner}/${repo.repo}#${issueNumber}`, ...(installation === undefined ? {} : { installation: String(installation) }) },
    ...(params.requestText === undefined ? {} : { requestText: params.requestText }),
    verifier: options.draftVerifier,
  };
}
