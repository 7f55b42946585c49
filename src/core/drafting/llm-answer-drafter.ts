/**
 * The LLM writer for `answerQuestion` (its `AnswerDrafter` seam), on `prompts/answer-question.md`.
 */
import type { AnswerDrafter } from '../knowledge/answer-question.js';
import { silentLogger, type LlmClient, type Logger } from '../ports.js';
import { sanitizeOutput } from '../safety/sanitize-output.js';
import type { LlmBudget } from './budget.js';
import type { Prompt } from './parse-prompt.js';
import { requestStructured, type Sleep } from './request-structured.js';
import { renderSectionsForPrompt } from './sections.js';

/**
 * Creates an `AnswerDrafter` that asks the model. A failed call throws, which `answerQuestion`
 * turns into its deterministic answer with a warning; citations stay limited to the retrieved
 * sections there. The answer text is sanitised before it is returned.
 */
export function createLlmAnswerDrafter(params: {
  client: LlmClient;
  prompt: Prompt;
  budget?: LlmBudget;
  scope?: { installation?: string; pullRequest?: string };
  repository?: string;
  sleep?: Sleep;
  logger?: Logger;
}): AnswerDrafter {
  const { client, prompt, budget, scope, sleep, logger = silentLogger } = params;
  if (prompt.output !== 'answerQuestionOutput') throw new TypeError(`llm-answer-drafter: prompt ${prompt.id} does not answer with answerQuestionOutput`);
  const typed = prompt as Prompt & { output: 'answerQuestionOutput' };
  return {
    async answer({ question, sections }) {
      const result = await requestStructured({
        client,
        prompt: typed,
        variables: { question, knowledge: renderSectionsForPrompt(sections.map((s) => s.chunk)) },
        logger,
        ...(budget === undefined ? {} : { budget }),
        ...(scope === undefined ? {} : { scope }),
        ...(sleep === undefined ? {} : { sleep }),
      });
      if (!result.ok) throw new Error(`LLM answer failed: ${result.reason}`);
      return { answer: sanitizeOutput(result.value.answer, params.repository === undefined ? {} : { repository: params.repository }), citedIds: result.value.citedIds };
    },
  };
}
