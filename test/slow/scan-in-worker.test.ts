import { describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { createScanRunner } from '../../src/io/scan-in-worker.js';

const config = { maxFileSize: 5_000_000, minSeverity: 'info' as const };
const ruleIds = rules.map((r) => r.meta.id);
const plain = { path: 'src/m.c', text: 'static PyObject *f(PyObject *d, PyObject *k) {\n    PyObject *v = PyDict_GetItem(d, k);\n    return v;\n}\n' };
/** Nested blocks that each take a borrowed reference: tens of seconds for the rules in one thread. */
const hostile = { path: 'src/nested.c', text: 'void f(PyObject *d){\n' + '{ PyObject *v = PyDict_GetItem(d, k); Py_INCREF(v);\n'.repeat(400) + '}'.repeat(400) + '\n}\n' };
const pyproject = { path: 'pyproject.toml', text: '[project]\nname = "m"\n[tool.cibuildwheel]\nskip = "cp31?t-*"\n' };

describe('createScanRunner', () => {
  it('finds what the in-process scan finds', async () => {
    const files = [pyproject, plain];
    const expected = scanFiles({ files, grammars: await loadGrammars(), rules, config });
    const result = await createScanRunner()({ files, ruleIds, config });
    expect(result.findings).toEqual(expected.findings);
    expect(result.project.projectName).toBe('m');
  });

  it('skips a file over its time budget, names it, and keeps the other files\u2019 findings', async () => {
    const result = await createScanRunner({ fileMs: 1_000 })({ files: [plain, hostile, pyproject], ruleIds, config });
    expect(result.diagnostics).toContainEqual({ kind: 'truncated', path: 'src/nested.c', message: 'not scanned: it took over 1000 ms' });
    expect(result.findings.map((f) => `${f.path}:${f.ruleId}`)).toContain('src/m.c:FT001');
    expect(result.findings.some((f) => f.path === 'pyproject.toml')).toBe(true);
  });

  it('skips a file that needs more memory than the budget', async () => {
    // Each line is a finding; the findings of 300,000 lines do not fit in a 24 MiB heap.
    const big = { path: 'src/big.c', text: 'void f(PyObject *d){\n' + '  x = PyDict_GetItem(d, k);\n'.repeat(150_000) + '}\n' };
    const result = await createScanRunner({ memoryMb: 24 })({ files: [plain, big], ruleIds, config });
    expect(result.diagnostics.find((d) => d.path === 'src/big.c')?.message).toMatch(/^not scanned: /);
    expect(result.findings.map((f) => f.path)).toContain('src/m.c');
  });
});
