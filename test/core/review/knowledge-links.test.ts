import { describe, expect, it } from 'vitest';
import { createKnowledgeLinker, knowledgeMarkdownLink, repoBaseUrl } from '../../../src/core/review/index.js';
import { loadKnowledge } from '../../../src/io/load-knowledge.js';

describe('knowledge links', () => {
  it('derives the repository base from the rule pages folder', () => {
    expect(repoBaseUrl('https://github.com/o/ftbot/blob/main/docs/rules/')).toBe('https://github.com/o/ftbot/blob/main/');
    expect(repoBaseUrl('https://github.com/o/fork/blob/v1.2/docs/rules')).toBe('https://github.com/o/fork/blob/v1.2/');
  });

  it('links a rule to a knowledge page section, once per rule, and never to its own rule page', async () => {
    const index = await loadKnowledge();
    const link = createKnowledgeLinker({ index, repoBaseUrl: 'https://github.com/o/ftbot/blob/main' });
    const ft005 = link('FT005');
    expect(ft005?.url).toMatch(/^https:\/\/github\.com\/o\/ftbot\/blob\/main\/knowledge\/[\w-]+\.md#[\w-]+$/);
    expect(link('FT005')).toBe(ft005);
    expect(link('FT999')).toBeUndefined();
  });

  it('keeps link labels on one line and without live mentions', () => {
    expect(knowledgeMarkdownLink({ label: 'A [b]\n@team', url: 'https://x.test/k.md#a' })).toBe('[A \\[b\\] @\u200bteam](https://x.test/k.md#a)');
  });
});
