import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/core/deps/parse-marker.js';
import { createOpenAiClient } from '../../src/io/openai-client.js';

afterEach(() => {
  nock.cleanAll();
});

describe('createOpenAiClient', () => {
  it('gives up on a server that sends headers and then trickles the body', async () => {
    nock('https://llm.example')
      .post('/v1/chat/completions')
      .delayBody(60_000)
      .reply(200, { choices: [{ message: { content: 'late' }, finish_reason: 'stop' }] });
    const client = createOpenAiClient({ apiKey: 'k', model: 'm', baseURL: 'https://llm.example/v1', timeoutMs: 300, maxRetries: 0 });
    const answer = await client.complete({ system: 's', user: 'u', json: false });
    expect(answer).toMatchObject({ status: 'error', kind: 'timeout' });
  });
});

describe('parseMarker depth (M10)', () => {
  it('refuses a marker nested 10,000 parentheses deep instead of overflowing the stack', () => {
    const deep = `${'('.repeat(10_000)}python_version < "3.14"${')'.repeat(10_000)}`;
    expect(parseMarker(deep)).toEqual({ ok: false, error: 'parentheses nested deeper than 32 levels' });
    expect(parseMarker('((python_version < "3.14"))').ok).toBe(true);
  });
});
