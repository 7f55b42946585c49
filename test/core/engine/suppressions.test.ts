import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { applySuppressions, borrowedRefRuleIds, findSuppressions } from '../../../src/core/engine/suppressions.js';
import { createLineIndex } from '../../../src/core/parsing/syntax.js';

function finding(ruleId: string, line: number): Finding {
  return {
    ruleId,
    ruleName: 'x',
    path: 'm.c',
    line,
    column: 1,
    endLine: line,
    endColumn: 10,
    message: 'm',
    severity: 'warning',
    confidence: 'high',
    fingerprint: `${ruleId}-${line}`,
  };
}

function suppressionsOf(text: string) {
  const at = createLineIndex(text);
  return findSuppressions(text, (o) => at(o).line);
}

describe('findSuppressions', () => {
  it('reads ftbot comments in C, C++ and Python comment syntax', () => {
    const text = [
      'a = f();  // ftbot: ignore[FT001] dict is private',
      'b = g();  /* ftbot: ignore[FT002, FT007] list is fresh */',
      '# ftbot: ignore[FT010] module holds no state',
      '// ftbot: ignore-file[FT014] statics are written at init only',
    ].join('\n');
    expect(suppressionsOf(text).map(({ line, ruleIds, file }) => ({ line, ruleIds, file }))).toEqual([
      { line: 1, ruleIds: ['FT001'], file: false },
      { line: 2, ruleIds: ['FT002', 'FT007'], file: false },
      { line: 3, ruleIds: ['FT010'], file: false },
      { line: 4, ruleIds: ['FT014'], file: true },
    ]);
  });

  it("reads NumPy's `noqa: borrowed-ref` as the borrowed-reference rules", () => {
    const found = suppressionsOf('PyObject *v = PyDict_GetItem(d, k);  // noqa: borrowed-ref OK\n');
    expect(found).toHaveLength(1);
    expect(found[0]?.ruleIds).toEqual(borrowedRefRuleIds);
    expect(borrowedRefRuleIds).toContain('FT001');
  });

  it('ignores the words outside a comment', () => {
    expect(suppressionsOf('const char *s = "ftbot: ignore[FT001]";\n')).toEqual([]);
  });
});

describe('applySuppressions', () => {
  it('applies a trailing comment to its own line only, and only to its rules', () => {
    const text = 'x;  // ftbot: ignore[FT001] reason\ny;\nz;\n';
    const result = applySuppressions([finding('FT001', 1), finding('FT001', 2), finding('FT001', 3), finding('FT002', 1)], suppressionsOf(text), new Set(['FT001', 'FT002']), 'm.c');
    expect(result.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['FT001:2', 'FT001:3', 'FT002:1']);
    expect(result.diagnostics).toEqual([]);
  });

  it('applies ignore-next-line to the next line even when trailing', () => {
    const text = 'x;  // ftbot: ignore-next-line[ft001] reason\ny;\n';
    const result = applySuppressions([finding('FT001', 1), finding('FT001', 2)], suppressionsOf(text), new Set(['FT001']), 'm.c');
    expect(result.findings.map((f) => f.line)).toEqual([1]);
  });

  it("reads clang-tidy's NOLINT and NOLINTNEXTLINE with FT ids, ignoring other checks and bare forms", () => {
    const text = [
      'a = f();  // NOLINT(FT001)', // 1: own line
      '// NOLINTNEXTLINE(bugprone-x, FT002)', // 2: covers 3
      'b = g();',
      'c = h();  // NOLINT', // 4: bare, nothing
      '#define X f() // NOLINT(FT004)', // 5: a preprocessor line, trailing comment
    ].join('\n');
    const found = suppressionsOf(text);
    expect(found.map(({ line, target, ruleIds }) => ({ line, target, ruleIds }))).toEqual([
      { line: 1, target: 1, ruleIds: ['FT001'] },
      { line: 2, target: 3, ruleIds: ['FT002'] },
      { line: 5, target: 5, ruleIds: ['FT004'] },
    ]);
    const result = applySuppressions([finding('FT001', 1), finding('FT002', 3), finding('FT001', 4), finding('FT004', 5)], found, new Set(['FT001', 'FT002', 'FT004']), 'm.c');
    expect(result.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['FT001:4']);
  });

  it("reads flake8's `noqa: FTnnn` as its own line, several ids allowed", () => {
    const text = 'x = d[k]  # noqa: FT001, ft002 reason\ny = 1\n';
    const found = suppressionsOf(text);
    expect(found.map(({ target, ruleIds }) => ({ target, ruleIds }))).toEqual([{ target: 1, ruleIds: ['FT001', 'FT002'] }]);
    const result = applySuppressions([finding('FT001', 1), finding('FT002', 2)], found, new Set(['FT001', 'FT002']), 'm.pyx');
    expect(result.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['FT002:2']);
  });

  it('covers the line after a block comment that spans lines', () => {
    const text = '/*\n * ftbot: ignore[FT016] single-threaded init\n */\nchar *t = strtok(s, ",");\n';
    const result = applySuppressions([finding('FT016', 4)], suppressionsOf(text), new Set(['FT016']), 'm.c');
    expect(result.findings).toEqual([]);
  });

  it('reports unused NOLINT and noqa suppressions too', () => {
    const text = 'a;  // NOLINT(FT001)\nb  # noqa: FT002\n';
    const result = applySuppressions([], suppressionsOf(text), new Set(['FT001', 'FT002']), 'm.c');
    expect(result.diagnostics.map((d) => `${d.line}:${d.message}`)).toEqual(['1:unused suppression for FT001', '2:unused suppression for FT002']);
  });

  it('applies a standalone comment to the next line', () => {
    const text = '// ftbot: ignore[FT016] called before threads start\nchar *t = strtok(s, ",");\n';
    const result = applySuppressions([finding('FT016', 2)], suppressionsOf(text), new Set(['FT016']), 'm.c');
    expect(result.findings).toEqual([]);
  });

  it('applies a file-level suppression everywhere', () => {
    const text = '/* ftbot: ignore-file[FT014] init-only statics */\n';
    const result = applySuppressions([finding('FT014', 40), finding('FT014', 90)], suppressionsOf(text), new Set(['FT014']), 'm.c');
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });

  it('reports an unused ftbot suppression of an enabled rule', () => {
    const text = 'a;\nb;  // ftbot: ignore[FT001] stale\n';
    const result = applySuppressions([finding('FT002', 1)], suppressionsOf(text), new Set(['FT001', 'FT002']), 'm.c');
    expect(result.findings).toHaveLength(1);
    expect(result.diagnostics).toEqual([{ kind: 'unused-suppression', path: 'm.c', line: 2, message: 'unused suppression for FT001' }]);
  });

  it('does not report suppressions of rules that did not run, nor unused NumPy annotations', () => {
    const text = 'a;  // ftbot: ignore[FT014] preview rule not selected\nb;  // noqa: borrowed-ref OK\n';
    const result = applySuppressions([], suppressionsOf(text), new Set(['FT001']), 'm.c');
    expect(result.diagnostics).toEqual([]);
  });
});
