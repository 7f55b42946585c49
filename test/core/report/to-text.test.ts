import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/engine/scan-files.js';
import { renderDiagnosticsText, renderText } from '../../../src/core/report/to-text.js';
import { scanSample } from '../../helpers/sample-scan.js';

let scan: ScanResult;
beforeAll(async () => {
  scan = await scanSample();
});

describe('renderText', () => {
  it('prints one `path:line:col: FTnnn message` line per finding and a summary', () => {
    const lines = renderText(scan.findings).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 3)) expect(line).toMatch(/^src\/[\w.]+:\d+:\d+: FT\d{3} \S/);
    expect(lines[1]).toBe(
      'src/spam.c:8:23: FT001 `PyDict_GetItem` returns a borrowed reference that another thread can free while `registry` is shared',
    );
    expect(lines[3]).toBe('Found 3 findings.');
  });

  it('adds help lines and fix applicability with showHelp', () => {
    const text = renderText(scan.findings, { showHelp: true });
    expect(text).toContain('  help: Use `PyDict_GetItemRef`, which returns a strong reference, and release it on every path\n');
    expect(text).toContain('  help: Add `{Py_mod_gil, Py_MOD_GIL_NOT_USED}` once the module is thread-safe [fix: unsafe]\n');
  });

  it('says so when there is nothing to report', () => {
    expect(renderText([])).toBe('No free-threading hazards found.\n');
  });
});

describe('renderDiagnosticsText', () => {
  it('prints one line per diagnostic, with the line when known', () => {
    expect(
      renderDiagnosticsText([
        { kind: 'unused-suppression', path: 'a.c', line: 3, message: 'unused suppression for FT001' },
        { kind: 'config-invalid', message: 'bad key' },
      ]),
    ).toBe('a.c:3: unused-suppression: unused suppression for FT001\n(project): config-invalid: bad key\n');
  });
});
