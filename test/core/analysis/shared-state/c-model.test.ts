import { describe, expect, it } from 'vitest';
import { cFileModel, forEachName, isWordOrTildeBefore } from '../../../../src/core/analysis/shared-state/c-model.js';

function names(text: string, skipAfterColon: boolean): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  forEachName(text, 0, text.length, skipAfterColon, (a, b) => out.push([a, text.slice(a, b)]));
  return out;
}

/** The reference: the regexes the scanner replaces, run over the same text. */
function reference(text: string, skipAfterColon: boolean): Array<[number, string]> {
  const re = skipAfterColon ? /(?<![\w.>]|[^:]:)([A-Za-z_]\w*)/g : /(?<![\w.>])([A-Za-z_]\w*)/g;
  return [...text.matchAll(re)].map((m) => [m.index, m[1] ?? '']);
}

describe('forEachName', () => {
  const cases = [
    '{ n = o->n + ::g; s.x = 0x1f + 12u; }',
    ':a b:c ::d x ? y:z; int f : 3;',
    '_a1 1_a a__ $b é c',
    '',
  ];
  it.each(cases)('finds the names the regexes find: %j', (text) => {
    expect(names(text, false)).toEqual(reference(text, false));
    expect(names(text, true)).toEqual(reference(text, true));
  });
});

describe('positional PyTypeObject initialisers', () => {
  const fns = 'static int T_init(PyObject *s, PyObject *a, PyObject *k) { return 0; }\nstatic void T_free(PyObject *s) { }\nstatic PyObject *T_next(PyObject *s) { return s; }\n';
  const via = (table: string, name: string) => cFileModel(`${fns}${table}`).reached.get(name)?.via;

  it('names the slot each function fills by its place after the head macro', () => {
    const table = 'static PyTypeObject T_Type = {\n  PyVarObject_HEAD_INIT(NULL, 0)\n  "m.T", sizeof(T), 0, (destructor)T_free, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  Py_TPFLAGS_DEFAULT | (1 << 3), "doc", 0, 0, 0, 0, 0, (iternextfunc)T_next, 0, 0, 0, 0, 0, 0, 0, 0, (initproc)T_init,\n};\n';
    expect(via(table, 'T_free')).toBe('slot `tp_dealloc` of `T_Type`');
    expect(via(table, 'T_next')).toBe('slot `tp_iternext` of `T_Type`');
    expect(via(table, 'T_init')).toBe('slot `tp_init` of `T_Type`');
  });

  it('skips the ob_size after a Python 2 head', () => {
    const table = 'static PyTypeObject T_Type = {\n  PyObject_HEAD_INIT(NULL) 0, "m.T", sizeof(T), 0, T_free,\n};\n';
    expect(via(table, 'T_free')).toBe('slot `tp_dealloc` of `T_Type`');
  });

  it('falls back to the table when positions cannot be trusted', () => {
    const directive = 'static PyTypeObject T_Type = {\n  PyVarObject_HEAD_INIT(NULL, 0) "m.T", sizeof(T), 0,\n#if X\n  0,\n#endif\n  T_free,\n};\n';
    expect(via(directive, 'T_free')).toBe('the `PyTypeObject` table `T_Type`');
    const noName = 'static PyTypeObject T_Type = {\n  PyVarObject_HEAD_INIT(NULL, 0) TYPE_NAME, sizeof(T), 0, T_free,\n};\n';
    expect(via(noName, 'T_free')).toBe('the `PyTypeObject` table `T_Type`');
  });
});

describe('function records', () => {
  it('read parameters and locals, without the function-local statics, on first use', () => {
    const text = 'static int f(int a, char *b) {\n  static int hits;\n  int n = a;\n  PyObject *o = NULL;\n  hits++;\n  return n;\n}\n';
    const fn = cFileModel(text).byName.get('f');
    expect(fn?.params).toEqual(['a', 'b']);
    expect(fn?.isStatic).toBe(true);
    expect([...(fn?.staticLocals.keys() ?? [])]).toEqual(['hits']);
    expect([...(fn?.locals ?? [])].sort()).toEqual(['a', 'b', 'n', 'o']);
    // The set is read once and kept.
    expect(fn?.locals).toBe(fn?.locals);
  });
});

describe('callees', () => {
  const text = [
    'static int helper(int x) { return x; }',
    'static int other(void) { return 1; }',
    'static int f(PyObject *o) { int n = other(); n += helper(n); n += o->helper; return helper(n) + f(o); }',
    'static int g(void) { return helper(1); }',
    '',
  ].join('\n');

  it('are the file\'s functions a body uses, in order of first use, without its own name or members', () => {
    const model = cFileModel(text);
    expect([...(model.byName.get('f')?.callees ?? [])]).toEqual(['other', 'helper']);
    expect([...(model.byName.get('helper')?.callees ?? [])]).toEqual([]);
    // Read once and kept.
    expect(model.byName.get('f')?.callees).toBe(model.byName.get('f')?.callees);
  });

  it('are read against their own file when another file was modelled in between', () => {
    const first = cFileModel(text);
    const second = cFileModel('static int helper2(void) { return 2; }\nstatic int h(void) { return helper2(); }\n');
    expect([...(second.byName.get('h')?.callees ?? [])]).toEqual(['helper2']);
    expect([...(first.byName.get('g')?.callees ?? [])]).toEqual(['helper']);
  });
});

describe('isWordOrTildeBefore', () => {
  const reference = (text: string, at: number): boolean => /[\w~]$/.test(text.slice(0, at).trimEnd());
  const cases: Array<[string, number]> = [
    ['foo (int a)', 4],
    ['X::~X (void)', 5],
    ['PyObject * (f)', 11],
    ['int f\u00a0\u3000\ufeff\n\t(a)', 11],
    ['   (a)', 3],
    ['(a)', 0],
    ['f\u200b(a)', 2],
    ['é (a)', 2],
  ];
  it.each(cases)('agrees with the regex over the trimmed prefix: %j at %i', (text, at) => {
    expect(isWordOrTildeBefore(text, at)).toBe(reference(text, at));
  });
});

describe('function headers', () => {
  it('name the function by the last parenthesised group after a word, and skip headers with a top-level `=`', () => {
    const text = [
      'Py_LOCAL_INLINE(int) foo(int a, char *b) { return a; }',
      // `(bar)` follows `int`, a keyword: no function; `(int c)` follows `)`, not a word.
      'static int (bar)(int c) { return c; }',
      'X::~X (void) { }',
      'static int x = (1), y(int z) { return z; }',
      'static int k(int (*cb)(int), int n[4]) { return n[0]; }',
      '',
    ].join('\n');
    const model = cFileModel(text);
    expect([...model.byName.keys()]).toEqual(['foo', 'X', 'k']);
    expect(model.byName.get('foo')?.params).toEqual(['a', 'b']);
    expect(model.byName.get('k')?.params).toEqual(['n']);
  });
});
