import { beforeAll, describe, expect, it } from 'vitest';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { docsPathOf, readRuleDoc } from '../helpers/rule-docs.js';

/**
 * Docs examples are checked like fixtures (STYLE B12): a code block tagged `incorrect` must make
 * its rule report, one tagged `correct` must not. Each block is scanned alone (unless grouped, see
 * below), under the file name its language implies (or a `title="Cargo.toml"` in the info string),
 * with only the page's rule enabled. A missing page fails on purpose.
 *
 * Multi-file examples (some rules need the rest of the project: FT033 only reports when there are
 * extension sources, FT034 only when a module re-enables the GIL). Consecutive blocks in the same
 * H2 section that all name their file (`title="…"` or `file=…`) and are all tagged `incorrect`,
 * `correct` or `context` form one small project and are scanned together. Only the `incorrect` /
 * `correct` blocks are asserted on, counting the page rule's findings in that block's own file;
 * a `context` block is scanned alongside and never asserted on. For example:
 *
 *     ```yaml title=".github/workflows/tests.yml" incorrect
 *     ```c title="src/_speedups.c" context
 *
 * A `context` block outside such a group, or a group naming one file twice, fails the test.
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

type Block = { info: string; code: string; line: number };
type Kind = 'incorrect' | 'correct' | 'context';

function kindOf(info: string): Kind | undefined {
  const words = info.split(/\s+/);
  return words.includes('incorrect') ? 'incorrect' : words.includes('correct') ? 'correct' : words.includes('context') ? 'context' : undefined;
}

/** True when the info string names the block's file (`title="…"` / `file=…`). */
function namesFile(info: string): boolean {
  return /\b(?:title|file)=/.test(info);
}

/** Body line numbers of the H2 headings, skipping fenced code (a `## ` comment in YAML is not one). */
function h2Lines(body: string): number[] {
  const lines: number[] = [];
  let fence: string | undefined;
  body.split('\n').forEach((line, i) => {
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) fence = marker;
    else if (fence !== undefined && line.startsWith(fence)) fence = undefined;
    else if (fence === undefined && /^## /.test(line)) lines.push(i + 1);
  });
  return lines;
}

/**
 * Splits a page's tagged blocks into scan groups: a run of consecutive blocks in one H2 section that
 * all name their file and carry a tag becomes one group; every other tagged block is a group of one.
 * Untagged blocks are never scanned and end a run.
 */
function groupBlocks(blocks: readonly Block[], body: string): Block[][] {
  const headings = h2Lines(body);
  const sectionOf = (b: Block): number => headings.filter((h) => h < b.line).length;
  const groups: Block[][] = [];
  let previous: Block | undefined;
  for (const block of blocks) {
    if (kindOf(block.info) === undefined) {
      previous = undefined;
      continue;
    }
    const last = groups[groups.length - 1];
    const joins = previous !== undefined && last !== undefined && namesFile(previous.info) && namesFile(block.info) && sectionOf(previous) === sectionOf(block);
    if (joins) last.push(block);
    else groups.push([block]);
    previous = block;
  }
  return groups;
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
    for (const group of groupBlocks(doc?.blocks ?? [], doc?.body ?? '')) {
      const files = group.map((block) => ({ block, kind: kindOf(block.info), path: fileNameOf(block.info) }));
      for (const f of files) expect(f.path, `block at line ${f.block.line}: no file name for '${f.block.info}'`).toBeDefined();
      const paths = files.map((f) => f.path);
      expect(new Set(paths).size, `blocks from line ${group[0]?.line}: a file is named twice`).toBe(paths.length);
      const asserted = files.filter((f) => f.kind === 'incorrect' || f.kind === 'correct');
      if (files.some((f) => f.kind === 'context')) expect(asserted.length, `context block at line ${files[0]?.block.line} has no incorrect/correct block beside it`).toBeGreaterThan(0);
      if (asserted.length === 0) continue;
      const result = scanFiles({
        files: files.map((f) => ({ path: f.path ?? 'example.txt', text: f.block.code })),
        grammars,
        rules: [rule],
        config: { maxFileSize: 5_000_000, minSeverity: 'info' },
      });
      for (const { block, kind, path } of asserted) {
        const own = result.findings.filter((f) => f.ruleId === rule.meta.id && f.path === path);
        const where = `${kind} example at line ${block.line} of the page body`;
        if (kind === 'incorrect') expect(own.length, where).toBeGreaterThan(0);
        else expect(own.map((f) => `${f.line}: ${f.message}`), where).toEqual([]);
      }
    }
  });
});
