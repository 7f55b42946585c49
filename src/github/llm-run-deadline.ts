import type { LlmClient, LlmResponse } from '../core/ports.js';

/** How long one review or `suggest` may wait on the model in all (each call has its own timeout too). */
export const LLM_RUN_MS = 90_000;

/**
 * Wraps `client` for one run: the run's first call starts a clock, a call still waiting when
 * `ms` have passed ends as a timeout, and later calls end as one at once. The drafter then
 * falls back to ftbot's templates, so a model that never answers costs a review `ms`, not its
 * per-call timeout times its call budget.
 */
export function llmRunDeadline(client: LlmClient, ms = LLM_RUN_MS, now: () => number = Date.now): LlmClient {
  let end: number | undefined;
  const expired = (): LlmResponse => ({ status: 'error', kind: 'timeout', message: `the model's ${Math.round(ms / 1000)} s for this run are used up` });
  return {
    async complete(request) {
      end ??= now() + ms;
      const left = end - now();
      if (left <= 0) return expired();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        return await Promise.race([client.complete(request), new Promise<LlmResponse>((resolve) => (timer = setTimeout(() => resolve(expired()), left)))]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
