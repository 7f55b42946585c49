import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { pickDraftTargets, triageExamples } from '../../../src/core/review/index.js';

function finding(ruleId: string, line: number, column: number, path = 'src/spam.c'): Finding {
  return {
    ruleId,
    ruleName: 'x',
    path,
    line,
    column,
    endLine: line,
    endColumn: column + 1,
    message: `${ruleId} at ${line}:${column}`,
    severity: 'warning',
    confidence: 'high',
    fingerprint: `${ruleId}-${line}-${column}`,
  } as Finding;
}

describe('pickDraftTargets', () => {
  it('drafts once per line and prefers the primary rule over FT004', () => {
    const ft004 = finding('FT004', 32, 12);
    const ft002 = finding('FT002', 32, 22);
    const ft001 = finding('FT001', 18, 23);
    const ft004b = finding('FT004', 18, 23);
    const { targets, covered } = pickDraftTargets([ft001, ft004b, ft004, ft002]);
    expect(targets).toEqual([ft001, ft002]);
    expect([...covered]).toEqual([
      [ft004b, ft001],
      [ft004, ft002],
    ]);
  });

  it('keeps the first finding when every finding on the line is FT004', () => {
    const only = finding('FT004', 5, 1);
    expect(pickDraftTargets([only]).targets).toEqual([only]);
  });
});

describe('triageExamples', () => {
  it('takes one example per rule on distinct lines, files with most findings first, at most five', () => {
    const big = [finding('FT001', 18, 23), finding('FT004', 18, 23), finding('FT004', 32, 12), finding('FT002', 32, 22), finding('FT016', 83, 1), finding('FT016', 84, 1)];
    const small = [finding('FT005', 3, 1, 'src/b.c'), finding('FT003', 9, 1, 'src/b.c')];
    const examples = triageExamples([...small, ...big]).map((f) => `${f.path}:${f.line} ${f.ruleId}`);
    expect(examples).toEqual(['src/spam.c:18 FT001', 'src/spam.c:32 FT004', 'src/spam.c:83 FT016', 'src/b.c:3 FT005', 'src/b.c:9 FT003']);
  });
});
