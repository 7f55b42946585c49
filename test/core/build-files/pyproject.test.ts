import { describe, expect, it } from 'vitest';
import { parseToml } from '../../../src/core/build-files/parse-toml.js';
import { readPyproject } from '../../../src/core/build-files/pyproject.js';
import { readBuildFile } from '../../../src/core/build-files/read-build-file.js';
import { dependencyFile, listReferencedFiles, readDependencies } from '../../../src/core/deps/read-dependencies.js';

const text = `
[build-system]
requires = ["setuptools>=70", "Cython>=3.1", 42]

[project]
name = "spamext"
requires-python = ">=3.10"
classifiers = ["Programming Language :: Python :: Free Threading :: 2 - Beta", 3]
dynamic = ["optional-dependencies"]
dependencies = ["numpy>=2"]

[project.optional-dependencies]
test = ["pytest"]
bad = "pytest"

[tool.setuptools.dynamic]
optional-dependencies.docs = { file = ["docs/requirements.txt"] }

[tool.cibuildwheel]
build = "cp313t-* cp314t-*"
enable = "cpython-freethreading"

[tool.ftbot]
select = ["FT0"]
`;

describe('parseToml', () => {
  it('returns the document, or the first line of the problem with its position', () => {
    expect(parseToml('a = 1\n')).toEqual({ ok: true, doc: { a: 1 } });
    const bad = parseToml('[project\nname = 1\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problem.message).not.toContain('\n');
      expect(bad.problem.line).toBe(1);
    }
  });
});

describe('readPyproject', () => {
  it('reads every fact a consumer needs into one typed value', () => {
    expect(readPyproject(text)).toEqual({
      name: 'spamext',
      requiresPython: '>=3.10',
      classifiers: ['Programming Language :: Python :: Free Threading :: 2 - Beta'],
      dependencies: { ok: true, list: ['numpy>=2'] },
      optionalDependencies: [
        { group: 'test', ok: true, list: ['pytest'] },
        { group: 'bad', ok: false },
      ],
      dynamic: ['optional-dependencies'],
      setuptoolsDynamic: { dependencies: [], optional: [{ group: 'docs', files: ['docs/requirements.txt'] }] },
      buildRequires: ['setuptools>=70', 'Cython>=3.1'],
      buildScripts: [],
      cibuildwheel: { build: ['cp313t-*', 'cp314t-*'], enable: ['cpython-freethreading'], freeThreadedSupport: false, skip: [], archs: [], overrides: [] },
      ftbot: { select: ['FT0'] },
    });
  });

  it('names the build scripts of Poetry, pdm-pep517 and Hatch custom hooks', () => {
    expect(readPyproject('[tool.poetry]\nname = "x"\nbuild = "build.py"\n').buildScripts).toEqual(['build.py']);
    expect(readPyproject('[tool.poetry.build]\ngenerate-setup-file = true\nscript = "./tools/build_ext.py"\n').buildScripts).toEqual(['tools/build_ext.py']);
    expect(readPyproject('[tool.pdm.build]\nrun-setuptools = true\nsetup-script = "build.py"\n').buildScripts).toEqual(['build.py']);
    expect(readPyproject('[tool.hatch.build.targets.wheel.hooks.custom]\n').buildScripts).toEqual(['hatch_build.py']);
    expect(readPyproject('[tool.hatch.build.hooks.custom]\npath = "hooks/cy.py"\n').buildScripts).toEqual(['hooks/cy.py']);
    // Not a Python script, or not a build script at all.
    expect(readPyproject('[tool.poetry.build]\nscript = 3\n[tool.poetry.scripts]\nrun = "pkg.cli:main"\n').buildScripts).toEqual([]);
  });

  it('gives the parse problem and empty facts for a file that is not TOML', () => {
    const facts = readPyproject('[project\n');
    expect(facts.error?.line).toBe(1);
    expect(facts).toMatchObject({ optionalDependencies: [], dynamic: [], buildRequires: [], buildScripts: [] });
    expect(facts.name).toBeUndefined();
  });
});

describe('consumers take the facts', () => {
  it('readBuildFile keeps the facts it is given and reads pins and cibuildwheel settings from them', () => {
    const pyproject = readPyproject(text);
    const file = readBuildFile('pyproject.toml', 'pyproject', text, pyproject);
    expect(file.pyproject).toBe(pyproject);
    expect(file.pins.map((p) => p.text)).toEqual(['Cython>=3.1']);
    expect(file.cibuildwheel).toMatchObject({ path: 'pyproject.toml', start: text.indexOf('[tool.cibuildwheel]'), enable: ['cpython-freethreading'] });
  });

  it('the dependency reader uses the facts a file carries instead of its text', () => {
    const facts = readPyproject(text);
    // The text is ignored once facts are attached: the same file read once serves every step.
    const file = dependencyFile('pyproject.toml', '', facts);
    expect(listReferencedFiles(file)).toEqual(['docs/requirements.txt']);
    const list = readDependencies({ files: [file, { path: 'docs/requirements.txt', text: 'sphinx\n' }] });
    expect(list.dependencies.map((d) => [d.requirement.name, d.group])).toEqual([
      ['numpy', null],
      ['pytest', 'test'],
      ['sphinx', 'docs'],
    ]);
    expect(list.errors).toEqual([{ path: 'pyproject.toml', message: '`project.optional-dependencies.bad` must be a list of strings' }]);
  });
});
