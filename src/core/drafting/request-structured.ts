/**
 * One schema-checked LLM call with ftbot's failure policy (reliability goals D1–D3).
 */
import type { z } from 'zod';
import { silentLogger, type LlmClient, type Logger } from '../ports.js';
import type { BudgetScope, LlmBudget } from './budget.js';
import { outputSchemas, type OutputSchemaName } from './output-schema.js';
import type { Prompt } from './parse-prompt.js';
import { renderPrompt } from './render-prompt.js';

/** Longest wait honoured from a `retry-after` header; a longer one means "give up now". */
export const MAX_RETRY_AFTER_MS = 20_000;

export type StructuredResult<T> =
  | { ok: true; value: T; promptId: string }
  | { ok: false; reason: string; notice?: string; promptId: string };

export type Sleep = (ms: number) => Promise<void>;

export const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Renders `prompt`, asks `client` for a JSON object and checks it against the prompt's output schema.
 *
 * Policy:
 * - malformed JSON, a schema failure or `finish_reason: 'length'`: one more call, then give up;
 * - 429 rate limit: one more call after `retry-after` (at most `MAX_RETRY_AFTER_MS`);
 * - 5xx: one more call;
 * - 429 `insufficient_quota`: no retry; the budget's breaker opens and a notice is returned;
 * - timeout, network, auth, bad request, context length, refusal, content filter: give up.
 * Every call is charged to `budget` first; a refused call gives up with the budget's notice.
 * Giving up is returned, never thrown: the caller falls back to the deterministic drafter.
 *
 * @param params.prompt
 *   The parsed prompt; its `output` names the schema.
 * @param params.variables
 *   The prompt's inputs.
 */
export async function requestStructured<N extends OutputSchemaName>(params: {
  client: LlmClient;
  prompt: Prompt & { output: N };
  variables: Record<string, string>;
  budget?: LlmBudget;
  scope?: BudgetScope;
  sleep?: Sleep;
  logger?: Logger;
}): Promise<StructuredResult<z.infer<(typeof outputSchemas)[N]>>> {
  const { client, prompt, variables, budget, scope = {}, sleep = defaultSleep, logger = silentLogger } = params;
  const rendered = renderPrompt({ prompt, variables });
  const schema = outputSchemas[prompt.output];
  const promptId = rendered.promptId;
  let repairs = 0;
  let transientRetries = 0;
  for (;;) {
    if (budget !== undefined) {
      const decision = budget.acquire(scope);
      if (!decision.allowed) {
        logger.warn({ promptId, reason: decision.reason }, 'LLM budget refused a call');
        return { ok: false, reason: `budget: ${decision.reason}`, promptId, ...(decision.notice === undefined ? {} : { notice: decision.notice }) };
      }
    }
    logger.debug({ promptId }, 'LLM call');
    const response = await client.complete({ system: rendered.system, user: rendered.user, json: true, promptId });
    if (response.status === 'error') {
      logger.warn({ promptId, kind: response.kind, message: response.message }, 'LLM call failed');
      if (response.kind === 'quota') {
        budget?.recordQuotaError();
        return { ok: false, reason: 'quota', promptId, notice: 'The LLM provider reported an exhausted quota; drafts use ftbot templates for now' };
      }
      const retryable = response.kind === 'rate-limit' || response.kind === 'server';
      const wait = response.retryAfterMs ?? 0;
      if (retryable && transientRetries === 0 && wait <= MAX_RETRY_AFTER_MS) {
        transientRetries++;
        if (wait > 0) await sleep(wait);
        continue;
      }
      return { ok: false, reason: response.kind, promptId };
    }
    if (response.refusal !== undefined && response.refusal !== '') return { ok: false, reason: 'refusal', promptId };
    if (response.finishReason === 'content_filter') return { ok: false, reason: 'content-filter', promptId };
    const parsed = parseJson(response.content);
    const checked = parsed.ok && response.finishReason !== 'length' ? schema.safeParse(parsed.value) : undefined;
    if (checked?.success === true) return { ok: true, value: checked.data as z.infer<(typeof outputSchemas)[N]>, promptId };
    const problem = response.finishReason === 'length' ? 'truncated' : parsed.ok ? 'schema' : 'malformed-json';
    logger.warn({ promptId, problem, attempt: repairs + 1 }, 'LLM answer rejected');
    if (repairs === 0) {
      repairs++;
      continue;
    }
    return { ok: false, reason: problem, promptId };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
