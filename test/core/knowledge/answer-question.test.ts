import { describe, expect, it } from 'vitest';
import { answerQuestion, NOT_COVERED_ANSWER, type AnswerDrafter } from '../../../src/core/knowledge/answer-question.js';
import type { Logger } from '../../../src/core/ports.js';
import { loadKnowledge } from '../../../src/io/load-knowledge.js';
import { buildCorpusIndex } from '../../helpers/knowledge-corpus.js';

const index = buildCorpusIndex();

describe('answerQuestion', () => {
  it('leads with the best section and cites it first with its upstream link', async () => {
    const result = await answerQuestion({ question: 'What should I use instead of PyList_GetItem?', index });
    expect(result.covered).toBe(true);
    expect(result.answer).toMatch(/^\*\*Safe list access › Replacing PyList_GetItem with PyList_GetItemRef\*\*\n\n/);
    expect(result.answer).toContain('`PyList_GetItemRef` returns a strong reference');
    expect(result.citations[0]).toEqual({
      page: 'knowledge/list-access.md',
      anchor: 'replacing-pylist_getitem-with-pylist_getitemref',
      title: 'Safe list access',
      heading: 'Replacing PyList_GetItem with PyList_GetItemRef',
      excerpt: expect.stringContaining('strong reference') as unknown as string,
      url: 'https://docs.python.org/3/c-api/list.html',
    });
  });

  it('lets a page overview yield the lead to a close section of the same page further down', async () => {
    const real = await loadKnowledge();
    const result = await answerQuestion({ question: 'How do I declare that my C extension module does not need the GIL so it supports free-threaded Python 3.14?', index: real });
    const lead = result.answer.split('\n')[0] ?? '';
    // The overview's heading is the page title alone; the specific section is "Title › Heading".
    expect(lead).toContain(' › ');
    expect(result.answer).toContain('Py_MOD_GIL_NOT_USED');
    expect(result.citations[0]?.page).toBe('knowledge/declaring-support-multi-phase-init.md');
  });

  it('cites at most four sections, at most two per page', async () => {
    const result = await answerQuestion({ question: 'free-threaded dict list wheels critical section borrowed', index });
    expect(result.citations.length).toBeLessThanOrEqual(4);
    const perPage = new Map<string, number>();
    for (const citation of result.citations) perPage.set(citation.page, (perPage.get(citation.page) ?? 0) + 1);
    expect(Math.max(...perPage.values())).toBeLessThanOrEqual(2);
  });

  it('says "not covered" and cites nothing for an off-topic question', async () => {
    expect(await answerQuestion({ question: 'how do I bake bread', index })).toEqual({
      answer: NOT_COVERED_ANSWER,
      citations: [],
      covered: false,
    });
  });

  it('uses a drafted answer whose every claim cites a retrieved section, numbering the marks', async () => {
    const drafter: AnswerDrafter = {
      answer: async ({ sections }) => {
        const id = sections[0]?.id ?? '';
        return { answer: `Lock the dict with a critical section [${id}].\n\n- Iterate inside it [${id}]`, citedIds: [id] };
      },
    };
    const result = await answerQuestion({ question: 'PyDict_Next loop', index, drafter });
    expect(result.answer).toBe('Lock the dict with a critical section [1].\n\n- Iterate inside it [1]');
    expect(result.citations.map((citation) => `${citation.page}#${citation.anchor}`)).toEqual([
      'knowledge/dict-iteration.md#wrapping-pydict_next-in-a-critical-section',
    ]);
  });

  it('falls back to the deterministic answer when the drafter fails or cites nothing it was given', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (_fields, message) => warnings.push(message), error() {} };
    const failing: AnswerDrafter = { answer: () => Promise.reject(new Error('timeout')) };
    const inventing: AnswerDrafter = { answer: async () => ({ answer: 'Made up [knowledge/x.md#y].', citedIds: ['knowledge/x.md#y'] }) };
    const uncited: AnswerDrafter = {
      answer: async ({ sections }) => ({ answer: `Cited claim [${sections[0]?.id ?? ''}].\n\nAn uncited claim here.`, citedIds: [sections[0]?.id ?? ''] }),
    };
    const plain = await answerQuestion({ question: 'PyDict_Next loop', index });
    expect(await answerQuestion({ question: 'PyDict_Next loop', index, drafter: failing, logger })).toEqual(plain);
    expect(await answerQuestion({ question: 'PyDict_Next loop', index, drafter: inventing, logger })).toEqual(plain);
    expect(await answerQuestion({ question: 'PyDict_Next loop', index, drafter: uncited, logger })).toEqual(plain);
    expect(warnings).toEqual([
      'drafter failed; using the deterministic answer',
      'drafted answer rejected (cites knowledge/x.md#y, which was not retrieved); using the deterministic answer',
      'drafted answer rejected (a claim without a citation: "An uncited claim here."); using the deterministic answer',
    ]);
  });
});
