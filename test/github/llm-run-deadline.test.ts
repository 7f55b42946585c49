import { describe, expect, it } from 'vitest';
import type { LlmClient, LlmResponse } from '../../src/core/ports.js';
import { llmRunDeadline } from '../../src/github/llm-run-deadline.js';

const request = { system: 's', user: 'u', json: true };

describe('llmRunDeadline (issue 14 L9)', () => {
  it('ends a call to a model that never answers at the run deadline, and every later call at once', async () => {
    let calls = 0;
    const silent: LlmClient = {
      complete: () => {
        calls++;
        return new Promise<LlmResponse>(() => undefined);
      },
    };
    let clock = 0;
    const client = llmRunDeadline(silent, 20, () => clock);
    const first = await client.complete(request);
    expect(first).toMatchObject({ status: 'error', kind: 'timeout' });
    clock = 20;
    // The run's time is used up: no further request reaches the model.
    expect(await client.complete(request)).toMatchObject({ status: 'error', kind: 'timeout' });
    expect(calls).toBe(1);
  });

  it('passes answers through while the run has time', async () => {
    const answering: LlmClient = { complete: async () => ({ status: 'ok', content: '{}', finishReason: 'stop' }) };
    const client = llmRunDeadline(answering, 60_000);
    expect(await client.complete(request)).toEqual({ status: 'ok', content: '{}', finishReason: 'stop' });
    expect(await client.complete(request)).toEqual({ status: 'ok', content: '{}', finishReason: 'stop' });
  });
});
