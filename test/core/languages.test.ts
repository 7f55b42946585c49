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
