import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCSharedState, mayWriteObjectFields } from '../../../../src/core/analysis/shared-state/analyze-c.js';

const method = 'typedef struct { PyObject_HEAD long n; } Obj;\nstatic PyObject *obj_bump(Obj *self, PyObject *arg) { self->n += 1; Py_RETURN_NONE; }\n';

/** The field writes the analysis reports, by function. */
const fieldFunctions = (text: string) => analyzeCSharedState(text).fields.map((f) => f.function);

describe('mayWriteObjectFields', () => {
  // Each way the model makes a function a method entry, and each with a report the gate must let through.
  const entries: Array<[string, string]> = [
    ['a method table', 'static PyMethodDef obj_methods[] = {\n  {"bump", (PyCFunction)obj_bump, METH_O, NULL},\n  {NULL}\n};\n'],
    ['a method table whose header holds a comment', 'static PyMethodDef /* { not here */ obj_methods[] = /* ; */ {\n  {"bump", (PyCFunction)obj_bump, METH_O, NULL},\n};\n'],
    ['a designated slot', 'static HeapType Obj_Type = {\n  .tp_iternext = (iternextfunc)obj_bump,\n};\n'],
    ['a designated slot with a comment before the `=`', 'static HeapType Obj_Type = {\n  .tp_iternext /* slot */ = obj_bump,\n};\n'],
    ['a slot of a spec', 'static Slots obj_slots[] = {\n  {Py_tp_iternext, obj_bump},\n  {0, NULL}\n};\n'],
    ['a positional slot', 'static PyTypeObject Obj_Type = {\n  PyVarObject_HEAD_INIT(NULL, 0)\n  "m.Obj", sizeof(Obj), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (iternextfunc)obj_bump,\n};\n'],
  ];
  it.each(entries)('lets a method named in %s through, with its report', (_, table) => {
    const text = `${method}${table}`;
    expect(mayWriteObjectFields(text)).toBe(true);
    expect(fieldFunctions(text)).toEqual(['obj_bump']);
  });

  it('skips a file with no method table, whose field writes are no method’s', () => {
    const text = `${method}static PyObject *obj_new(void) { Obj *o = PyObject_New(Obj, &ObjType); o->n = 0; return (PyObject *)o; }\n`;
    expect(mayWriteObjectFields(text)).toBe(false);
    expect(fieldFunctions(text)).toEqual([]);
    // The rest of the analysis still reads the model: a global written in a function other files
    // can call is reported.
    const withGlobal = `${text}static long calls;\nPyObject *obj_count(PyObject *m) { calls++; Py_RETURN_NONE; }\n`;
    expect(analyzeCSharedState(withGlobal).writes.map((w) => w.function)).toEqual(['obj_count']);
  });

  it('skips a table named only in a comment or a string, and a file without `->`', () => {
    expect(mayWriteObjectFields(`${method}/* static PyMethodDef m[] = { … }; */\nconst char *s = ".tp_iternext = f";\n`)).toBe(false);
    expect(mayWriteObjectFields('static PyMethodDef m[] = {\n  {"f", f, METH_O, NULL},\n};\nstatic PyObject *f(Obj *self) { self.n = 1; }\n')).toBe(false);
  });

  it('lets through a `.def` label that quotes a method table (the label is copied into the entry)', () => {
    expect(mayWriteObjectFields('m.def("`PyMethodDef`", &f); void g(S *s) { s->x = 1; }')).toBe(true);
    expect(mayWriteObjectFields('m.def("slot `tp_call`", &f); void g(S *s) { s->x = 1; }')).toBe(true);
  });

  it('lets every C and C++ fixture of FT015 through', () => {
    const dir = join('test', 'fixtures', 'rules', 'ft015-object-field-unlocked');
    const sources = readdirSync(dir).filter((name) => /\.(c|cpp)$/.test(name));
    expect(sources.length).toBeGreaterThan(2);
    for (const name of sources) {
      const text = readFileSync(join(dir, name), 'utf8');
      if (fieldFunctions(text).length > 0) expect(mayWriteObjectFields(text), name).toBe(true);
    }
  });
});
