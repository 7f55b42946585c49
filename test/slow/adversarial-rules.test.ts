import { describe, expect, it } from 'vitest';
import { findExtensionModules } from '../../src/core/review/find-extension-modules.js';
import { rules } from '../../src/core/rules/index.js';
import { createScanRunner, DEFAULT_SCAN_BUDGET } from '../../src/io/scan-in-worker.js';

/**
 * Repository text shaped against the shared-state analysis' patterns (issue 14, super-linear
 * rules). Each file is 100 KB; before the patterns were made linear each took minutes and was
 * skipped at the per-file budget. The production budget is the bound: a file must be scanned,
 * not skipped.
 */
const SIZE = 100_000;
// A function that locks something, so its body's lock timeline is read.
const head = 'static PyObject *f(PyObject *d, PyObject *k) {\n  static int x; Py_BEGIN_CRITICAL_SECTION(d); x = 1;\n';
const cases: Array<{ name: string; path: string; text: string }> = [
  // `a.a.a.…` tried as the object of a `.lock(` call from every character of the run.
  { name: 'a long member chain', path: 'src/chain.c', text: `${head}  ${'a.'.repeat(SIZE / 2)}\n}\n` },
  { name: 'a long identifier', path: 'src/word.c', text: `${head}  x = ${'a'.repeat(SIZE)}!\n}\n` },
  // A module-level `cdef` whose type and name are split by a long run of blanks.
  { name: 'a cdef line of blanks', path: 'src/m.pyx', text: `cdef a${' '.repeat(SIZE)}!\n` },
  { name: 'a cdef line of blank-separated words', path: 'src/w.pyx', text: `cdef ${'a '.repeat(SIZE / 2)}!\n` },
];

describe('rules on adversarial repository text', () => {
  for (const c of cases) {
    it(`scans ${c.name} within the per-file budget`, async () => {
      const result = await createScanRunner({ fileMs: DEFAULT_SCAN_BUDGET.fileMs })({
        files: [c],
        ruleIds: rules.map((r) => r.meta.id),
        config: { maxFileSize: 5_000_000, minSeverity: 'info' },
      });
      expect(result.diagnostics.filter((d) => d.kind === 'truncated')).toEqual([]);
      expect(result.stats.files).toBe(1);
    }, 60_000);
  }
});

describe('extension-module discovery on adversarial repository text (issue 14 L4)', () => {
  // Each 1 MB: declarations cut short, over and over (46 s with the former patterns). Run on the
  // event loop of a triage, so the test's timeout is the bound.
  const shapes = { 'PyInit_a(': 'PyInit_a(', '#[pymodule': '#[pymodule', 'PYBIND11_MODULE(': 'PYBIND11_MODULE(', 'nanobind_add_module(': 'nanobind_add_module(' };
  for (const [name, unit] of Object.entries(shapes)) {
    it(`reads 1 MB of ${name} repeated in one pass`, () => {
      const text = unit.repeat(Math.floor(1_000_000 / unit.length));
      const modules = findExtensionModules({ files: [{ path: 'src/m.c', text }, { path: 'src/lib.rs', text }, { path: 'CMakeLists.txt', text }], findings: [] });
      expect(Array.isArray(modules)).toBe(true);
    }, 20_000);
  }
});

