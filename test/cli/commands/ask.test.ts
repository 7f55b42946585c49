import { describe, expect, it } from 'vitest';
import { execute } from '../../../src/cli/main.js';
import { createFakeIo } from '../../helpers/fake-io.js';

// These run against the generated knowledge/index.json, so they ask about topics the knowledge base
// is built around (borrowed list items) rather than about one page's exact wording.

describe('ftbot ask', () => {
  it('prints the answer and its sources as text', async () => {
    const fake = createFakeIo();
    expect(await execute(['ask', 'what', 'replaces', 'PyList_GetItem?'], fake.io)).toBe(0);
    const [answer, sources] = fake.stdout().split('\n\nSources:\n');
    expect(answer).toContain('PyList_GetItemRef');
    expect(sources).toMatch(/^ {2}1\. .+\n {5}knowledge\/[\w-]+\.md#[\w-]+\n/);
    expect(fake.stderr()).toBe('');
  });

  it('prints the JSON contract with citations best first', async () => {
    const fake = createFakeIo();
    expect(await execute(['ask', '--format', 'json', 'is PyList_GetItem safe on a shared list?'], fake.io)).toBe(0);
    const body = JSON.parse(fake.stdout()) as { answer: string; citations: Array<Record<string, string>> };
    expect(Object.keys(body)).toEqual(['answer', 'citations']);
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.citations.length).toBeLessThanOrEqual(4);
    for (const citation of body.citations) {
      expect(Object.keys(citation)).toEqual(['page', 'anchor', 'title', 'excerpt', 'url']);
      expect(citation.page).toMatch(/^(knowledge|docs\/rules)\/[\w-]+\.md$/);
    }
  });

  it('says the question is not covered and still exits 0', async () => {
    const text = createFakeIo();
    expect(await execute(['ask', 'how', 'do', 'I', 'bake', 'bread?'], text.io)).toBe(0);
    expect(text.stdout()).toMatch(/^Not covered: /);

    const json = createFakeIo();
    expect(await execute(['ask', '--format=json', 'what is the capital of France'], json.io)).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual({ answer: expect.any(String) as unknown, citations: [] });
  });

  it('reads the question from stdin with -', async () => {
    const fake = createFakeIo({ readStdin: async () => 'What replaces PyList_GetItem?\n' });
    expect(await execute(['ask', '-', '--format', 'json'], fake.io)).toBe(0);
    expect((JSON.parse(fake.stdout()) as { answer: string }).answer).toContain('PyList_GetItemRef');
  });

  it('answers a long pasted question from stdin, its log trimmed', async () => {
    const log = Array.from({ length: 2000 }, (_, i) => `  File "/venv/lib/python3.14t/site-packages/pkg/m${i}.py", line ${i}, in <module>`).join('\n');
    const warning = "RuntimeWarning: The global interpreter lock (GIL) has been enabled to load module 'pkg._fast', which has not declared that it can run safely without the GIL.";
    const question = `Importing our Cython module on 3.14t prints this:\n\n\`\`\`\nTraceback (most recent call last):\n${log}\n${warning}\n\`\`\`\n\nHow do I stop my Cython module from re-enabling the GIL?`;
    const fake = createFakeIo({ readStdin: async () => question });
    expect(await execute(['ask', '-', '--format', 'json'], fake.io)).toBe(0);
    const { answer, citations } = JSON.parse(fake.stdout()) as { answer: string; citations: Array<{ page: string }> };
    expect(citations.map((citation) => citation.page)).toContain('knowledge/gil-reenabled-on-import.md');
    expect(answer).not.toContain('m1999.py');
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [['ask'], ['ask', '--format', 'xml', 'gil'], ['ask', '--bogus', 'gil'], ['ask', '-']]) {
      const fake = createFakeIo();
      expect(await execute(argv, fake.io)).toBe(2);
      expect(fake.stderr()).toMatch(/^ftbot ask: /);
      expect(fake.stdout()).toBe('');
    }
  });

  it('prints its help', async () => {
    const fake = createFakeIo();
    expect(await execute(['ask', '--help'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain('Usage: ftbot ask');
  });
});
