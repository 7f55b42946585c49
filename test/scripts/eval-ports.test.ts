import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractTree, fileKindOf, score, summarise, writeIndex, type LabelledCommit } from '../../scripts/eval-ports.js';
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
    expect(summary.precision).toEqual({ flags: 3, near: 2, value: 0.667 });
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
