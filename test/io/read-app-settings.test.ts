import { describe, expect, it } from 'vitest';
import { readAppSettings } from '../../src/io/read-app-settings.js';

describe('readAppSettings', () => {
  it('leaves the model out without a key', () => {
    expect(readAppSettings({})).toMatchObject({ llm: undefined, llmCallsPerPullRequest: undefined, llmCallsPerDay: undefined });
  });

  it('reads the key, the server and the budgets', () => {
    const settings = readAppSettings({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1', FTBOT_LLM_CALLS_PER_PR: '3', FTBOT_LLM_CALLS_PER_DAY: '40' });
    expect(settings.llm).toEqual({ apiKey: 'k', baseURL: 'http://127.0.0.1:8080/v1', model: 'gpt-4o-mini', timeoutMs: 30_000, maxRetries: 0 });
    expect([settings.llmCallsPerPullRequest, settings.llmCallsPerDay]).toEqual([3, 40]);
  });

  it('refuses a budget that is not a count', () => {
    expect(() => readAppSettings({ FTBOT_LLM_CALLS_PER_DAY: 'lots' })).toThrow("FTBOT_LLM_CALLS_PER_DAY must be a non-negative integer, got 'lots'");
  });
});
