import { describe, expect, it } from 'vitest';
import { freeThreadedBuilds, limitedApiOverride, misreadOptIns, optInVerdict, rightOptIn, selectedFreeThreaded } from '../../../src/core/build-files/cibuildwheel-versions.js';
import { readPyproject } from '../../../src/core/build-files/pyproject.js';
import { readWorkflow } from '../../../src/core/build-files/workflow-jobs.js';
import type { Version } from '../../../src/core/build-files/requirements.js';

// Each boundary of the cibuildwheel changelog, checked on both sides.
describe('optInVerdict', () => {
  const cases: Array<[string, Version, 'legacy' | 'enable', 'env' | 'config', string]> = [
    ['2.18.0 knows no opt-in (FT036 reports it)', [2, 18, 0], 'legacy', 'env', 'ok'],
    ['2.18.1 reads the old variable', [2, 18, 1], 'legacy', 'env', 'ok'],
    ['2.21.3 does not know `enable` yet', [2, 21, 3], 'enable', 'env', 'ignored'],
    ['2.21.3 refuses an unknown table key', [2, 21, 3], 'enable', 'config', 'error'],
    ['2.22.0 reads `enable`', [2, 22, 0], 'enable', 'env', 'ok'],
    ['2.23.3 still reads the old variable', [2, 23, 3], 'legacy', 'env', 'ok'],
    ['3.0.0 ignores the removed variable', [3, 0, 0], 'legacy', 'env', 'ignored'],
    ['3.1.1 still ignores it', [3, 1, 1], 'legacy', 'env', 'ignored'],
    ['3.1.2 stops on it', [3, 1, 2], 'legacy', 'env', 'error'],
    ['3.0.0 refuses the removed table key', [3, 0, 0], 'legacy', 'config', 'error'],
    ['3.4.1 still reads the deprecated value', [3, 4, 1], 'enable', 'env', 'ok'],
    ['4.0.0 stops on the removed value', [4, 0, 0], 'enable', 'env', 'error'],
  ];
  for (const [name, version, optIn, where, verdict] of cases) {
    it(name, () => expect(optInVerdict(optIn, version, where)).toBe(verdict));
  }

  it('names the opt-in each release reads, and none where no opt-in is needed or possible', () => {
    expect(rightOptIn([2, 18, 0], 'env')).toBeUndefined();
    expect(rightOptIn([2, 19, 2], 'env')).toBe('`CIBW_FREE_THREADED_SUPPORT: 1`');
    expect(rightOptIn([2, 22, 0], 'config')).toBe('`enable = ["cpython-freethreading"]`');
    expect(rightOptIn([4, 0, 0], 'env')).toBeUndefined();
  });
});

describe('freeThreadedBuilds', () => {
  const env = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, { values: [v], start: 0, end: 0 }]));
  it('builds cp314t by default from 3.1.0, not in 3.0.1', () => {
    expect(freeThreadedBuilds({ version: [3, 0, 1], env: env({}) }, undefined)).toEqual([]);
    expect(freeThreadedBuilds({ version: [3, 1, 0], env: env({}) }, undefined)).toEqual(['3.14t']);
  });
  it('builds cp313t with the opt-in its release reads, and none after 4.0', () => {
    expect(freeThreadedBuilds({ version: [2, 21, 0], env: env({ CIBW_FREE_THREADED_SUPPORT: '1' }) }, undefined)).toEqual(['3.13t']);
    expect(freeThreadedBuilds({ version: [2, 21, 0], env: env({ CIBW_ENABLE: 'cpython-freethreading' }) }, undefined)).toEqual([]);
    expect(freeThreadedBuilds({ version: [3, 4, 0], env: env({ CIBW_ENABLE: 'cpython-freethreading' }) }, undefined)).toEqual(['3.13t', '3.14t']);
    expect(freeThreadedBuilds({ version: [4, 0, 0], env: env({ CIBW_ENABLE: 'cpython-freethreading' }) }, undefined)).toEqual(['3.14t']);
  });
});

describe('the release a workflow job runs', () => {
  it('reads a commit pin with the release in a comment', () => {
    const text = 'on: push\njobs:\n  w:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pypa/cibuildwheel@9e4e50bd76b3190f55304387e333f6234823ea9b # v3.1.4\n        env:\n          CIBW_FREE_THREADED_SUPPORT: 1\n';
    const run = readWorkflow(text).jobs[0]?.cibuildwheel[0];
    expect(run?.version).toEqual([3, 1, 4]);
    expect(run === undefined ? [] : misreadOptIns(run).map((m) => m.verdict)).toEqual(['error']);
  });
  it('leaves a commit pin without a comment unpinned', () => {
    const text = 'on: push\njobs:\n  w:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pypa/cibuildwheel@9e4e50bd76b3190f55304387e333f6234823ea9b\n';
    expect(readWorkflow(text).jobs[0]?.cibuildwheel[0]?.version).toBeUndefined();
  });
});

describe('abi3 audits and limited-API overrides', () => {
  const job = (run: string): string => `on: push\njobs:\n  w:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pypa/cibuildwheel@v3.2.1\n      - run: ${run}\n`;
  const audits = (run: string): string[] => {
    const text = job(run);
    return (readWorkflow(text).jobs[0]?.abi3Audits ?? []).map((a) => text.slice(a.start, a.end));
  };

  it('finds abi3audit over every wheel of a folder, not over the abi3 ones or in an install command', () => {
    expect(audits('"pip install abi3audit && abi3audit --strict ./wheelhouse/*.whl"')).toEqual(['abi3audit --strict ./wheelhouse/*.whl"']);
    expect(audits('pip install -U abi3audit')).toEqual([]);
    expect(audits('abi3audit --strict wheelhouse/*abi3*.whl')).toEqual([]);
    expect(audits('abi3audit --strict dist/spam-1.0-cp39-abi3-manylinux_2_17_x86_64.whl')).toEqual([]);
  });

  it('reads overrides and tells what makes them limited-API builds', () => {
    const config = readPyproject(
      [
        '[tool.cibuildwheel]',
        'skip = ["cp39-*_armv7l"]',
        '[tool.cibuildwheel.linux]',
        'archs = ["x86_64", "armv7l"]',
        '[[tool.cibuildwheel.overrides]]',
        'select = "*linux_armv7l"',
        'test-command = ["abi3audit --strict {wheel}"]',
        '[[tool.cibuildwheel.overrides]]',
        'select = "cp312-*"',
        'environment.SPAM_LIMITED_API = "true"',
        '[[tool.cibuildwheel.overrides]]',
        'select = "*"',
        'config-settings."wheel.py-api" = "cp311"',
        '[[tool.cibuildwheel.overrides]]',
        'select = "*linux_armv7l"',
        `repair-wheel-command = ['case "$(basename {wheel})" in *"-abi3-"*) abi3audit --strict --report {wheel};; esac']`,
      ].join('\n'),
    ).cibuildwheel;
    expect(config?.skip).toEqual(['cp39-*_armv7l']);
    expect(config?.archs).toEqual(['x86_64', 'armv7l']);
    expect(config?.overrides.map((o) => limitedApiOverride(o)?.kind)).toEqual(['strict', 'project', undefined, undefined]);
    if (config === undefined) return;
    expect(selectedFreeThreaded(['*linux_armv7l'], ['3.14t'], config, [])).toEqual(['cp314t-manylinux_armv7l', 'cp314t-musllinux_armv7l']);
    expect(selectedFreeThreaded(['cp312-*'], ['3.14t'], config, [])).toEqual([]);
    // Not asked for by `archs`: never built.
    expect(selectedFreeThreaded(['*linux_s390x'], ['3.14t'], config, [])).toEqual([]);
    expect(selectedFreeThreaded(['*linux_s390x'], ['3.14t'], config, ['s390x'])).toEqual(['cp314t-manylinux_s390x', 'cp314t-musllinux_s390x']);
  });
});
