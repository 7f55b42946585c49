import { describe, expect, it } from 'vitest';
import { analyzeCythonSharedState } from '../../../../src/core/analysis/shared-state/analyze-cython.js';
import { cythonModuleVariables, type CythonLine } from '../../../../src/core/analysis/shared-state/cython-declarations.js';

/** The lines of `text` as the Cython analysis reads them (non-blank, with indent and offsets). */
function linesOf(text: string): CythonLine[] {
  const lines: CythonLine[] = [];
  let from = 0;
  for (const raw of text.split('\n')) {
    const code = raw.trimEnd();
    if (code.trim() !== '') lines.push({ start: from, end: from + raw.length, indent: code.length - code.trimStart().length, code });
    from += raw.length + 1;
  }
  return lines;
}

/** Each declared name with the text at its offset, to show the offset points at the name. */
function declared(text: string): Array<[string, string]> {
  return [...cythonModuleVariables(linesOf(text)).values()].map((v) => [v.name, text.slice(v.at, v.at + v.name.length)]);
}

describe('cythonModuleVariables', () => {
  it('reads every name of a declaration list, each at its own offset', () => {
    expect(declared('cdef object _a, _b,  _c\n')).toEqual([['_a', '_a'], ['_b', '_b'], ['_c', '_c']]);
    expect(declared('cdef int x = 0, *y, z[4]\n')).toEqual([['x', 'x'], ['y', 'y'], ['z', 'z']]);
    expect(declared('cdef unsigned long long a, b = f[1, 2]\n')).toEqual([['a', 'a'], ['b', 'b']]);
  });
  it('reads the lines of a module-level cdef block', () => {
    expect(declared('cdef:\n    object _seen\n    int _n = 0, _m\nx = 1\n')).toEqual([['_seen', '_seen'], ['_n', '_n'], ['_m', '_m']]);
  });
  it('keeps single declarations and module containers', () => {
    expect(declared('cdef dict registry = {}\n_cache = {}\ncdef void *table[(N + 1) * 2]\n')).toEqual([['registry', 'registry'], ['_cache', '_cache'], ['table', 'table']]);
  });
  it('keeps a name bound to a call, whose line ends like a signature', () => {
    expect(declared("cdef array.array swapper = array.array('Q', [0])\ncdef _BaseErrorLog _log = _RotatingErrorLog(_MAX)\n")).toEqual([['swapper', 'swapper'], ['_log', '_log']]);
    // A signature with a default argument is still a function.
    expect(declared('cdef int f(int a=0)\ncdef object g(x, y=None):\n')).toEqual([]);
  });
  it('declares nothing for functions, classes, structs, imports or calls', () => {
    expect(declared('cdef int f(int a, int b)\ncdef class C:\n    pass\ncdef struct S:\n    int a, b\nfrom x cimport a, b\ncdef extern from *:\n    int g(int a, int b)\n')).toEqual([]);
    // A call in an initialiser leaves the line to the one-name reading: its first name only.
    expect(declared('cdef object a = f(1, 2), b\n')).toEqual([['a', 'a']]);
  });
});

describe('lazy initialisation in Cython', () => {
  const text = [
    'cdef object _mod, _A, _B',
    '',
    'cdef void _load():',
    '    global _mod, _A, _B',
    '    if _mod is None:',
    '        import m',
    '        _mod = m',
    '        _A = m.A',
    '        _B = m.B',
    '',
    'def use(x):',
    '    _load()',
    '    return isinstance(x, _A)',
    '',
  ].join('\n');
  it('reports the writes under one check as one race, at the checked variable', () => {
    const { writes } = analyzeCythonSharedState(text);
    expect(writes).toHaveLength(1);
    const [w] = writes;
    expect(w?.kind).toBe('lazyInit');
    expect(w?.variable.name).toBe('_mod');
    expect(w?.companions).toEqual(['_A', '_B']);
    expect(w?.reason.entry).toBe('use');
    const relatedLines = (w?.related ?? []).map((r) => text.slice(0, r.at).split('\n').length);
    // Declaration, check, the two companions, and the call site in `use`.
    expect(relatedLines).toEqual([1, 5, 8, 9, 12]);
  });
  it('keeps separate reports when the checked variable is not filled under the check', () => {
    const other = text.replace('        _mod = m\n', '');
    const names = analyzeCythonSharedState(other).writes.map((w) => w.variable.name);
    expect(names).toEqual(['_A', '_B']);
  });
});
