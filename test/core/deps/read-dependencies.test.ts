import { describe, expect, it } from 'vitest';
import { isDependencyFile, listReferencedFiles, readDependencies } from '../../../src/core/deps/read-dependencies.js';

const pyproject = `
[project]
name = "spamext"
dependencies = [
  "numpy>=1.26",
  "pywin32>=306; sys_platform == 'win32'",
  "tomli>=2; python_version < '3.11'",
  "typing_extensions; platform_python_implementation == 'PyPy'",
  "uvloop ; sys_platform != 'win32' and implementation_name == 'cpython'",
  "local-thing @ file:///home/me/local-thing",
  "vendored @ https://example.org/vendored-1.0.tar.gz",
  "not a requirement !!",
]

[project.optional-dependencies]
fast = ["orjson>=3", "spamext[test]"]
gpu = ["cupy; extra == 'gpu'", "nvidia-ml-py; extra == 'other'"]
`;

function names(list: ReturnType<typeof readDependencies>): string[] {
  return list.dependencies.map((d) => d.requirement.name);
}

describe('readDependencies', () => {
  it('reads pyproject.toml dependencies and optional groups, judging markers on free-threaded targets', () => {
    const list = readDependencies({ files: [{ path: 'pyproject.toml', text: pyproject }] });
    expect(names(list)).toEqual(['numpy', 'pywin32', 'uvloop', 'orjson', 'cupy']);
    expect(list.dependencies.map((d) => d.group)).toEqual([null, null, null, 'fast', 'gpu']);
    // The marker keeps only the Windows columns for pywin32, and drops them for uvloop.
    const pywin32 = list.dependencies[1];
    expect(new Set(pywin32?.targets.map((t) => t.column))).toEqual(new Set(['windows-amd64', 'windows-arm64']));
    expect(list.dependencies[2]?.targets.some((t) => t.column.startsWith('windows'))).toBe(false);
    expect(list.skipped).toEqual([
      { requirement: "tomli>=2; python_version < '3.11'", reason: 'not applicable: the marker is false on every free-threaded CPython', path: 'pyproject.toml' },
      { requirement: "typing_extensions; platform_python_implementation == 'PyPy'", reason: 'not applicable: the marker is false on every free-threaded CPython', path: 'pyproject.toml' },
      { requirement: 'local-thing @ file:///home/me/local-thing', reason: 'local path, not a package on an index', path: 'pyproject.toml' },
      { requirement: 'vendored @ https://example.org/vendored-1.0.tar.gz', reason: 'direct URL reference, not a release on an index', path: 'pyproject.toml' },
      { requirement: 'not a requirement !!', reason: 'does not parse: `a requirement !!` is not a version clause', path: 'pyproject.toml' },
      { requirement: 'spamext[test]', reason: 'refers to the project itself', path: 'pyproject.toml' },
      { requirement: "nvidia-ml-py; extra == 'other'", reason: 'not applicable: the marker is false on every free-threaded CPython', path: 'pyproject.toml' },
    ]);
    expect(list.errors).toEqual([]);
  });

  it('reads requirements files: comments, continuations, hashes, includes, editables, URLs and paths', () => {
    const files = [
      {
        path: 'requirements.txt',
        text: [
          '# runtime',
          '--index-url https://pypi.org/simple',
          '-r requirements/base.txt',
          'requests==2.32.3 \\',
          '    --hash=sha256:aaaa \\',
          '    --hash=sha256:bbbb',
          'msgpack>=1.1  # fast serialisation',
          '-e ./vendor/pkg',
          'git+https://github.com/example/pkg.git#egg=pkg',
          './wheels/thing-1.0-py3-none-any.whl',
          '-c constraints.txt',
          '-r missing.txt',
          'pyobjc; sys_platform == "darwin"',
          '',
        ].join('\n'),
      },
      { path: 'requirements/base.txt', text: 'psutil>=7\n-r ../requirements.txt\n' },
      { path: 'requirements-dev.txt', text: '-r requirements.txt\npytest\n' },
    ];
    const list = readDependencies({ files });
    expect(list.dependencies.map((d) => [d.requirement.name, d.group, d.path])).toEqual([
      ['psutil', null, 'requirements/base.txt'],
      ['requests', null, 'requirements.txt'],
      ['msgpack', null, 'requirements.txt'],
      ['pyobjc', null, 'requirements.txt'],
      // requirements/base.txt is a runtime file itself, read again as an entry point; the
      // readiness check keeps one entry per project.
      ['psutil', null, 'requirements/base.txt'],
      ['requests', null, 'requirements.txt'],
      ['msgpack', null, 'requirements.txt'],
      ['pyobjc', null, 'requirements.txt'],
      ['psutil', 'dev', 'requirements/base.txt'],
      ['requests', 'dev', 'requirements.txt'],
      ['msgpack', 'dev', 'requirements.txt'],
      ['pyobjc', 'dev', 'requirements.txt'],
      ['pytest', 'dev', 'requirements-dev.txt'],
    ]);
    expect(list.dependencies[1]?.requirement.specifier).toBe('==2.32.3');
    // Each skipped line once, however often its file is read.
    expect(list.skipped.map((s) => [s.requirement, s.reason])).toEqual([
      ['-r ../requirements.txt', 'include cycle'],
      ['-e ./vendor/pkg', 'editable requirement, installed from source'],
      ['git+https://github.com/example/pkg.git#egg=pkg', 'URL requirement, not a release on an index'],
      ['./wheels/thing-1.0-py3-none-any.whl', 'local path, not a package on an index'],
      ['-c constraints.txt', 'constraints file: constraints are not dependencies'],
      ['-r missing.txt', 'included file `missing.txt` was not given'],
      // The same cycle, entered from requirements/base.txt.
      ['-r requirements/base.txt', 'include cycle'],
    ]);
  });

  it('reads setup.cfg install_requires and extras_require', () => {
    const text = [
      '[metadata]',
      'name = spamext',
      '',
      '[options]',
      'packages = find:',
      'install_requires =',
      '    numpy>=1.26',
      '    # a comment line',
      '    cffi>=1.17 ; platform_python_implementation != "PyPy"  # inline comment',
      '    enum34; python_version < "3.4"',
      '',
      '[options.extras_require]',
      'yaml = PyYAML>=6',
      'test =',
      '    pytest',
      '    spamext[yaml]',
    ].join('\n');
    const list = readDependencies({ files: [{ path: 'setup.cfg', text }] });
    expect(list.dependencies.map((d) => [d.requirement.name, d.group, d.requirement.marker])).toEqual([
      ['numpy', null, null],
      ['cffi', null, 'platform_python_implementation != "PyPy"'],
      ['PyYAML', 'yaml', null],
      ['pytest', 'test', null],
    ]);
    expect(list.skipped.map((s) => s.requirement)).toEqual(['enum34; python_version < "3.4"', 'spamext[yaml]']);
  });

  it('reads requirements files named by [tool.setuptools.dynamic]', () => {
    const text = '[project]\nname = "x"\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = { file = ["deps/runtime.in"] }\n';
    const files = [
      { path: 'pyproject.toml', text },
      { path: 'deps/runtime.in', text: 'numpy\n' },
    ];
    expect(listReferencedFiles(files[0] ?? { path: '', text: '' })).toEqual(['deps/runtime.in']);
    expect(readDependencies({ files }).dependencies.map((d) => d.requirement.name)).toEqual(['numpy']);
  });

  it('notes a marker it cannot decide and keeps the dependency', () => {
    const list = readDependencies({ files: [{ path: 'requirements.txt', text: 'linux-only-thing; platform_release >= "6"\n' }] });
    expect(list.dependencies[0]?.markerUndecided).toBe(true);
    expect(list.dependencies[0]?.targets).toHaveLength(24);
  });

  it('reports a pyproject.toml that is not TOML or has the wrong types', () => {
    expect(readDependencies({ files: [{ path: 'pyproject.toml', text: '[project\n' }] }).errors).toMatchObject([
      { path: 'pyproject.toml', message: expect.stringMatching(/^not valid TOML: /) as unknown },
    ]);
    expect(readDependencies({ files: [{ path: 'pyproject.toml', text: '[project]\ndependencies = "numpy"\n' }] }).errors).toEqual([
      { path: 'pyproject.toml', message: '`project.dependencies` must be a list of strings' },
    ]);
  });
});

describe('listReferencedFiles', () => {
  it('resolves -r targets from the including file and leaves out paths outside the project', () => {
    const text = '-r base.txt\n--requirement=../top.txt\n-r ../../outside.txt\n-r/etc/passwd\nnumpy\n';
    expect(listReferencedFiles({ path: 'requirements/dev.txt', text })).toEqual(['requirements/base.txt', 'top.txt']);
  });
});

describe('isDependencyFile', () => {
  it('knows the entry points', () => {
    expect(['pyproject.toml', 'setup.cfg', 'requirements.txt', 'requirements-dev.txt', 'requirements/test.txt', 'docs/requirements.txt', 'setup.py'].map(isDependencyFile)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
