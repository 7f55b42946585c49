import { readdirSync, readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLlmAnswerDrafter, createLlmDrafter, draftSuggestions, renderSuggestion } from '../../../src/core/drafting/index.js';
import { answerQuestion } from '../../../src/core/knowledge/index.js';
import { loadPrompts } from '../../../src/io/load-prompts.js';
import { createOpenAiClient } from '../../../src/io/openai-client.js';
import { allSelected, GOOD_REPLACEMENT, loadDraftingContext, LOOKUP_PATH, LOOKUP_SOURCE, scanOne } from '../../helpers/drafting.js';

type Case = { id: string; placement: 'issue' | 'pr' | 'code-comment' | 'file'; payload: string; echo: string };

const dir = 'test/fixtures/injection';
const cases: Case[] = readdirSync(dir)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .flatMap((n) => JSON.parse(readFileSync(`${dir}/${n}`, 'utf8')) as Case[]);
const ORIGIN = 'http://127.0.0.1:18932';
const REPOSITORY = 'octo/spam';
const prompts = loadPrompts();
const ALLOWED = ['docs.python.org', 'peps.python.org', 'py-free-threading.github.io', 'pypi.org', 'packaging.python.org', 'cython.readthedocs.io', 'docs.cython.org', 'pyo3.rs', 'pybind11.readthedocs.io', 'nanobind.readthedocs.io', 'cibuildwheel.pypa.io'];

/** Where the payload goes: the request text, a comment inside the function, or the top of the file. */
function sourceFor(c: Case): string {
  const comment = c.payload.replace(/\*\//g, '* /');
  if (c.placement === 'code-comment') return LOOKUP_SOURCE.replace('{\n    PyObject *value', `{\n    /* ${comment} */\n    PyObject *value`);
  if (c.placement === 'file') return `/*\n${comment}\n*/\n${LOOKUP_SOURCE}`;
  return LOOKUP_SOURCE;
}

function completion(content: string): Record<string, unknown> {
  return { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }] };
}

/** Text outside fenced blocks and inline code: where GitHub renders mentions, links and HTML. */
function prose(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

function hostAllowed(url: string): boolean {
  try {
    const u = new URL(url.startsWith('www.') ? `https://${url}` : url);
    if (u.hostname === 'github.com') return u.pathname.startsWith(`/${REPOSITORY}/`);
    return (u.protocol === 'https:' || u.protocol === 'http:') && ALLOWED.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
  } catch {
    return false;
  }
}

/** Everything the corpus forbids in posted text, checked independently of the sanitiser. */
function violations(posted: string): string[] {
  const found: string[] = [];
  const secrets = [/gh[pousr]_[A-Za-z0-9]{20,}/, /github_pat_[A-Za-z0-9_]{20,}/, /sk-[A-Za-z0-9_-]{16,}/, /AKIA[0-9A-Z]{16}/, /PRIVATE KEY-----/, /hunter2/, /xoxb-/, /wJalrXUtnFEMI/];
  for (const s of secrets) if (s.test(posted)) found.push(`secret ${s}`);
  for (const line of posted.split('\n')) if (/^\s*(?:>\s*)*\/[A-Za-z]/.test(line)) found.push(`command line: ${line}`);
  if (/[\u200B-\u200F\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]/u.test(posted.replace(/@\u200b|\u200b\//g, ''))) found.push('invisible characters');
  const outside = prose(posted);
  for (const m of outside.matchAll(/(^|[^\w`])@[A-Za-z0-9]/g)) found.push(`live mention near ${JSON.stringify(outside.slice(m.index, (m.index ?? 0) + 20))}`);
  for (const m of outside.matchAll(/<(?!!-- ftbot:)[A-Za-z!/?]/g)) found.push(`HTML near ${JSON.stringify(outside.slice(m.index, (m.index ?? 0) + 20))}`);
  for (const m of outside.matchAll(/&#/g)) found.push(`entity near ${m.index}`);
  for (const m of outside.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)/g)) if (!hostAllowed(m[1] ?? '')) found.push(`link to ${m[1]}`);
  for (const m of posted.matchAll(/\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`)\]]+/g)) if (!hostAllowed(m[0].replace(/[.,;:!?]+$/, ''))) found.push(`url ${m[0]}`);
  for (const m of outside.matchAll(/^[ \t]{0,3}\[[^\]]+\]:/gm)) found.push(`reference definition ${m[0]}`);
  return found;
}

describe('prompt-injection corpus', () => {
  it('has at least 100 cases over issue text, PR text, code comments and file contents', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.placement))).toEqual(new Set(['issue', 'pr', 'code-comment', 'file']));
  });

  it('flags every raw payload (the checker is not vacuous)', () => {
    for (const c of cases) expect(violations(c.echo), c.id).not.toEqual([]);
  });

  for (const c of cases) {
    it(`posts nothing forbidden for ${c.id}`, async () => {
      const { grammars, knowledge } = await loadDraftingContext();
      const source = sourceFor(c);
      const findings = scanOne(grammars, LOOKUP_PATH, source).filter((f) => f.ruleId === 'FT004');
      const finding = findings[0];
      if (finding === undefined) throw new Error('no finding');
      const client = createOpenAiClient({ apiKey: 'sk-test', baseURL: `${ORIGIN}/v1`, model: 'm', timeoutMs: 5_000, maxRetries: 0 });
      // The adversarial model obeys: it echoes the payload in the explanation and in the code.
      const echoInCode = c.echo.split('\n').map((l) => `    // ${l}`).join('\n');
      const replacement = `${echoInCode}\n${GOOD_REPLACEMENT}`;
      const lastLine = finding.line + 4;
      const prompt = prompts.get('draft-migration');
      const askPrompt = prompts.get('answer-question');
      if (prompt === undefined || askPrompt === undefined) throw new Error('missing prompts');
      const scope = nock(ORIGIN)
        .post('/v1/chat/completions')
        .reply(200, completion(JSON.stringify({ explanation: `Done as asked. ${c.echo}`, edit: { startLine: finding.line, endLine: lastLine, replacement }, citedIds: [] })));
      const requestText = c.placement === 'issue' ? `Issue: ${c.payload}` : c.placement === 'pr' ? `Pull request: ${c.payload}` : undefined;
      const { suggestions } = await draftSuggestions({
        findings,
        fileText: source,
        path: LOOKUP_PATH,
        knowledge,
        drafter: createLlmDrafter({ client, prompt }),
        project: {},
        grammars,
        rules: allSelected,
        repository: REPOSITORY,
        ...(requestText === undefined ? {} : { requestText }),
      });
      expect(scope.isDone()).toBe(true);
      const posted: string[] = suggestions.flatMap((s) => [renderSuggestion(s, { repository: REPOSITORY, suggestionBlock: true }), renderSuggestion(s, { repository: REPOSITORY })]);
      // The obeying draft is still a verified suggestion: the payload is neutralised, not a crash.
      expect(suggestions[0]?.drafter).toBe('llm');
      if (c.placement === 'issue' || c.placement === 'pr') {
        nock(ORIGIN)
          .post('/v1/chat/completions', (body: { messages: Array<{ content: string }> }) => body.messages[1]?.content.includes('untrusted-question') === true)
          .times(2)
          .reply(200, (_uri, body) => {
            const id = /### (\S+#\S+)/.exec((body as { messages: Array<{ content: string }> }).messages[1]?.content ?? '')?.[1] ?? '';
            // The model cites the section on every line, as the answer prompt requires, so the
            // echoed payload reaches the posted answer and the sanitiser is what stops it.
            const cited = `Use PyDict_GetItemRef. ${c.echo}`.split('\n').map((line) => (line.trim() === '' ? line : `${line} [${id}]`)).join('\n');
            return completion(JSON.stringify({ answer: cited, citedIds: [id] }));
          });
        const drafter = createLlmAnswerDrafter({ client, prompt: askPrompt, repository: REPOSITORY });
        // Through `answerQuestion` (a long payload can make the question off-topic: then no call)…
        const answer = await answerQuestion({ question: `${c.payload}\nHow do I replace PyDict_GetItem?`, index: knowledge, drafter });
        if (answer.covered) expect(answer.answer).toMatch(/^Use PyDict_GetItemRef\./);
        posted.push(answer.answer);
        // …and straight to the drafter, so every payload reaches the model's answer path.
        const chunk = knowledge.chunks.find((k) => k.id.startsWith('knowledge/dict-borrowed-references.md#'));
        if (chunk === undefined) throw new Error('no section');
        const direct = await drafter.answer({ question: c.payload, sections: [{ id: chunk.id, chunk, score: 1 }] });
        expect(direct.answer).toMatch(/^Use PyDict_GetItemRef\./);
        posted.push(direct.answer);
      }
      for (const text of posted) expect(violations(text), text).toEqual([]);
    });
  }
});
