import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/engine/scan-files.js';
import { renderSarif } from '../../../src/core/report/to-sarif.js';
import { rules } from '../../../src/core/rules/index.js';
import { sampleFiles, scanSample } from '../../helpers/sample-scan.js';
import { sarifValidator } from '../../helpers/sarif-schema.js';

let scan: ScanResult;
beforeAll(async () => {
  scan = await scanSample();
});

function expectValidSarif(log: unknown): void {
  const validate = sarifValidator();
  const valid = validate(log);
  expect(validate.errors ?? [], 'SARIF 2.1.0 schema errors').toEqual([]);
  expect(valid).toBe(true);
}

describe('renderSarif', () => {
  it('validates against the SARIF 2.1.0 schema, with fixes and docs links', () => {
    const log = renderSarif({ findings: scan.findings, rules, textOf: (p) => sampleFiles[p], docsBaseUrl: 'https://example.org/ftbot/docs/rules' });
    expectValidSarif(log);
  });

  it('writes related locations (a shared variable\'s declaration, its other writes) as relatedLocations', () => {
    const finding = { ...scan.findings[0]!, related: [{ path: 'src/a.c', line: 3, column: 12, message: '`hits` declared here' }] };
    const log = renderSarif({ findings: [finding], rules, textOf: (p) => sampleFiles[p] });
    expectValidSarif(log);
    expect(log.runs[0]?.results?.[0]?.relatedLocations).toEqual([
      { id: 0, message: { text: '`hits` declared here' }, physicalLocation: { artifactLocation: { uri: 'src/a.c', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 12 } } },
    ]);
  });

  it('validates with no findings and no docs base URL', () => {
    expectValidSarif(renderSarif({ findings: [], rules: [], textOf: () => undefined }));
  });

  it('lists the rules that ran and points each result at its rule', () => {
    const log = renderSarif({ findings: scan.findings, rules, textOf: (p) => sampleFiles[p] });
    const run = log.runs[0];
    expect(run?.tool.driver.rules?.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    for (const result of run?.results ?? []) {
      expect(run?.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
      expect(result.partialFingerprints?.['ftbot/v1']).toMatch(/^[0-9a-f]+$/);
    }
  });

  it('maps severities to levels and fixes to replacements', () => {
    const log = renderSarif({ findings: scan.findings, rules, textOf: (p) => sampleFiles[p] });
    const results = log.runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['FT012', 'error'],
      ['FT001', 'warning'],
      ['FT008', 'error'],
    ]);
    const slots = results.find((r) => r.ruleId === 'FT008');
    expect(slots?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 13, startColumn: 25, endLine: 16, endColumn: 2 });
    expect(slots?.fixes?.[0]?.artifactChanges[0]?.replacements[0]).toEqual({
      deletedRegion: { startLine: 15, startColumn: 1, endLine: 15, endColumn: 1 },
      insertedContent: { text: '#if PY_VERSION_HEX >= 0x030D0000\n    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n' },
    });
    expect(results.find((r) => r.ruleId === 'FT001')?.fixes).toBeUndefined();
  });
});
