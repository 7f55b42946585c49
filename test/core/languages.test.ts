import { describe, expect, it } from 'vitest';
import { classifyPath } from '../../src/core/languages.js';

describe('classifyPath', () => {
  it('reads Python scripts that drive f2py as build scripts', () => {
    expect(classifyPath('tools/generate_f2pymod.py')).toEqual({ type: 'build', kind: 'build-script' });
    expect(classifyPath('build_tools/run_f2py.py')).toEqual({ type: 'build', kind: 'build-script' });
  });

  it('leaves other Python files, f2py’s own package and test modules unread', () => {
    expect(classifyPath('pkg/module.py')).toBeUndefined();
    expect(classifyPath('numpy/f2py/f2py2e.py')).toBeUndefined();
    expect(classifyPath('vendor/F2PY/use_f2py.py')).toBeUndefined();
    expect(classifyPath('examples/tests_f2py_meson.py')).toBeUndefined();
    expect(classifyPath('pkg/tests/build_f2py_module.py')).toBeUndefined();
    expect(classifyPath('pkg/f2py_wrap_test.py')).toBeUndefined();
  });
});

describe('classifyPath by extension', () => {
  it('reads every source extension in any case, in any folder, and NumPy templates through their inner extension', () => {
    expect(classifyPath('Modules/_abc.c')).toEqual({ type: 'source', language: 'c' });
    expect(classifyPath('include/Python.H')).toEqual({ type: 'source', language: 'c' });
    expect(classifyPath('src/a.b/module.CPP')).toEqual({ type: 'source', language: 'cpp' });
    expect(classifyPath('lib/x.c++')).toEqual({ type: 'source', language: 'cpp' });
    expect(classifyPath('pkg/_speedups.pyx')).toEqual({ type: 'source', language: 'cython' });
    expect(classifyPath('src/lib.rs')).toEqual({ type: 'source', language: 'rust' });
    expect(classifyPath('.c')).toEqual({ type: 'source', language: 'c' });
    expect(classifyPath('numpy/_core/src/multiarray/arraytypes.c.src')).toEqual({ type: 'source', language: 'c' });
  });

  it('still tells build files whose names resemble sources, and leaves unknown extensions unread', () => {
    expect(classifyPath('setup.py')).toEqual({ type: 'build', kind: 'setup-py' });
    expect(classifyPath('pkg.c/Makefile')).toEqual({ type: 'build', kind: 'makefile' });
    expect(classifyPath('cmake/FindPython.cmake')).toEqual({ type: 'build', kind: 'cmake' });
    expect(classifyPath('src.c/README')).toBeUndefined();
    expect(classifyPath('notes.txt')).toBeUndefined();
  });

  it('reads no extension that only names a property every object has', () => {
    expect(classifyPath('x.constructor')).toBeUndefined();
    expect(classifyPath('x.__proto__')).toBeUndefined();
    expect(classifyPath('x.hasownproperty')).toBeUndefined();
  });
});
