import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/diagnostics.js';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';

/**
 * Rules that group their own reports: one finding per fact, at the place the fix belongs, the
 * other places as related locations (the fixtures pin the findings; this pins the related places).
 */

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

const scan = (path: string, text: string, id: string): Finding[] =>
  scanFiles({ files: [{ path, text }], grammars, rules: rules.filter((r) => r.meta.id === id), config: { maxFileSize: 100_000, minSeverity: 'info' } }).findings;
const related = (f: Finding | undefined) => (f?.related ?? []).map((r) => `${r.line}: ${r.message}`);

describe('FT014 reports a variable once, at its declaration', () => {
  const module = `#include <Python.h>
static PyObject *first_controller = NULL;
static long calls;

static PyObject *
controller_new(PyObject *self, PyObject *args)
{
    if (first_controller == NULL) {
        first_controller = PyList_New(0);
    }
    calls++;
    return Py_NewRef(first_controller);
}

static PyObject *
controller_quit(PyObject *self, PyObject *args)
{
    first_controller = NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"new", controller_new, METH_VARARGS, NULL},
    {"quit", controller_quit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
`;

  it('lists each writing function as a related place, saying what the write does', () => {
    const found = scan('src/controller.c', module, 'FT014');
    expect(found.map((f) => `${f.line}:${f.column}`)).toEqual(['2:18', '3:13']);
    const [controller, counter] = found;
    expect(controller?.message).toBe('Shared static `first_controller` is written without a lock in `controller_new` and `controller_quit`; the fix usually changes this declaration');
    expect(related(controller)).toEqual(['9: `first_controller` lazily initialised in `controller_new`', '18: `first_controller` written without a lock in `controller_quit`']);
    // One writer: that write's own words (a counter, and how Python reaches it), at the declaration.
    expect(counter?.message).toBe('Read-modify-write of static `calls` in `controller_new` loses updates when threads race; Python reaches it through the `PyMethodDef` table `methods`');
    expect(related(counter)).toEqual(['11: `calls` read-modify-write in `controller_new`']);
  });

  it('keeps the fingerprint the declaration finding had when it stood beside the write findings', () => {
    // Same rule, path, symbol and line text as before: only the message and related places changed.
    const [controller] = scan('src/controller.c', module, 'FT014');
    const moved = scan('src/controller.c', `\n\n${module}`, 'FT014');
    expect(moved[0]?.fingerprint).toBe(controller?.fingerprint);
    expect(controller?.symbol).toBe('first_controller');
  });

  it('reports the function-local statics of one declaration line once', () => {
    const text = `#include <Python.h>
static PyObject *
remez(PyObject *self, PyObject *args)
{
    static double *a, *p, *q;
    a = malloc(8);
    p = malloc(8);
    q = malloc(8);
    Py_RETURN_NONE;
}
static PyMethodDef methods[] = {{"remez", remez, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
`;
    const found = scan('src/sigtools.c', text, 'FT014');
    expect(found.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      '5:20 Shared function-local statics `a`, `p` and `q` are written in `remez` without a lock; Python reaches it through the `PyMethodDef` table `methods`',
    ]);
    expect(related(found[0])).toEqual(['6: `a` written here without a lock', '7: `p` written here without a lock', '8: `q` written here without a lock']);
  });
});

describe('FT042 reports a class once', () => {
  const methods = `use pyo3::prelude::*;

#[pymethods]
impl Stream {
    fn step(&mut self) -> u32 { self.n += 1; self.n }
    fn reset(&mut self) { self.n = 0; }
}
`;

  it('at the class when it is in the file, with every `&mut self` method related', () => {
    const found = scan('src/lib.rs', `#[pyclass]\nstruct Stream { n: u32 }\n${methods}`, 'FT042');
    expect(found.map((f) => `${f.line}:${f.column}`)).toEqual(['2:8']);
    expect(related(found[0])).toEqual(['7: `step` borrows it mutably', '8: `reset` borrows it mutably']);
  });

  it('at its first method when the class is declared elsewhere, the others related', () => {
    const found = scan('src/stream.rs', methods, 'FT042');
    expect(found.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      '5:13 Methods `step` and `reset` of `Stream` borrow it mutably: another thread using the same object meanwhile gets `RuntimeError: Already borrowed`',
    ]);
    expect(related(found[0])).toEqual(['6: `reset` borrows it mutably']);
  });
});
