import { describe, expect, it } from 'vitest';
import { fileKindOf, score, summarise, type LabelledCommit } from '../../scripts/eval-ports.js';

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
