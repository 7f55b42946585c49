import { describe, expect, it } from 'vitest';
import { cheapOffset } from '../../../../src/core/analysis/shared-state/index.js';

describe('cheapOffset', () => {
  it('points into the shortest non-empty top-level segment of a C or C++ file', () => {
    const text = '/* licence */\nstatic PyObject *cache;\nstatic int n;\nint f(void) { return n++; }\n';
    expect(cheapOffset(text, 'c')).toBe(text.indexOf('static int n'));
    // The `}` closing an `extern "C"` block leaves an empty segment: never chosen.
    const cpp = 'extern "C" {\nint counter;\n}\nint f() { return counter++; }\n';
    expect(cheapOffset(cpp, 'cpp')).toBe(cpp.indexOf('int counter'));
  });

  it('is 0 for a file without segments and for languages parsed whole', () => {
    expect(cheapOffset('/* only a comment */\n', 'c')).toBe(0);
    expect(cheapOffset('cdef int n = 0\n', 'cython')).toBe(0);
  });
});
