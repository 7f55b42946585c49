import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeIndex } from '../../../src/core/knowledge/build-index.js';
import { search } from '../../../src/core/knowledge/search.js';
import type { KnowledgeChunk } from '../../../src/core/knowledge/types.js';
import { loadKnowledge } from '../../../src/io/load-knowledge.js';

type QuestionSet = {
  questions: Array<{ question: string; mustContain: string[] }>;
  offTopic: string[];
};

const questionSet = JSON.parse(
  readFileSync(new URL('../../fixtures/knowledge/questions.json', import.meta.url), 'utf8'),
) as QuestionSet;

/** A section answers a question when its heading and text contain every required term. */
function answers(chunk: KnowledgeChunk, mustContain: readonly string[]): boolean {
  const haystack = `${chunk.heading}\n${chunk.text}`.toLowerCase();
  return mustContain.every((term) => haystack.includes(term.toLowerCase()));
}

let index: KnowledgeIndex;

beforeAll(async () => {
  // The generated index, as `ftbot ask` loads it; the meta test checks that it is fresh.
  index = await loadKnowledge();
});

describe('retrieval on the real knowledge base', () => {
  it('has a question set large and varied enough to mean something', () => {
    expect(questionSet.questions.length).toBeGreaterThanOrEqual(60);
    expect(questionSet.offTopic.length).toBeGreaterThanOrEqual(8);
  });

  it('every question has an answering section somewhere (otherwise the question or the pages are wrong)', () => {
    const unanswerable = questionSet.questions
      .filter(({ mustContain }) => !index.chunks.some((chunk) => answers(chunk, mustContain)))
      .map(({ question }) => question);
    expect(unanswerable).toEqual([]);
  });

  it('puts an answering section in the top 3 for at least 90% of on-topic questions (Recall@3)', () => {
    const misses: string[] = [];
    for (const { question, mustContain } of questionSet.questions) {
      const { hits } = search({ index, query: question, limit: 3 });
      if (!hits.some((hit) => answers(hit.chunk, mustContain))) {
        misses.push(`${question} → ${hits.map((hit) => hit.chunk.id).join(', ') || 'not covered'}`);
      }
    }
    const recall = 1 - misses.length / questionSet.questions.length;
    // The misses are in the failure message, so a drop below the bar says which questions broke.
    expect({ recall: recall >= 0.9, misses: recall >= 0.9 ? [] : misses }).toEqual({ recall: true, misses: [] });
  });

  it('answers every off-topic question with "not covered"', () => {
    const covered = questionSet.offTopic.filter((question) => search({ index, query: question }).covered);
    expect(covered).toEqual([]);
  });
});
