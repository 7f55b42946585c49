import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { collectCythonIncludes, collectProjectFacts, emptyProjectFacts } from '../../../src/core/engine/project-facts.js';
import { findExtensionModules } from '../../../src/core/review/find-extension-modules.js';

const ft010 = (path: string): Finding =>
  ({ ruleId: 'FT010', ruleName: 'cython', path, line: 1, column: 1, endLine: 1, endColumn: 1, message: 'm', severity: 'warning', confidence: 'high', fingerprint: path }) as Finding;

describe('findExtensionModules', () => {
  it('finds an init function whose header is chosen by the preprocessor', () => {
    const text = [
      '#if PY_MAJOR_VERSION >= 3',
      'PyMODINIT_FUNC PyInit__mod(void)',
      '#else',
      'void init_mod(void)',
      '#endif',
      '{',
      '    PyObject *m = PyModule_Create(&moduledef);',
      '    return m;',
      '}',
    ].join('\n');
    const modules = findExtensionModules({ files: [{ path: 'src/mod.c', text }], findings: [] });
    expect(modules.map((m) => [m.name, m.kind, m.line, m.declared])).toEqual([['_mod', 'c-single-phase', 2, 'unknown']]);
  });

  it('finds a Rust init function with a return type', () => {
    const text = '#[no_mangle]\npub unsafe extern "C" fn PyInit_fast() -> *mut PyObject {\n    PyModuleDef_Init(&raw mut DEF)\n}\n';
    const modules = findExtensionModules({ files: [{ path: 'src/lib.rs', text }], findings: [] });
    expect(modules.map((m) => [m.name, m.kind])).toEqual([['fast', 'c-multi-phase']]);
  });

  it('finds a module whose init header is one macro call, and skips macros that create no module', () => {
    const text = 'MODINIT_DEFINE(joystick)\n{\n    PyObject *m = PyModule_Create(&def);\n    return m;\n}\nMODINIT_HELPER(other)\n{\n    return NULL;\n}\n';
    const modules = findExtensionModules({ files: [{ path: 'src_c/joystick.c', text }], findings: [] });
    expect(modules.map((m) => [m.name, m.kind, m.line])).toEqual([['joystick', 'c-single-phase', 1]]);
  });

  it('names a module whose init macro takes no name after its file', () => {
    const text = 'PyMODINIT_FUNC\nMODINIT_NAME(void)\n{\n    PyObject *mod = PyModule_Create(&moduledef);\n    return mod;\n}\n';
    const modules = findExtensionModules({ files: [{ path: 'lmdb/cpython.c', text }], findings: [] });
    expect(modules.map((m) => [m.name, m.line])).toEqual([['cpython', 2]]);
  });

  it('reads a declaration without a body as no module', () => {
    const text = 'PyMODINIT_FUNC PyInit_x(void);\n';
    expect(findExtensionModules({ files: [{ path: 'x.h', text }], findings: [] })).toEqual([]);
  });

  it('shows Cython modules declared by the build step that compiles them', () => {
    const project = emptyProjectFacts();
    collectProjectFacts(project, 'meson.build', 'meson', "py.extension_module('fast', 'fast.pyx', cython_args: ['-X', 'freethreading_compatible=True'])\n");
    const modules = findExtensionModules({ files: [{ path: 'fast.pyx', text: 'def f(): pass\n' }], findings: [], project });
    expect(modules.map((m) => [m.name, m.declared])).toEqual([['fast', 'yes']]);
  });

  it('marks a Cython module undeclared when FT010 reported the build step that compiles it', () => {
    const project = emptyProjectFacts();
    const setup = 'from Cython.Build import cythonize\nsetup(ext_modules=cythonize(["pkg/a.pyx"], compiler_directives={"language_level": 3}))\n';
    collectProjectFacts(project, 'setup.py', 'setup-py', setup);
    const modules = findExtensionModules({ files: [{ path: 'pkg/a.pyx', text: 'x = 1\n' }], findings: [ft010('setup.py')], project });
    expect(modules.map((m) => [m.name, m.declared, m.ruleId])).toEqual([['a', 'no', 'FT010']]);
  });

  it('shows Cython modules declared in the global directive defaults of setup.py', () => {
    const project = emptyProjectFacts();
    const setup = "from Cython.Build import cythonize\nfrom Cython.Compiler.Options import get_directive_defaults\nd = get_directive_defaults()\nd['freethreading_compatible'] = True\nsetup(ext_modules=cythonize(exts))\n";
    collectProjectFacts(project, 'setup.py', 'setup-py', setup);
    const modules = findExtensionModules({ files: [{ path: 'pkg/a.pyx', text: 'x = 1\n' }], findings: [], project });
    expect(modules.map((m) => [m.name, m.declared])).toEqual([['a', 'yes']]);
  });

  it('marks a Cython module below undeclared when FT010 reported the Meson variable of directives it uses', () => {
    const project = emptyProjectFacts();
    collectProjectFacts(project, 'pkg/meson.build', 'meson', "cython_args = ['-X', 'boundscheck=False']\nsubdir('sub')\n");
    collectProjectFacts(project, 'pkg/sub/meson.build', 'meson', "py.extension_module('b', 'b.pyx', cython_args: cython_args)\n");
    const modules = findExtensionModules({ files: [{ path: 'pkg/sub/b.pyx', text: 'x = 1\n' }], findings: [ft010('pkg/meson.build')], project });
    expect(modules.map((m) => [m.name, m.declared, m.ruleId])).toEqual([['b', 'no', 'FT010']]);
  });

  it('leaves out a Cython file included into another module', () => {
    const project = emptyProjectFacts();
    collectCythonIncludes(project, 'include "_part.pyx"\n', 'pkg/main.pyx');
    const files = [
      { path: 'pkg/main.pyx', text: 'include "_part.pyx"\n' },
      { path: 'pkg/_part.pyx', text: 'y = 2\n' },
    ];
    expect(findExtensionModules({ files, findings: [], project }).map((m) => m.name)).toEqual(['main']);
  });
});
