import { describe, expect, it } from 'vitest';
import { mayStartWriteOrCall, summarizeCSharedState } from '../../../../src/core/analysis/shared-state/summarize-c.js';

describe('mayStartWriteOrCall', () => {
  // The pattern the check stands before, tried at the same offset.
  const pattern = /\s*(?:[-+*/%&|^]?=(?!=)|\+\+|--|\.|->|\[|\()/y;
  const matches = (text: string, at: number): boolean => {
    pattern.lastIndex = at;
    return pattern.test(text);
  };
  const cases = ['x = 1', 'x == 1', 'x += 1', 'x->a', 'x-1', 'x .a', 'x\n\t[0]', 'x(1)', 'x, y', 'x)', 'x;', 'x < y', 'x <<= 1', 'x\u00a0= 1', 'x', 'x \u3000 (', 'x >= 1', 'x ? a : b'];
  it.each(cases)('never says no where the pattern matches: %j', (text) => {
    const at = 1;
    if (matches(text, at)) expect(mayStartWriteOrCall(text, at)).toBe(true);
    // And says no for the ASCII characters no branch starts with.
    if (/^x\s*[,);<>?]/.test(text)) expect(mayStartWriteOrCall(text, at)).toBe(false);
  });
});

describe('summarizeCSharedState', () => {
  it('leaves out the function’s own locals, called or written, and lists a call once however many functions make it', () => {
    const text = [
      'static PyObject *a(PyObject *self, PyObject *arg) {',
      '  helper_t fp = pick(arg);',
      '  int n = fp(1);',
      '  n = other(n);',
      '  shared_count = n;',
      '  return NULL;',
      '}',
      'static PyObject *b(PyObject *self, PyObject *arg) {',
      '  int fp = 0;',
      '  fp = other(fp);',
      '  return fp ? NULL : NULL;',
      '}',
      'static PyObject *c(PyObject *self, PyObject *arg) {',
      '  return fp(arg);',
      '}',
      'static PyMethodDef methods[] = { {"a", a, METH_O, NULL}, {"b", b, METH_O, NULL}, {"c", c, METH_O, NULL}, {NULL} };',
      '',
    ].join('\n');
    const summary = summarizeCSharedState(text, 'm.c');
    // `fp` is a local in `a` and `b`, a call of another file's function only in `c`; the table's
    // type and name are names the table holds that the file does not define.
    expect(summary.calls).toEqual(['pick', 'other', 'fp', 'PyMethodDef', 'methods']);
    expect(summary.foreignWrites.map((w) => [w.name, w.function, w.line])).toEqual([['shared_count', 'a', 5]]);
  });

  it('counts a name after `++` or `--` and blanks as written, whatever follows it', () => {
    const text = ['static PyObject *get(PyObject *self, PyObject *arg) {', '  ++ hits, -- \n misses;', '  return NULL;', '}', 'static PyMethodDef methods[] = { {"get", get, METH_O, NULL}, {NULL} };', ''].join('\n');
    expect(summarizeCSharedState(text, 'm.c').foreignWrites.map((w) => [w.name, w.line])).toEqual([
      ['hits', 2],
      ['misses', 3],
    ]);
  });

  it('lists writes to names the file does not declare and calls of functions it does not define', () => {
    const text = [
      '#include "cache.c"',
      'static PyObject *get(PyObject *self, PyObject *arg) {',
      '  global.hits++;',
      '  counter += 1;',
      '  if (counter < limit) helper_elsewhere(counter);',
      '  return lookup(arg, counter);',
      '}',
      'static PyMethodDef methods[] = { {"get", get, METH_O, NULL}, {NULL} };',
      '',
    ].join('\n');
    const summary = summarizeCSharedState(text, 'm.c');
    expect(summary.includes).toEqual(['cache.c']);
    expect(summary.foreignWrites.map((w) => [w.name, w.function, w.line, w.reached])).toEqual([
      ['global', 'get', 3, true],
      ['counter', 'get', 4, true],
    ]);
    expect(summary.calls).toEqual(expect.arrayContaining(['helper_elsewhere', 'lookup']));
  });
});
