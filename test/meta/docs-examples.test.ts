import { beforeAll, describe, expect, it } from 'vitest';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { docsPathOf, readRuleDoc } from '../helpers/rule-docs.js';

/**
 * Docs examples are checked like fixtures (STYLE B12): a code block tagged `incorrect` must make
 * its rule report, one tagged `correct` must not. Each block is scanned alone, under the file name
 * its language implies (or a `title="Cargo.toml"` in the info string), with only the page's rule enabled. A missing page fails on purpose.
 */

const fileNames: Record<string, string> = {
  c: 'example.c',
  cpp: 'example.cpp',
  'c++': 'example.cpp',
  cython: 'example.pyx',
  pyx: 'example.pyx',
  rust: 'example.rs',
  cmake: 'CMakeLists.txt',
  toml: 'pyproject.toml',
  python: 'setup.py',
  yaml: '.github/workflows/wheels.yml',
  yml: '.github/workflows/wheels.yml',
};

/** The file to scan a block as: `title="Cargo.toml"` or `file=Cargo.toml` in the info string wins. */
function fileNameOf(info: string): string | undefined {
  const named = /\b(?:title|file)="?([\w./-]+)"?/.exec(info)?.[1];
  return named ?? fileNames[info.split(/\s+/)[0] ?? ''];
}

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

describe.each(rules.map((rule) => [rule.meta.id, rule] as const))('%s docs examples', (_id, rule) => {
  it('has a docs page with at least one incorrect and one correct example', () => {
    const doc = readRuleDoc(rule);
    expect(doc, `missing docs page ${docsPathOf(rule)}`).toBeDefined();
    const tags = (doc?.blocks ?? []).map((b) => b.info.split(/\s+/));
    expect(tags.some((t) => t.includes('incorrect'))).toBe(true);
    expect(tags.some((t) => t.includes('correct'))).toBe(true);
  });

  it('reports on every incorrect example and stays quiet on every correct one', () => {
    const doc = readRuleDoc(rule);
    expect(doc, `missing docs page ${docsPathOf(rule)}`).toBeDefined();
    for (const block of doc?.blocks ?? []) {
      const words = block.info.split(/\s+/);
      const kind = words.includes('incorrect') ? 'incorrect' : words.includes('correct') ? 'correct' : undefined;
      if (kind === undefined) continue;
      const path = fileNameOf(block.info);
      expect(path, `block at line ${block.line}: no file name for '${block.info}'`).toBeDefined();
      const result = scanFiles({
        files: [{ path: path ?? 'example.txt', text: block.code }],
        grammars,
        rules: [rule],
        config: { maxFileSize: 5_000_000, minSeverity: 'info' },
      });
      const own = result.findings.filter((f) => f.ruleId === rule.meta.id);
      const where = `${kind} example at line ${block.line} of the page body`;
      if (kind === 'incorrect') expect(own.length, where).toBeGreaterThan(0);
      else expect(own.map((f) => `${f.line}: ${f.message}`), where).toEqual([]);
    }
  });
});
