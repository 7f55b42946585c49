import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractTree, fileKindOf, groupUnmatched, score, summarise, writeIndex, type LabelledCommit } from '../../scripts/eval-ports.js';
import { walkFiles } from '../../src/io/walk-files.js';

const commit: LabelledCommit = {
  project: 'example/fastmod',
  sha: 'a'.repeat(40),
  parent: 'b'.repeat(40),
  url: 'https://example.org/commit',
  files: [
    { path: 'pyproject.toml', sites: [{ start: 10, end: 10, category: 'build', also: [], note: 'classifier' }] },
    { path: 'src/mod.c', sites: [{ start: 40, end: 42, category: 'declaration', also: [], note: 'slot' }] },
  ],
};

describe('eval:ports precision by file kind', () => {
  it('classifies annotated files as build files, sources or other files', () => {
    expect(['pyproject.toml', '.github/workflows/ci.yml', 'src/mod.c', 'docs/index.rst'].map(fileKindOf)).toEqual(['build', 'build', 'source', 'other']);
  });

  it('counts flags on build files and sources separately', () => {
    const flags = [
      { path: 'pyproject.toml', line: 11, endLine: 11 },
      { path: 'pyproject.toml', line: 30, endLine: 30 },
      { path: 'src/mod.c', line: 41, endLine: 41 },
    ];
    const summary = summarise(score(commit, flags, 2));
    expect(summary.precisionByKind.build).toEqual({ flags: 2, near: 1, value: 0.5 });
    expect(summary.precisionByKind.source).toEqual({ flags: 1, near: 1, value: 1 });
    expect(summary.precisionByKind.other).toEqual({ flags: 0, near: 0, value: null });
    expect(summary.precision).toEqual({ flags: 3, near: 2, value: 0.6667 });
  });
});

describe('eval:ports rounding', () => {
  it('rounds a recall once for the table: 98 of 106 (0.9245) prints as 0.92, not 0.93', async () => {
    const { fmt, ratio } = await import('../../scripts/eval-ports.js');
    expect(fmt(ratio(98, 106))).toBe('0.92');
    expect(fmt(ratio(224, 317))).toBe('0.71');
  });
});

describe('eval:ports credits related places for recall, not for precision', () => {
  it("finds a site near a finding's related place, in its own file or another, and counts it apart", () => {
    const grouped = [{ path: 'src/other.c', line: 5, endLine: 5, rule: 'FT014', related: [{ path: 'src/mod.c', line: 43 }, { path: 'pyproject.toml', line: 90 }] }];
    const tally = score(commit, grouped, 2);
    const summary = summarise(tally);
    expect(summary.recall.declaration).toEqual({ sites: 1, found: 1, byRelated: 1, recall: 1 });
    expect(summary.recall.build).toEqual({ sites: 1, found: 0, byRelated: 0, recall: 0 });
    // The flag is on no annotated file: precision does not see it.
    expect(summary.precision).toEqual({ flags: 0, near: 0, value: null });
    const onSite = summarise(score(commit, [{ path: 'src/mod.c', line: 41, endLine: 41, related: [{ path: 'src/mod.c', line: 42 }] }], 2));
    expect(onSite.recall.declaration).toEqual({ sites: 1, found: 1, byRelated: 0, recall: 1 });
  });

  it('counts a related place that is a span by all its lines, and a point by its line only', () => {
    // The site is lines 40-42 of src/mod.c; a related span 20-41 reaches it, the point 20 does not.
    const span = summarise(score(commit, [{ path: 'src/other.c', line: 5, endLine: 5, related: [{ path: 'src/mod.c', line: 20, endLine: 41 }] }], 0));
    expect(span.recall.declaration).toEqual({ sites: 1, found: 1, byRelated: 1, recall: 1 });
    const point = summarise(score(commit, [{ path: 'src/other.c', line: 5, endLine: 5, related: [{ path: 'src/mod.c', line: 20 }] }], 0));
    expect(point.recall.declaration).toEqual({ sites: 1, found: 0, byRelated: 0, recall: 0 });
  });

  it('counts a flag whose related place is near a site, but not its own lines, as unmatched', () => {
    const far = [{ path: 'src/mod.c', line: 5, endLine: 5, rule: 'FT014', message: 'declared', related: [{ path: 'src/mod.c', line: 40 }] }];
    const tally = score(commit, far, 2);
    expect(summarise(tally).recall.declaration?.found).toBe(1);
    expect(summarise(tally).precisionByKind.source).toEqual({ flags: 1, near: 0, value: 0 });
    expect(tally.unmatched.map((f) => f.line)).toEqual([5]);
  });
});

describe('eval:ports scans a checkout', () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
  });

  it('writes the parent tree with its index, so a tracked file that .gitignore matches is scanned', () => {
    const work = mkdtempSync(join(tmpdir(), 'ftbot-eval-index-'));
    temps.push(work);
    const gitDir = join(work, 'repo.git');
    const git = (args: string[], input?: string): string =>
      execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) }).trim();
    execFileSync('git', ['init', '--quiet', '--bare', gitDir]);
    const blob = (text: string): string => git(['hash-object', '-w', '--stdin'], text);
    const sub = git(['mktree'], `100644 blob ${blob('PyMODINIT_FUNC PyInit_controller(void) { return 0; }\n')}\tcontroller.c\n`);
    const tree = git(['mktree'], `100644 blob ${blob('_sdl2/\n')}\t.gitignore\n040000 tree ${sub}\t_sdl2\n`);
    const dest = join(work, 'tree');
    extractTree(gitDir, tree, dest, 30_000);
    expect(walkFiles({ cwd: dest, roots: ['.'], exclude: [] }).files.map((f) => f.path)).toEqual([]);
    writeIndex(gitDir, tree, dest, 30_000);
    expect(walkFiles({ cwd: dest, roots: ['.'], exclude: [] }).files.map((f) => f.path)).toEqual(['_sdl2/controller.c']);
  });
});

describe('eval:ports lists the flags near no labelled site', () => {
  const flags = [
    { path: 'pyproject.toml', line: 30, endLine: 30, rule: 'FT055', message: 'no classifier', confidence: 'high' },
    { path: 'src/mod.c', line: 41, endLine: 41, rule: 'FT008', message: 'no slot' },
    { path: 'src/mod.c', line: 90, endLine: 92, rule: 'FT016', message: '`strerror` is not thread-safe' },
    { path: 'src/mod.c', line: 70, endLine: 70, rule: 'FT016', message: '`localtime` is not thread-safe' },
    { path: 'src/mod.c', line: 12, endLine: 12, rule: 'FT001', message: 'borrowed' },
    { path: 'src/unlabelled.c', line: 5, endLine: 5, rule: 'FT001', message: 'not on an annotated file' },
  ];

  it('keeps each unmatched flag on an annotated file with its rule, message and file kind', () => {
    const tally = score(commit, flags, 2);
    expect(tally.unmatched).toEqual([
      { path: 'pyproject.toml', line: 30, endLine: 30, kind: 'build', rule: 'FT055', message: 'no classifier', confidence: 'high' },
      { path: 'src/mod.c', line: 90, endLine: 92, kind: 'source', rule: 'FT016', message: '`strerror` is not thread-safe', confidence: '' },
      { path: 'src/mod.c', line: 70, endLine: 70, kind: 'source', rule: 'FT016', message: '`localtime` is not thread-safe', confidence: '' },
      { path: 'src/mod.c', line: 12, endLine: 12, kind: 'source', rule: 'FT001', message: 'borrowed', confidence: '' },
    ]);
    // The precision figures count the same flags: 5 on annotated files, 1 near a site.
    expect(summarise(tally).precision).toEqual({ flags: 5, near: 1, value: 0.2 });
  });

  it('groups them by rule, largest group first, each in path and line order, for the chosen kinds', () => {
    const tagged = score(commit, flags, 2).unmatched.map((f) => ({ ...f, project: commit.project, sha: commit.sha }));
    const sources = groupUnmatched(tagged, new Set(['source'] as const));
    expect(sources.map(([rule, fs]) => [rule, fs.map((f) => f.line)])).toEqual([
      ['FT016', [70, 90]],
      ['FT001', [12]],
    ]);
    const all = groupUnmatched(tagged, new Set(['source', 'build', 'other'] as const));
    expect(all.map(([rule]) => rule)).toEqual(['FT016', 'FT001', 'FT055']);
  });
});
