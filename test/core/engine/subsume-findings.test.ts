import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { scanFiles, type Grammars, type ScanInput } from '../../../src/core/engine/scan-files.js';
import { subsumeFindings } from '../../../src/core/engine/subsume-findings.js';
import { rules } from '../../../src/core/rules/index.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

function finding(ruleId: string, at: { line: number; column: number; endLine?: number; endColumn: number }, confidence: Finding['confidence'] = 'medium', path = 'src/m.c'): Finding {
  return {
    ruleId,
    ruleName: `rule-${ruleId.toLowerCase()}`,
    path,
    line: at.line,
    column: at.column,
    endLine: at.endLine ?? at.line,
    endColumn: at.endColumn,
    message: `${ruleId} message`,
    severity: 'warning',
    confidence,
    fingerprint: `${ruleId}-${at.line}-${at.column}`,
  };
}

const subsumes = new Map([['FT004', ['FT001', 'FT002']]]);

describe('subsumeFindings', () => {
  it('drops a subsumed finding that starts inside the subsuming one, and keeps its higher confidence', () => {
    const wrapper = finding('FT004', { line: 12, column: 5, endColumn: 40 }, 'medium');
    const inner = finding('FT001', { line: 12, column: 16, endColumn: 30 }, 'high');
    const out = subsumeFindings([inner, wrapper], subsumes);
    expect(out).toEqual([{ ...wrapper, confidence: 'high' }]);
    // The input finding is copied, not changed: cached entries share it.
    expect(wrapper.confidence).toBe('medium');
  });

  it('treats either finding starting inside the other as one site', () => {
    const call = finding('FT004', { line: 3, column: 20, endColumn: 34 }, 'medium');
    const wider = finding('FT002', { line: 3, column: 9, endColumn: 40 }, 'low');
    expect(subsumeFindings([call, wider], subsumes)).toEqual([call]);
  });

  it('keeps findings on another site, in another file, or of a rule not listed', () => {
    const kept = [
      finding('FT004', { line: 12, column: 5, endColumn: 40 }),
      finding('FT001', { line: 12, column: 41, endColumn: 55 }),
      finding('FT001', { line: 13, column: 5, endColumn: 20 }),
      finding('FT001', { line: 12, column: 16, endColumn: 30 }, 'medium', 'src/other.c'),
      finding('FT017', { line: 12, column: 16, endColumn: 30 }),
    ];
    expect(subsumeFindings(kept, subsumes)).toEqual(kept);
  });

  it('spans lines: a finding starting on a later line of a multi-line span is inside it', () => {
    const multi = finding('FT004', { line: 20, column: 9, endLine: 22, endColumn: 6 });
    expect(subsumeFindings([multi, finding('FT002', { line: 21, column: 13, endColumn: 27 })], subsumes)).toEqual([multi]);
    expect(subsumeFindings([multi, finding('FT002', { line: 22, column: 7, endColumn: 20 })], subsumes)).toHaveLength(2);
  });
});

describe('subsumption in a scan', () => {
  let grammars: Grammars;
  beforeAll(async () => {
    grammars = await loadGrammars();
  });
  const config = { maxFileSize: 100_000, minSeverity: 'info' as const };
  const source = (comment = '') => `#include <Python.h>
static PyObject *registry;
static PyObject *
lookup(PyObject *m, PyObject *k)
{
    PyObject *item = PyDict_GetItem(registry, k);${comment}
    Py_XINCREF(item);
    return item;
}
static PyObject *
deref(PyObject *m, PyObject *ref)
{
    return Py_XNewRef(PyWeakref_GetObject(ref));
}
`;
  const scan = (text: string, ids = ['FT001', 'FT003', 'FT004'], minConfidence: Finding['confidence'] = 'low') => {
    const files: ScanInput[] = [{ path: 'src/m.c', text }];
    return scanFiles({ files, grammars, rules: rules.filter((r) => ids.includes(r.meta.id)), config: { ...config, minConfidence } });
  };
  const brief = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId}@${f.line}:${f.confidence}`);

  it('reports one finding per borrowed call: FT004 for the dict lookup, FT003 for the weak reference', () => {
    const alone = scan(source(), ['FT001']).findings;
    const both = scan(source()).findings;
    expect(brief(alone)).toEqual(['FT001@6:high']);
    // FT004 says `medium` on its own; the fact keeps FT001's `high`.
    expect(brief(both)).toEqual(['FT004@6:high', 'FT003@13:high']);
    // Fingerprints of the kept findings are those they had before: the same rule, line and symbol.
    const ft004 = scan(source(), ['FT004']).findings;
    expect(both[0]?.fingerprint).toBe(ft004.find((f) => f.line === 6)?.fingerprint);
  });

  it('keeps the subsumed finding when the subsuming one is suppressed, and reports no suppression unused', () => {
    const ignored = scan(source('  // ftbot: ignore[FT004] checked by hand'));
    expect(brief(ignored.findings)).toEqual(['FT001@6:high', 'FT003@13:high']);
    expect(ignored.diagnostics).toEqual([]);
    const other = scan(source('  // ftbot: ignore[FT001] checked by hand'));
    expect(brief(other.findings)).toEqual(['FT004@6:medium', 'FT003@13:high']);
    expect(other.diagnostics).toEqual([]);
    const numpy = scan(source('  // noqa: borrowed-ref OK'));
    expect(brief(numpy.findings)).toEqual(['FT003@13:high']);
    expect(numpy.diagnostics).toEqual([]);
  });

  it('applies the confidence threshold after merging, so the fact shows at its higher confidence', () => {
    // Line 6: FT004 alone is `medium` (via a local), under the threshold; with FT001 it is `high`.
    expect(brief(scan(source(), ['FT004'], 'high').findings)).toEqual(['FT004@13:high']);
    expect(brief(scan(source(), ['FT001', 'FT004'], 'high').findings)).toEqual(['FT004@6:high', 'FT004@13:high']);
  });
});
