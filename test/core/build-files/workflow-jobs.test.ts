import { describe, expect, it } from 'vitest';
import { readWorkflow } from '../../../src/core/build-files/workflow-jobs.js';
import { collectProjectFacts, emptyProjectFacts } from '../../../src/core/engine/project-facts.js';

describe('readWorkflow', () => {
  it("counts setup-python's free-threaded architectures as a free-threaded job, and a plain one not", () => {
    const workflow = (arch: string) =>
      ['jobs:', '  test:', '    runs-on: ubuntu-latest', '    strategy:', '      matrix:', `        arch: [x64, ${arch}]`, '    steps:', '      - uses: actions/setup-python@v6', '        with:', '          python-version: "3.14"', '          architecture: ${{ matrix.arch }}', ''].join('\n');
    expect(readWorkflow(workflow('x64-freethreaded')).jobs[0]?.mentionsFreeThreaded).toBe(true);
    expect(readWorkflow(workflow('arm64')).jobs[0]?.mentionsFreeThreaded).toBe(false);
    const facts = (arch: string) => {
      const f = emptyProjectFacts();
      collectProjectFacts(f, '.github/workflows/ci.yml', 'workflow', workflow(arch));
      return f.ciTestsFreeThreaded;
    };
    expect(facts('arm64-freethreaded')).toBe(true);
    expect(facts('x86')).toBe(false);
  });

  it('reads the capped tool installs of run steps, marking the ones under an if', () => {
    const text = [
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: pip install pytest Cython==3.0.12 "pybind11>=2.10,<2.13" nanobind',
      '      - if: matrix.python == "3.9"',
      '        run: python -m pip install "cython<3.1"',
      '      - run: pip install "cython>=3.1"',
      '',
    ].join('\n');
    const installs = readWorkflow(text).jobs[0]?.toolInstalls ?? [];
    expect(installs.map((i) => [i.text, i.guarded, i.requirement.max?.version])).toEqual([
      ['Cython==3.0.12', false, [3, 0, 12]],
      ['pybind11>=2.10,<2.13', false, [2, 13, 0]],
      ['cython<3.1', true, [3, 1, 0]],
    ]);
    const first = installs[0];
    expect(first === undefined ? '' : text.slice(first.start, first.end)).toBe('Cython==3.0.12');
  });

  it('takes a maturin pin and env-held arguments from the workflow env', () => {
    const text = [
      'env:',
      '  MATURIN_VERSION: "1.8.3"',
      'jobs:',
      '  wheels:',
      '    runs-on: ubuntu-latest',
      '    env:',
      '      EXTRA: ""',
      '    steps:',
      '      - uses: PyO3/maturin-action@v1',
      '        with:',
      '          maturin-version: ${{ env.MATURIN_VERSION }}',
      '          args: --release -i 3.13 3.14 ${{ env.EXTRA }}',
      '',
    ].join('\n');
    const run = readWorkflow(text).jobs[0]?.maturin[0];
    expect(run?.interpreters).toEqual(['3.13', '3.14']);
    expect(run?.maturinVersion?.text).toBe('1.8.3');
    expect(run?.maturinVersion === undefined ? '' : text.slice(run.maturinVersion.start, run.maturinVersion.end)).toBe('MATURIN_VERSION: "1.8.3"');
  });

  it('keeps an unknown env expression as a wildcard interpreter', () => {
    const text = ['jobs:', '  wheels:', '    steps:', '      - uses: PyO3/maturin-action@v1', '        with:', '          args: -i ${{ env.PYTHONS }}', ''].join('\n');
    expect(readWorkflow(text).jobs[0]?.maturin[0]?.interpreters).toEqual(['*']);
  });
});
