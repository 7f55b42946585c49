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

  it('lists up to three related places under a finding with showHelp, then how many more, each made terminal-safe', () => {
    const [first] = scan.findings;
    if (first === undefined) throw new Error('the sample has findings');
    const related = [1, 2, 3, 4, 5].map((n) => ({ path: n === 2 ? 'src/evil\u001b[2J.c' : 'src/spam.c', line: 10 + n, column: 5, message: `also written in \`f${n}\`` }));
    const lines = renderText([{ ...first, related }], { showHelp: true, quiet: true }).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('  related: '))).toEqual([
      '  related: src/spam.c:11:5: also written in `f1`',
      expect.stringMatching(/^ {2}related: src\/evil.*\[2J\.c:12:5: also written in `f2`$/),
      '  related: src/spam.c:13:5: also written in `f3`',
      '  related: … and 2 more (JSON and SARIF list them all)',
    ]);
    expect(lines.join('\n')).not.toContain('\u001b');
    // Without showHelp, the concise output stays one line per finding.
    expect(renderText([{ ...first, related }], { quiet: true }).trimEnd().split('\n')).toHaveLength(1);
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
