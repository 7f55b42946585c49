import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../../src/core/knowledge/chunk-markdown.js';

const FIXTURES = new URL('../../fixtures/knowledge/', import.meta.url);
const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/input.md`, FIXTURES)))
  .map((entry) => entry.name)
  .sort();

/** Fixture folders named `rule-*` stand for rule docs, which follow a different front matter schema. */
function pagePath(name: string): string {
  return name.startsWith('rule-') ? `docs/rules/ft001-${name}.md` : `knowledge/${name}.md`;
}

describe('chunkMarkdown fixtures (input.md → chunks.json; UPDATE=1 rewrites them)', () => {
  it('has fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of cases) {
    it(`chunks ${name}`, () => {
      const text = readFileSync(new URL(`${name}/input.md`, FIXTURES), 'utf8');
      const actual = `${JSON.stringify(chunkMarkdown({ path: pagePath(name), text }), null, 2)}\n`;
      const expectedUrl = new URL(`${name}/chunks.json`, FIXTURES);
      if (process.env.UPDATE || !existsSync(expectedUrl)) writeFileSync(expectedUrl, actual);
      expect(actual).toBe(readFileSync(expectedUrl, 'utf8'));
    });
  }
});

describe('chunkMarkdown', () => {
  it('never throws, whatever the input', () => {
    for (const text of ['---', '---\n---', '# ', '## \n', '```\n# x', '---\n: :\n---\n', '\u0000', '\uFEFF# Title']) {
      expect(() => chunkMarkdown({ path: 'knowledge/odd.md', text })).not.toThrow();
    }
  });

  it('gives every chunk an id made of the page and its anchor', () => {
    const text = readFileSync(new URL('basic/input.md', FIXTURES), 'utf8');
    const { chunks } = chunkMarkdown({ path: 'knowledge/basic.md', text });
    for (const chunk of chunks) expect(chunk.id).toBe(`knowledge/basic.md#${chunk.anchor}`);
  });

  it('reports a bad front matter as a problem and keeps chunking', () => {
    const text = readFileSync(new URL('bad-yaml/input.md', FIXTURES), 'utf8');
    const result = chunkMarkdown({ path: 'knowledge/bad-yaml.md', text });
    expect(result.problems.map((problem) => problem.kind)).toContain('front-matter-yaml');
    expect(result.chunks.map((chunk) => chunk.heading)).toContain('Section');
  });
});
