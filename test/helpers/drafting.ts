import type { Finding } from '../../src/core/diagnostics.js';
import type { Grammars } from '../../src/core/engine/scan-files.js';
import { scanFiles } from '../../src/core/engine/scan-files.js';
import { selectRules } from '../../src/core/engine/select-rules.js';
import type { KnowledgeIndex } from '../../src/core/knowledge/build-index.js';
import { rules as allRules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { loadKnowledge } from '../../src/io/load-knowledge.js';

/** Every rule, preview included (what `ftbot suggest` runs). */
export const allSelected = selectRules(allRules, { select: ['ALL'], ignore: [], preview: true });

let shared: Promise<{ grammars: Grammars; knowledge: KnowledgeIndex }> | undefined;

/** Grammars and the knowledge index, loaded once per test file. */
export function loadDraftingContext(): Promise<{ grammars: Grammars; knowledge: KnowledgeIndex }> {
  shared ??= (async () => ({ grammars: await loadGrammars(), knowledge: await loadKnowledge() }))();
  return shared;
}

/** Scans one file with every rule. */
export function scanOne(grammars: Grammars, path: string, text: string): Finding[] {
  return scanFiles({ files: [{ path, text }], grammars, rules: allSelected, config: { maxFileSize: 5_000_000, minSeverity: 'info' } }).findings;
}

/** A C file with one borrowed dict lookup, increfed (FT004, which stands for FT001, on line 8), used by the LLM tests. */
export const LOOKUP_PATH = 'src/spam.c';
export const LOOKUP_SOURCE = `#include <Python.h>

static PyObject *registry = NULL;

static PyObject *
spam_lookup(PyObject *module, PyObject *key)
{
    PyObject *value = PyDict_GetItem(registry, key);
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(value);
}
`;

/** A correct rewrite of lines 8–12 of `LOOKUP_SOURCE`, as a model would draft it. */
export const GOOD_REPLACEMENT = [
  '    PyObject *value;',
  '    if (PyDict_GetItemRef(registry, key, &value) < 0) {',
  '        return NULL;',
  '    }',
  '    if (value == NULL) {',
  '        Py_RETURN_NONE;',
  '    }',
  '    return value;',
].join('\n');
