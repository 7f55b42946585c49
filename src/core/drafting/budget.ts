/**
 * Limits LLM spend: calls per pull request, calls per installation per UTC day, and a circuit
 * breaker that stops all calls for a while after a quota error. State lives in the instance.
 */
import type { Clock } from '../ports.js';

export type BudgetScope = { installation?: string; pullRequest?: string };

export type BudgetDecision =
  | { allowed: true }
  /** `notice` is set the first time a scope hits this limit (one notice per PR, per day). */
  | { allowed: false; reason: 'pull-request' | 'installation-day' | 'circuit-open'; notice?: string };

export type LlmBudget = {
  /** Reserves one call for `scope`, or says why not. */
  acquire(scope: BudgetScope): BudgetDecision;
  /** Opens the circuit breaker: the provider says the account is out of quota. */
  recordQuotaError(): void;
  /** True while the breaker is open. */
  isOpen(): boolean;
};

const DAY_MS = 86_400_000;

/**
 * Creates a budget.
 *
 * @param params.clock
 *   Time source (milliseconds since the epoch); tests pass a fake.
 * @param params.perPullRequest
 *   Most LLM calls for one pull request (or issue) over the budget's life. Default 20.
 * @param params.perInstallationPerDay
 *   Most LLM calls for one installation per UTC day. Default 200.
 * @param params.breakerMs
 *   How long the breaker stays open after a quota error. Default 15 minutes.
 *
 * @example
 *   const budget = createLlmBudget({ clock: { now: () => Date.now() }, perPullRequest: 2 });
 *   budget.acquire({ pullRequest: 'o/r#1' }) // → { allowed: true }
 */
export function createLlmBudget(params: { clock: Clock; perPullRequest?: number; perInstallationPerDay?: number; breakerMs?: number }): LlmBudget {
  const { clock, perPullRequest = 20, perInstallationPerDay = 200, breakerMs = 15 * 60_000 } = params;
  const prCalls = new Map<string, number>();
  const dayCalls = new Map<string, number>();
  const noticed = new Set<string>();
  let openUntil = -Infinity;

  const refuse = (reason: 'pull-request' | 'installation-day' | 'circuit-open', key: string, notice: string): BudgetDecision => {
    if (noticed.has(key)) return { allowed: false, reason };
    noticed.add(key);
    return { allowed: false, reason, notice };
  };

  return {
    acquire(scope) {
      const now = clock.now();
      const day = Math.floor(now / DAY_MS);
      const pr = scope.pullRequest ?? '';
      if (now < openUntil) {
        return refuse('circuit-open', `breaker|${pr}|${openUntil}`, 'The LLM provider reported an exhausted quota; drafts use ftbot templates for now');
      }
      const prUsed = prCalls.get(pr) ?? 0;
      if (scope.pullRequest !== undefined && prUsed >= perPullRequest) {
        return refuse('pull-request', `pr|${pr}`, `LLM drafting budget for this pull request (${perPullRequest} calls) is used up; drafts use ftbot templates`);
      }
      const dayKey = `${scope.installation ?? ''}|${day}`;
      const dayUsed = dayCalls.get(dayKey) ?? 0;
      if (scope.installation !== undefined && dayUsed >= perInstallationPerDay) {
        return refuse('installation-day', `day|${dayKey}|${pr}`, `Daily LLM drafting budget (${perInstallationPerDay} calls) is used up; drafts use ftbot templates until tomorrow (UTC)`);
      }
      prCalls.set(pr, prUsed + 1);
      dayCalls.set(dayKey, dayUsed + 1);
      return { allowed: true };
    },
    recordQuotaError() {
      openUntil = clock.now() + breakerMs;
    },
    isOpen() {
      return clock.now() < openUntil;
    },
  };
}
