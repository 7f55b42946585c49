import { scanFiles, type ScanResult } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';

/** A two-file sample: a borrowed lookup (no fix) and module slots without `Py_mod_gil` (safe fix). */
export const sampleFiles: Record<string, string> = {
  'src/spam.c': `#include <Python.h>

static PyObject *registry = NULL;

static PyObject *
spam_lookup(PyObject *module, PyObject *key)
{
    return Py_XNewRef(PyDict_GetItem(registry, key));
}

static int spam_exec(PyObject *m) { return 0; }

static PyModuleDef_Slot spam_slots[] = {
    {Py_mod_exec, spam_exec},
    {0, NULL}
};
`,
  'src/binding.cpp': `#include <pybind11/pybind11.h>
namespace py = pybind11;
PYBIND11_MODULE(_binding, m) {
    m.doc() = "sample";
}
`,
};

/** Scans the sample with FT001, FT008 and FT012 (real grammars, real rules). */
export async function scanSample(): Promise<ScanResult> {
  const grammars = await loadGrammars();
  return scanFiles({
    files: Object.entries(sampleFiles).map(([path, text]) => ({ path, text })),
    grammars,
    rules: rules.filter((r) => ['FT001', 'FT008', 'FT012'].includes(r.meta.id)),
    config: { maxFileSize: 5_000_000, minSeverity: 'info' },
  });
}
