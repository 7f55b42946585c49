import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/engine/scan-files.js';
import { renderJson } from '../../../src/core/report/to-json.js';
import { VERSION } from '../../../src/core/version.js';
import { sampleFiles, scanSample } from '../../helpers/sample-scan.js';

let scan: ScanResult;
beforeAll(async () => {
  scan = await scanSample();
});

const render = () =>
  renderJson({
    findings: scan.findings,
    diagnostics: [{ kind: 'vendored', path: 'src/pythoncapi_compat.h', message: 'vendored compatibility header, not scanned' }],
    stats: { files: 2, bytes: 512, ms: 7 },
    textOf: (path) => sampleFiles[path],
  });

describe('renderJson', () => {
  it('has exactly the documented top-level keys', () => {
    const report = render();
    expect(Object.keys(report)).toEqual(['version', 'findings', 'diagnostics', 'stats']);
    expect(report.version).toBe(VERSION);
    expect(report.stats).toEqual({ files: 2, bytes: 512, ms: 7 });
    expect(report.diagnostics).toEqual([{ kind: 'vendored', path: 'src/pythoncapi_compat.h', message: 'vendored compatibility header, not scanned' }]);
  });

  it('gives each finding exactly the contract fields, and `fix` only when there is one', () => {
    const report = render();
    expect(report.findings.map((f) => f.ruleId)).toEqual(['FT012', 'FT001', 'FT008']);
    const keys = ['ruleId', 'path', 'line', 'column', 'endLine', 'endColumn', 'message', 'severity', 'confidence'];
    for (const f of report.findings) {
      const expected = f.ruleId === 'FT001' ? keys : [...keys, 'fix'];
      expect(Object.keys(f), f.ruleId).toEqual(expected);
    }
  });

  it('renders fixes as line/column edits in the file', () => {
    const slots = render().findings.find((f) => f.ruleId === 'FT008');
    expect(slots).toMatchObject({ path: 'src/spam.c', line: 13, column: 25, severity: 'error', confidence: 'high' });
    expect(slots?.fix).toEqual({
      title: 'Add `{Py_mod_gil, Py_MOD_GIL_NOT_USED}` once the module is thread-safe',
      applicability: 'unsafe',
      edits: [{ line: 15, column: 1, endLine: 15, endColumn: 1, replacement: '#if PY_VERSION_HEX >= 0x030D0000\n    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n' }],
    });
  });

  it('takes the edit ranges the engine stored with the fix, without reading the file again', () => {
    const read: string[] = [];
    const report = renderJson({ findings: scan.findings, diagnostics: [], stats: { files: 0, bytes: 0, ms: 0 }, textOf: (path) => (read.push(path), undefined) });
    expect(read).toEqual([]);
    expect(report.findings).toEqual(render().findings);
  });

  it('computes the ranges from the text for a fix without them, and leaves the fix out when the text is not available', () => {
    const bare = scan.findings.map((f) => (f.fix === undefined ? f : { ...f, fix: { title: f.fix.title, applicability: f.fix.applicability, edits: f.fix.edits } }));
    const withText = renderJson({ findings: bare, diagnostics: [], stats: { files: 0, bytes: 0, ms: 0 }, textOf: (path) => sampleFiles[path] });
    expect(withText.findings).toEqual(render().findings);
    const withoutText = renderJson({ findings: bare, diagnostics: [], stats: { files: 0, bytes: 0, ms: 0 }, textOf: () => undefined });
    expect(withoutText.findings.every((f) => f.fix === undefined)).toBe(true);
  });

  it('round-trips through JSON unchanged', () => {
    const report = render();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
