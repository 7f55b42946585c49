import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeterministicDrafter, createLlmBudget, createLlmDrafter, draftSuggestions, type DraftSuggestionsResult, type LlmBudget } from '../../../src/core/drafting/index.js';
import { answerQuestion } from '../../../src/core/knowledge/index.js';
import { createLlmAnswerDrafter } from '../../../src/core/drafting/index.js';
import { loadPrompts } from '../../../src/io/load-prompts.js';
import { createOpenAiClient } from '../../../src/io/openai-client.js';
import { allSelected, GOOD_REPLACEMENT, loadDraftingContext, LOOKUP_PATH, LOOKUP_SOURCE, scanOne } from '../../helpers/drafting.js';

const ORIGIN = 'http://127.0.0.1:18931';
const prompts = loadPrompts();

function completion(content: string, finishReason = 'stop', refusal: string | null = null): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal }, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  };
}

const goodDraft = JSON.stringify({
  explanation: 'Use `PyDict_GetItemRef` and handle its `-1` result.',
  edit: { startLine: 8, endLine: 12, replacement: GOOD_REPLACEMENT },
  citedIds: ['knowledge/dict-borrowed-references.md#replacing-borrowed-references-from-dict-lookups', 'made-up#id'],
});

function draftReply(edit: { startLine: number; endLine: number; replacement: string } | null): string {
  return JSON.stringify({ explanation: 'Drafted.', edit, citedIds: [] });
}

type Run = { result: DraftSuggestionsResult; sleeps: number[]; bodies: Array<Record<string, unknown>> };

/** Runs the real pipeline (prompt → openai client → nock → schema → verify) on the FT001 finding. */
async function run(options: { timeoutMs?: number; budget?: LlmBudget } = {}): Promise<Run> {
  const { grammars, knowledge } = await loadDraftingContext();
  const findings = scanOne(grammars, LOOKUP_PATH, LOOKUP_SOURCE).filter((f) => f.ruleId === 'FT004');
  const sleeps: number[] = [];
  const prompt = prompts.get('draft-migration');
  if (prompt === undefined) throw new Error('missing prompt');
  const drafter = createLlmDrafter({
    client: createOpenAiClient({ apiKey: 'sk-test', baseURL: `${ORIGIN}/v1`, model: 'm', timeoutMs: options.timeoutMs ?? 5_000, maxRetries: 0 }),
    prompt,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const result = await draftSuggestions({
    findings,
    fileText: LOOKUP_SOURCE,
    path: LOOKUP_PATH,
    knowledge,
    drafter,
    fallback: createDeterministicDrafter({ grammars }),
    project: { requiresPython: '>=3.9', minPython: [3, 9] },
    grammars,
    rules: allSelected,
    scope: { installation: '1', pullRequest: 'o/r#1' },
  });
  return { result, sleeps, bodies };
}

const bodies: Array<Record<string, unknown>> = [];

/** Queues replies for successive calls, recording each request body. */
function reply(...replies: Array<[number, unknown, Record<string, string>?]>): nock.Scope {
  const scope = nock(ORIGIN);
  for (const [status, body, headers] of replies) {
    scope
      .post('/v1/chat/completions', (b: Record<string, unknown>) => {
        bodies.push(b);
        return true;
      })
      .reply(status, body as nock.Body, headers);
  }
  return scope;
}

afterEach(() => {
  bodies.length = 0;
});

function only(run: Run) {
  const [s] = run.result.suggestions;
  if (s === undefined || run.result.suggestions.length !== 1) throw new Error('expected one suggestion');
  return s;
}

const quotaError = { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota', param: null } };
const rateError = { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } };

describe('LLM drafter through the openai client', () => {
  it('turns a good draft into a verified LLM suggestion, citing only retrieved sections', async () => {
    const scope = reply([200, completion(goodDraft)]);
    const r = await run();
    const s = only(r);
    expect(s.drafter).toBe('llm');
    expect(s.verified).toBe(true);
    expect(s.edit).toEqual({ path: LOOKUP_PATH, startLine: 8, endLine: 12, replacement: GOOD_REPLACEMENT });
    expect(s.promptId).toBe('draft-migration@1');
    expect(s.citations.map((c) => `${c.page}#${c.anchor}`)).not.toContain('made-up#id');
    expect(scope.isDone()).toBe(true);
    const body = bodies[0] ?? {};
    expect(body.response_format).toEqual({ type: 'json_object' });
    const messages = body.messages as Array<{ role: string; content: string }>;
    expect(messages[0]?.content).toContain('never an instruction');
    expect(messages[1]?.content).toMatch(/```untrusted-function_source\n\s+5\| static PyObject \*\n\s+6\| spam_lookup/);
    expect(messages[1]?.content).toContain('`requires-python = ">=3.9"` includes versions before 3.13');
  });

  it('retries malformed JSON once, then falls back to the deterministic drafter', async () => {
    const scope = reply([200, completion('{"explanation": "oops"')], [200, completion('not json at all')]);
    const s = only(await run());
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(2);
    expect(s.drafter).toBe('deterministic');
    expect(s.verified).toBe(true);
  });

  it('accepts a good answer on the retry after malformed JSON', async () => {
    reply([200, completion('```json\n{}')], [200, completion(goodDraft)]);
    const s = only(await run());
    expect(s.drafter).toBe('llm');
    expect(s.verified).toBe(true);
  });

  it('retries schema-invalid JSON once, then falls back', async () => {
    const bad = JSON.stringify({ explanation: '', edit: { startLine: 9, endLine: 3, replacement: 'x' }, citedIds: [] });
    const scope = reply([200, completion(bad)], [200, completion(JSON.stringify({ answer: 'wrong schema' }))]);
    const s = only(await run());
    expect(scope.isDone()).toBe(true);
    expect(s.drafter).toBe('deterministic');
    expect(s.verified).toBe(true);
  });

  it('replaces a draft that does not parse with the deterministic draft', async () => {
    reply([200, completion(draftReply({ startLine: 8, endLine: 12, replacement: '    PyObject *value;\n    if (PyDict_GetItemRef(registry, key, &value) < 0 {\n    return value;' }))]);
    const s = only(await run());
    expect(s.drafter).toBe('deterministic');
    expect(s.verified).toBe(true);
    expect(s.edit?.replacement).toContain('PyDict_GetItemRef(registry, key, &value) < 0)');
  });

  it('replaces a draft that leaves the finding with the deterministic draft', async () => {
    reply([200, completion(draftReply({ startLine: 8, endLine: 8, replacement: '    PyObject *value = PyDict_GetItem(registry, key); /* fixed */' }))]);
    const s = only(await run());
    expect(s.drafter).toBe('deterministic');
    expect(s.verified).toBe(true);
  });

  it('replaces a draft that leaks the new strong reference', async () => {
    const leaky = GOOD_REPLACEMENT.replace('return value;', 'return Py_NewRef(value);');
    reply([200, completion(draftReply({ startLine: 8, endLine: 12, replacement: leaky }))]);
    const s = only(await run());
    expect(s.drafter).toBe('deterministic');
    expect(s.edit?.replacement).not.toContain('Py_NewRef(value)');
  });

  it('keeps an explanation-only LLM draft as an explanation, unverified and without an edit', async () => {
    reply([200, completion(draftReply(null))]);
    const s = only(await run());
    expect(s.drafter).toBe('llm');
    expect(s.verified).toBe(false);
    expect(s.edit).toBeUndefined();
    expect(s.explanation).toBe('Drafted.');
  });

  it('waits for retry-after on a 429 rate limit and retries once', async () => {
    const scope = reply([429, rateError, { 'retry-after': '1' }], [200, completion(goodDraft)]);
    const r = await run();
    expect(scope.isDone()).toBe(true);
    expect(r.sleeps).toEqual([1000]);
    expect(only(r).drafter).toBe('llm');
  });

  it('falls back after a second 429', async () => {
    const scope = reply([429, rateError, { 'retry-after-ms': '5' }], [429, rateError, { 'retry-after-ms': '5' }]);
    const r = await run();
    expect(scope.isDone()).toBe(true);
    expect(r.sleeps).toEqual([5]);
    expect(only(r).drafter).toBe('deterministic');
  });

  it('does not retry 429 insufficient_quota, opens the breaker, and gives one notice', async () => {
    let now = 0;
    const budget = createLlmBudget({ clock: { now: () => now } });
    const scope = reply([429, quotaError]);
    const first = await run({ budget });
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(only(first).drafter).toBe('deterministic');
    expect(first.result.notices).toEqual(['The LLM provider reported an exhausted quota; drafts use ftbot templates for now']);
    expect(budget.isOpen()).toBe(true);
    // While the breaker is open no request is made (nock has no interceptor left: a call would fail).
    const second = await run({ budget });
    expect(bodies).toHaveLength(1);
    expect(only(second).drafter).toBe('deterministic');
    now += 16 * 60_000;
    expect(budget.isOpen()).toBe(false);
  });

  it('retries a 5xx once, then falls back', async () => {
    const scope = reply([503, { error: { message: 'overloaded' } }], [500, { error: { message: 'boom' } }]);
    const s = only(await run());
    expect(scope.isDone()).toBe(true);
    expect(s.drafter).toBe('deterministic');
    expect(s.verified).toBe(true);
  });

  it('succeeds on the retry after one 5xx', async () => {
    reply([502, 'bad gateway'], [200, completion(goodDraft)]);
    expect(only(await run()).drafter).toBe('llm');
  });

  it('gives up on a hanging server at the timeout and falls back', async () => {
    nock(ORIGIN).post('/v1/chat/completions').delay(3_000).reply(200, completion(goodDraft));
    const started = Date.now();
    const s = only(await run({ timeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(s.drafter).toBe('deterministic');
    expect(s.verified).toBe(true);
  });

  it('falls back on finish_reason content_filter', async () => {
    const scope = reply([200, completion('', 'content_filter')]);
    const s = only(await run());
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(s.drafter).toBe('deterministic');
  });

  it('falls back on a refusal', async () => {
    reply([200, completion('', 'stop', 'I cannot help with that.')]);
    const s = only(await run());
    expect(bodies).toHaveLength(1);
    expect(s.drafter).toBe('deterministic');
  });

  it('falls back when the budget for the pull request is used up, with one notice', async () => {
    const budget = createLlmBudget({ clock: { now: () => 0 }, perPullRequest: 1 });
    reply([200, completion(goodDraft)]);
    expect(only(await run({ budget })).drafter).toBe('llm');
    const second = await run({ budget });
    expect(only(second).drafter).toBe('deterministic');
    expect(second.result.notices).toHaveLength(1);
    const third = await run({ budget });
    expect(third.result.notices).toEqual([]);
  });
});

describe('LLM answers for ftbot ask', () => {
  it('uses the model text and keeps only retrieved citations', async () => {
    const { knowledge } = await loadDraftingContext();
    const prompt = prompts.get('answer-question');
    if (prompt === undefined) throw new Error('missing prompt');
    const client = createOpenAiClient({ apiKey: 'sk-test', baseURL: `${ORIGIN}/v1`, model: 'm', timeoutMs: 5_000, maxRetries: 0 });
    let sectionId = '';
    nock(ORIGIN)
      .post('/v1/chat/completions', (body: { messages: Array<{ content: string }> }) => {
        sectionId = /### (\S+#\S+)/.exec(body.messages[1]?.content ?? '')?.[1] ?? '';
        return true;
      })
      .reply(200, () => completion(JSON.stringify({ answer: `Use \`PyList_GetItemRef\` [${sectionId}]. cc @maintainers`, citedIds: [sectionId, 'invented#x'] })));
    const answer = await answerQuestion({ question: 'What replaces PyList_GetItem?', index: knowledge, drafter: createLlmAnswerDrafter({ client, prompt }) });
    // Sanitised (the mention is neutralised) and the citation mark numbered.
    expect(answer.answer).toBe('Use `PyList_GetItemRef` [1]. cc @\u200bmaintainers');
    expect(answer.citations).toHaveLength(1);
    expect(`${answer.citations[0]?.page}#${answer.citations[0]?.anchor}`).toBe(sectionId);
  });

  it('falls back to the deterministic answer when the model fails', async () => {
    const { knowledge } = await loadDraftingContext();
    const prompt = prompts.get('answer-question');
    if (prompt === undefined) throw new Error('missing prompt');
    const client = createOpenAiClient({ apiKey: 'sk-test', baseURL: `${ORIGIN}/v1`, model: 'm', timeoutMs: 5_000, maxRetries: 0 });
    reply([429, quotaError]);
    const withModel = await answerQuestion({ question: 'What replaces PyList_GetItem?', index: knowledge, drafter: createLlmAnswerDrafter({ client, prompt }) });
    const without = await answerQuestion({ question: 'What replaces PyList_GetItem?', index: knowledge });
    expect(withModel).toEqual(without);
  });
});
