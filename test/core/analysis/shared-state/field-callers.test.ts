import { describe, expect, it } from 'vitest';
import { analyzeCSharedState } from '../../../../src/core/analysis/shared-state/analyze-c.js';

// A helper that fills an object's fields lazily, called from two getters; one caller locks.
const text = `#include <Python.h>
typedef struct { PyObject_HEAD PyMutex mutex; char *data; int stride; } Image;

static int decode(Image *self) {
    self->data = malloc(16);
    self->stride = 4;
    return 1;
}

static PyObject *get_stride(Image *self, void *closure) {
    if (!self->data && !decode(self)) return NULL;
    return PyLong_FromLong(self->stride);
}

static PyObject *get_data(Image *self, void *closure) {
    if (!self->data && !decode(self)) return NULL;
    return PyBytes_FromString(self->data);
}

static PyObject *get_locked(Image *self, void *closure) {
    PyMutex_Lock(&self->mutex);
    int ok = self->data != NULL || decode(self);
    PyMutex_Unlock(&self->mutex);
    return PyBool_FromLong(ok);
}

static PyGetSetDef image_getset[] = {
    {"stride", (getter)get_stride, NULL, NULL, NULL},
    {"data", (getter)get_data, NULL, NULL, NULL},
    {"locked", (getter)get_locked, NULL, NULL, NULL},
    {NULL}
};
`;

function lineOf(at: number): number {
  return text.slice(0, at).split('\n').length;
}

describe('callers of a helper that writes fields', () => {
  it('are related places of the one report at the helper, unlocked calls only', () => {
    const fields = analyzeCSharedState(text).fields;
    expect(fields.map((f) => f.function)).toEqual(['decode']);
    const [report] = fields;
    expect(lineOf(report?.at ?? 0)).toBe(5);
    const callers = (report?.related ?? []).filter((r) => r.message.includes('handed the object'));
    expect(callers.length).toBe(2);
    expect(callers.map((r) => [lineOf(r.at), r.message])).toEqual([
      [11, '`decode` handed the object here by `get_stride` with no lock held'],
      [16, '`decode` handed the object here by `get_data` with no lock held'],
    ]);
  });
});

describe('a caller that takes no lock', () => {
  it('is listed like the others', () => {
    const unlocked = text.replace('    PyMutex_Lock(&self->mutex);\n', '').replace('    PyMutex_Unlock(&self->mutex);\n', '');
    const [report] = analyzeCSharedState(unlocked).fields;
    const callers = (report?.related ?? []).filter((r) => r.message.includes('handed the object'));
    expect(callers.map((r) => r.message.split('`')[3])).toEqual(['get_stride', 'get_data', 'get_locked']);
  });
});
