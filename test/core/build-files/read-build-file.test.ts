import { describe, expect, it } from 'vitest';
import { maturinFeaturesKey, readBuildFile } from '../../../src/core/build-files/read-build-file.js';

describe('maturinFeaturesKey', () => {
  it('finds the features key of the [tool.maturin] table, not one of another table', () => {
    const text = ['[project]', 'name = "x"', '', '[tool.other]', 'features = ["a"]', '', '[tool.maturin]', 'module-name = "x._x"', '  features = ["pyo3/extension-module"]', '', '[tool.ruff]', 'line-length = 100', ''].join('\n');
    expect(maturinFeaturesKey(text)).toEqual({ line: 9, column: 3 });
  });

  it('gives nothing when the table has no features key or there is no table', () => {
    expect(maturinFeaturesKey('[tool.maturin]\nbindings = "pyo3"\n\n[tool.x]\nfeatures = []\n')).toBeUndefined();
    expect(maturinFeaturesKey('[project]\nname = "x"\n')).toBeUndefined();
  });
});

describe('readBuildFile (pyproject.toml)', () => {
  it('records the maturin features key and the last line that is not blank', () => {
    const facts = readBuildFile('pyproject.toml', 'pyproject', '[build-system]\nrequires = ["maturin>=1.7"]\n\n[tool.maturin]\nfeatures = ["ext"]\n\n\n');
    expect(facts.maturinFeatures).toEqual({ line: 5, column: 1 });
    expect(facts.lastLine).toBe(5);
  });
});
