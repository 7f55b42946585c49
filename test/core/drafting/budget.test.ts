import { describe, expect, it } from 'vitest';
import { createLlmBudget } from '../../../src/core/drafting/budget.js';

describe('createLlmBudget', () => {
  it('limits calls per pull request and gives the notice once', () => {
    const budget = createLlmBudget({ clock: { now: () => 0 }, perPullRequest: 2 });
    expect(budget.acquire({ pullRequest: 'o/r#1' })).toEqual({ allowed: true });
    expect(budget.acquire({ pullRequest: 'o/r#1' })).toEqual({ allowed: true });
    const refused = budget.acquire({ pullRequest: 'o/r#1' });
    expect(refused).toMatchObject({ allowed: false, reason: 'pull-request' });
    expect(refused.allowed === false && refused.notice).toMatch(/budget for this pull request/);
    expect(budget.acquire({ pullRequest: 'o/r#1' })).toEqual({ allowed: false, reason: 'pull-request' });
    expect(budget.acquire({ pullRequest: 'o/r#2' })).toEqual({ allowed: true });
  });

  it('limits calls per installation per UTC day and resets the next day', () => {
    let now = Date.UTC(2026, 0, 1, 23, 0);
    const budget = createLlmBudget({ clock: { now: () => now }, perInstallationPerDay: 1 });
    expect(budget.acquire({ installation: '7', pullRequest: 'a' })).toEqual({ allowed: true });
    expect(budget.acquire({ installation: '7', pullRequest: 'b' })).toMatchObject({ allowed: false, reason: 'installation-day' });
    expect(budget.acquire({ installation: '8', pullRequest: 'b' })).toEqual({ allowed: true });
    now += 2 * 3_600_000;
    expect(budget.acquire({ installation: '7', pullRequest: 'b' })).toEqual({ allowed: true });
  });

  it('opens the circuit breaker on a quota error and closes it after the cool-down', () => {
    let now = 0;
    const budget = createLlmBudget({ clock: { now: () => now }, breakerMs: 1_000 });
    budget.recordQuotaError();
    expect(budget.isOpen()).toBe(true);
    expect(budget.acquire({ pullRequest: 'p' })).toMatchObject({ allowed: false, reason: 'circuit-open', notice: expect.any(String) });
    expect(budget.acquire({ pullRequest: 'p' })).toEqual({ allowed: false, reason: 'circuit-open' });
    now = 1_001;
    expect(budget.acquire({ pullRequest: 'p' })).toEqual({ allowed: true });
  });
});
