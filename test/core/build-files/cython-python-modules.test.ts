import { describe, expect, it } from 'vitest';
import { compiledPythonNames, findCythonPythonModules, type BuildText } from '../../../src/core/build-files/cython-python-modules.js';
import { setupPySites } from '../../../src/core/build-files/cython-sites.js';

const find = (builds: BuildText[], files: Record<string, string>): string[] =>
  [
    ...findCythonPythonModules({
      builds,
      pythonPaths: Object.keys(files).filter((p) => p.endsWith('.py')),
      pxdPaths: Object.keys(files).filter((p) => p.endsWith('.pxd')),
      textOf: (p) => files[p],
    }),
  ].sort();

describe('compiledPythonNames', () => {
  it('reads the .py sources of cythonize() and of Extension() in a setup.py that uses Cython, not its excludes', () => {
    const text = [
      'from Cython.Build import cythonize',
      'from setuptools import Extension, setup',
      'exts = [Extension("pkg.fast", ["pkg/fast.py"]), Extension("pkg.c", ["pkg/c.c"])]',
      'setup(ext_modules=cythonize(exts + ["pkg/more/*.py"], exclude=["pkg/more/test_*.py"]))',
    ].join('\n');
    expect(compiledPythonNames({ path: 'setup.py', kind: 'setup-py', text }).sort()).toEqual(['pkg/fast.py', 'pkg/more/*.py']);
  });

  it('reads nothing from a setup.py without Cython, and never names a build script', () => {
    expect(compiledPythonNames({ path: 'setup.py', kind: 'setup-py', text: 'Extension("m", ["m.py"])\nexec(open("version.py").read())\n' })).toEqual([]);
    expect(compiledPythonNames({ path: 'setup.py', kind: 'setup-py', text: 'cythonize(["setup.py", "a.py"])\n' })).toEqual(['a.py']);
  });

  it('follows the names a compile call uses to the lists assigned to them, but not to unrelated literals', () => {
    const text = [
      'import os',
      'VERSION_FILE = "pkg/_version.py"',
      'FAST = [',
      '    "pkg/a.py",  # the parser',
      '    "pkg/b.py",',
      ']',
      'FAST += ["pkg/c.py"]',
      'extra = []',
      'extra.append("pkg/d.py")',
      'exts = [Extension(p[:-3].replace("/", "."), [p]) for p in FAST + extra]',
      'def build(kw):',
      '    from Cython.Build import cythonize',
      '    kw["ext_modules"] = cythonize(exts, compiler_directives={"language_level": "3"})',
    ].join('\n');
    expect(compiledPythonNames({ path: 'build_ext.py', kind: 'setup-py', text }).sort()).toEqual(['pkg/a.py', 'pkg/b.py', 'pkg/c.py', 'pkg/d.py']);
  });

  it('reads a meson configure_file that turns a .py into a .pyx, and a cython command line, but not generator scripts', () => {
    const meson = [
      "py.extension_module('fast', configure_file(input: 'fast.py', output: 'fast.pyx', copy: true), install: true)",
      "py.extension_module('_gen', custom_target('gen', output: '_gen.c', command: [py, files('generate.py'), '@OUTPUT@']))",
    ].join('\n');
    expect(compiledPythonNames({ path: 'pkg/meson.build', kind: 'meson', text: meson })).toEqual(['fast.py']);
    expect(compiledPythonNames({ path: 'Makefile', kind: 'makefile', text: 'build:\n\tcython -3 src/fast.py\n\tpython tools/gen.py\n' })).toEqual(['src/fast.py']);
  });
});

describe('findCythonPythonModules', () => {
  it('marks a .py with a same-named .pxd that imports cython (even inside try), and nothing else', () => {
    const files = {
      'pkg/_speed.py': '"""Backend."""\ntry:\n    import cython\nexcept ImportError:\n    pass\n',
      'pkg/_speed.pxd': 'cdef class Speed:\n    pass\n',
      'pkg/twin_no_import.py': 'def f():\n    return 1\n',
      'pkg/twin_no_import.pxd': 'cdef int f()\n',
      'pkg/imports_only.py': 'import cython\n',
      'pkg/plain.py': 'import os\n',
    };
    expect(find([], files)).toEqual(['pkg/_speed.py']);
  });

  it('marks the .py files a build names, relative to its folder, with globs that stay within a folder', () => {
    const builds: BuildText[] = [{ path: 'sub/setup.py', kind: 'setup-py', text: 'from Cython.Build import cythonize\ncythonize(["pkg/fast.py", "pkg/ops/*.py"])\n' }];
    const files = { 'sub/pkg/fast.py': '', 'sub/pkg/ops/a.py': '', 'sub/pkg/ops/deep/b.py': '', 'pkg/fast.py': '', 'sub/other/pkg/fast.py': '' };
    expect(find(builds, files)).toEqual(['sub/pkg/fast.py', 'sub/pkg/ops/a.py']);
  });

  it('marks a module whose dotted name a Cython setup.py lists, when it imports cython or has a .pxd', () => {
    const builds: BuildText[] = [
      { path: 'setup.py', kind: 'setup-py', text: 'from Cython.Distutils.extension import Extension\nMODULES = ("engine._row_cy", "engine._plain")\n' },
    ];
    const files = { 'lib/pkg/engine/_row_cy.py': 'if TYPE_CHECKING:\n    pass\nimport cython\n', 'lib/pkg/engine/_plain.py': 'import os\n', 'lib/pkg/engine/other.py': 'import cython\n' };
    expect(find(builds, files)).toEqual(['lib/pkg/engine/_row_cy.py']);
  });
});

describe('setupPySites with pure-Python-mode sources', () => {
  it('scopes a cythonize() site to the .py modules it names', () => {
    const [site] = setupPySites('setup.py', 'cythonize(["pkg/fast.py", "pkg/slow.pyx"], compiler_directives={"language_level": 3})\n');
    expect(site?.sources.sort()).toEqual(['pkg/fast.py', 'pkg/slow.pyx']);
    expect(site?.setsDirectives).toBe(true);
  });
});
