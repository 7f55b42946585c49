import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { checkDependencyReadiness } from '../../../src/core/deps/check-dependency-readiness.js';
import { readDependencies } from '../../../src/core/deps/read-dependencies.js';
import { checkReadiness } from '../../../src/core/deps/check-readiness.js';
import { createPypiIndex } from '../../../src/io/pypi-index.js';

const PYPI = 'https://pypi.org';

type File = { filename: string; packagetype: string; yanked?: boolean };

function wheel(filename: string): File {
  return { filename, packagetype: 'bdist_wheel', yanked: false };
}
function sdist(filename: string): File {
  return { filename, packagetype: 'sdist', yanked: false };
}

/** A PyPI project page: the latest release's files and, optionally, the releases map. */
function page(name: string, version: string, urls: File[], releases?: Record<string, File[]>): Record<string, unknown> {
  return { info: { name, version }, urls, ...(releases === undefined ? {} : { releases }) };
}

const numpyLatest = [
  sdist('numpy-2.3.4.tar.gz'),
  wheel('numpy-2.3.4-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-musllinux_1_2_x86_64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-musllinux_1_2_aarch64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-macosx_14_0_arm64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-macosx_14_0_x86_64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-win_amd64.whl'),
  wheel('numpy-2.3.4-cp314-cp314t-win_arm64.whl'),
  wheel('numpy-2.3.4-cp313-cp313t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl'),
];
const numpyPage = page('numpy', '2.3.4', numpyLatest, {
  '2.0.0': [sdist('numpy-2.0.0.tar.gz'), wheel('numpy-2.0.0-cp312-cp312-win_amd64.whl')],
  '2.1.0rc1': [wheel('numpy-2.1.0rc1-cp313-cp313t-win_amd64.whl')],
  '2.1.0': [wheel('numpy-2.1.0-cp313-cp313t-win_amd64.whl'), wheel('numpy-2.1.0-cp313-cp313-win_amd64.whl')],
  '2.10.0': [wheel('numpy-2.10.0-cp314-cp314t-win_amd64.whl')],
  '2.3.4': numpyLatest,
});
const orjsonPage = page('orjson', '3.11.3', [
  sdist('orjson-3.11.3.tar.gz'),
  wheel('orjson-3.11.3-cp314-cp314-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'),
  wheel('orjson-3.11.3-cp313-cp313-win_amd64.whl'),
]);
const requestsPage = page('requests', '2.32.5', [sdist('requests-2.32.5.tar.gz'), wheel('requests-2.32.5-py3-none-any.whl')]);
const pycparserPage = page('pycparser', '2.23', [sdist('pycparser-2.23.tar.gz')]);

const pyproject = (deps: string[]): { path: string; text: string }[] => [
  { path: 'pyproject.toml', text: `[project]\nname = "spamext"\ndependencies = ${JSON.stringify(deps)}\n[project.optional-dependencies]\ntest = ["pytest"]\n` },
];

describe('checkDependencyReadiness', () => {
  it('classifies ready, not-ready, pure-Python, sdist-only and missing projects, blockers first', async () => {
    const scope = nock(PYPI)
      .get('/pypi/numpy/json')
      .reply(200, numpyPage)
      .get('/pypi/orjson/json')
      .reply(200, orjsonPage)
      .get('/pypi/requests/json')
      .reply(200, requestsPage)
      .get('/pypi/pycparser/json')
      .reply(200, pycparserPage)
      .get('/pypi/no-such-thing/json')
      .reply(404, { message: 'Not Found' });
    const check = await checkDependencyReadiness({
      files: pyproject(['requests>=2', 'numpy>=2', 'orjson', 'pycparser', 'no-such-thing', 'NumPy<3']),
      index: createPypiIndex(),
    });
    expect(scope.isDone()).toBe(true);
    expect(check.dependencies.map((d) => [d.name, d.status])).toEqual([
      ['orjson', 'not-ready'],
      ['pycparser', 'sdist-only'],
      ['no-such-thing', 'unknown'],
      ['numpy', 'ready'],
      ['requests', 'pure'],
    ]);
    expect(check.blockers).toEqual(['orjson']);
    const numpy = check.dependencies.find((d) => d.name === 'numpy');
    expect(numpy).toMatchObject({
      requirement: 'numpy>=2',
      latestVersion: '2.3.4',
      // 2.1.0rc1 is a pre-release, 2.10.0 sorts after 2.3.4: the first final one is 2.1.0.
      firstFreeThreadedVersion: '2.1.0',
      note: 'No free-threaded wheel for 3.15t. 3.13t wheels only for manylinux-x86_64.',
    });
    expect(numpy?.platforms['manylinux-x86_64']).toEqual(['3.13t', '3.14t']);
    expect(numpy?.platforms['windows-arm64']).toEqual(['3.14t']);
    expect(check.dependencies[0]).toMatchObject({
      note: 'Compiled wheels for GIL builds only: free-threaded installs build it from the sdist, which needs a compiler and free-threading support in its code.',
      firstFreeThreadedVersion: null,
    });
    expect(check.dependencies[2]?.note).toBe('PyPI has no project `no-such-thing`.');
    expect(check.dependencies[4]?.note).toBe('Pure Python: its wheel installs on every free-threaded build.');
    expect(check.skipped).toEqual([{ requirement: 'pytest', reason: 'optional group `test`, not checked', path: 'pyproject.toml' }]);
  });

  it('checks optional groups when asked', async () => {
    nock(PYPI).get('/pypi/pytest/json').reply(200, page('pytest', '8.4.2', [wheel('pytest-8.4.2-py3-none-any.whl')]));
    const check = await checkDependencyReadiness({ files: pyproject([]), index: createPypiIndex(), includeOptional: true });
    expect(check.dependencies).toMatchObject([{ name: 'pytest', status: 'pure', latestVersion: '8.4.2' }]);
    expect(check.skipped).toEqual([]);
  });

  it('counts only the platforms a marker lets the dependency reach', async () => {
    nock(PYPI)
      .get('/pypi/pywin32/json')
      .reply(200, page('pywin32', '311', [wheel('pywin32-311-cp314-cp314t-win_amd64.whl'), wheel('pywin32-311-cp314-cp314t-win_arm64.whl')]));
    const check = await checkDependencyReadiness({
      files: pyproject(['pywin32; sys_platform == "win32" and python_version >= "3.14"']),
      index: createPypiIndex(),
    });
    expect(check.dependencies[0]).toMatchObject({
      status: 'ready',
      marker: 'sys_platform == "win32" and python_version >= "3.14"',
      platforms: { 'windows-amd64': ['3.14t'], 'windows-arm64': ['3.14t'] },
      note: 'No free-threaded wheel for 3.15t.',
    });
  });

  it('turns a PyPI timeout into unknown', async () => {
    nock(PYPI).get('/pypi/numpy/json').delay(500).reply(200, numpyPage);
    const check = await checkDependencyReadiness({ files: pyproject(['numpy']), index: createPypiIndex({ timeoutMs: 50 }) });
    expect(check.dependencies).toEqual([
      {
        name: 'numpy',
        requirement: 'numpy',
        marker: null,
        group: null,
        path: 'pyproject.toml',
        status: 'unknown',
        firstFreeThreadedVersion: null,
        latestVersion: null,
        platforms: {},
        note: 'PyPI did not answer within 50 ms for `numpy`.',
      },
    ]);
    expect(check.blockers).toEqual([]);
  });

  it('asks about no more projects than the cap and says which were left out', async () => {
    let requests = 0;
    nock(PYPI)
      .persist()
      .get(/^\/pypi\/[a-z0-9-]+\/json$/)
      .reply((uri) => {
        requests += 1;
        const name = uri.split('/')[2] ?? '';
        return [200, page(name, '1.0', [wheel(`${name}-1.0-py3-none-any.whl`)])];
      });
    const names = Array.from({ length: 8 }, (_, i) => `pkg${i}`);
    const check = await checkDependencyReadiness({ files: pyproject(names), index: createPypiIndex(), maxDependencies: 5 });
    expect(requests).toBe(5);
    expect(check.dependencies.map((d) => d.name)).toEqual(['pkg0', 'pkg1', 'pkg2', 'pkg3', 'pkg4']);
    expect(check.skipped.slice(1)).toEqual(
      ['pkg5', 'pkg6', 'pkg7'].map((requirement) => ({ requirement, reason: 'over the limit of 5 dependencies checked', path: 'pyproject.toml' })),
    );
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    nock(PYPI)
      .persist()
      .get(/^\/pypi\/[a-z0-9-]+\/json$/)
      .reply(async (uri) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        const name = uri.split('/')[2] ?? '';
        return [200, page(name, '1.0', [wheel(`${name}-1.0-cp314-cp314t-win_amd64.whl`)], { '1.0': [wheel(`${name}-1.0-cp314-cp314t-win_amd64.whl`)] })];
      });
    const names = Array.from({ length: 10 }, (_, i) => `pkg${i}`);
    const check = await checkDependencyReadiness({ files: pyproject(names), index: createPypiIndex(), concurrency: 3 });
    expect(most).toBe(3);
    expect(check.dependencies.every((d) => d.status === 'ready' && d.firstFreeThreadedVersion === '1.0')).toBe(true);
  });

  it('does without the first free-threaded version when the index has no history', async () => {
    const dependencies = readDependencies({ files: pyproject(['numpy']) }).dependencies;
    const index = { findRelease: async () => ({ status: 'ok' as const, project: 'numpy', version: '2.3.4', files: numpyLatest.map((f) => ({ filename: f.filename })) }) };
    const check = await checkReadiness({ dependencies, index });
    expect(check.dependencies[0]).toMatchObject({ status: 'ready', firstFreeThreadedVersion: null, latestVersion: '2.3.4' });
  });

  it('notes a binary project that also ships a pure-Python wheel, and one with no files', async () => {
    const dependencies = readDependencies({ files: pyproject(['pyyaml', 'empty']) }).dependencies;
    const files: Record<string, string[]> = {
      pyyaml: ['PyYAML-6.0.2-cp313-cp313-win_amd64.whl', 'PyYAML-6.0.2-py3-none-any.whl'],
      empty: [],
    };
    const index = {
      findRelease: async ({ project }: { project: string }) => ({
        status: 'ok' as const,
        project,
        version: '1',
        files: (files[project] ?? []).map((filename) => ({ filename })),
      }),
    };
    const check = await checkReadiness({ dependencies, index });
    expect(check.dependencies.map((d) => [d.name, d.status, d.note])).toEqual([
      ['empty', 'unknown', 'The latest release has no wheels and no sdist.'],
      ['pyyaml', 'pure', 'Installs from its pure-Python wheel; its compiled wheels are for GIL builds only.'],
    ]);
  });

  it('describes partial coverage per Python in few words', async () => {
    const dependencies = readDependencies({ files: pyproject(['a', 'b']) }).dependencies;
    const files: Record<string, string[]> = {
      // 3.14t everywhere but Windows arm64.
      a: ['manylinux_2_28_x86_64', 'manylinux_2_28_aarch64', 'musllinux_1_2_x86_64', 'musllinux_1_2_aarch64', 'macosx_11_0_arm64', 'macosx_10_13_x86_64', 'win_amd64'].map(
        (plat) => `a-1-cp314-cp314t-${plat}.whl`,
      ),
      // 3.14t on Linux x86_64 only, and abi3t for 3.15t there too.
      b: ['b-1-cp314-cp314t-manylinux_2_28_x86_64.whl', 'b-1-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl'],
    };
    const index = {
      findRelease: async ({ project }: { project: string }) => ({ status: 'ok' as const, project, version: '1', files: (files[project] ?? []).map((filename) => ({ filename })) }),
    };
    const check = await checkReadiness({ dependencies, index });
    expect(check.dependencies.map((d) => d.note)).toEqual([
      'No free-threaded wheel for 3.13t, 3.15t. No 3.14t wheel for windows-arm64.',
      'No free-threaded wheel for 3.13t. 3.14t wheels only for manylinux-x86_64. 3.15t wheels only for manylinux-x86_64.',
    ]);
  });
});

describe('the index budget of one check (issue 14 M6)', () => {
  it('stops asking once the answers read add up to the cap, and says so for the rest', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `dep${i}`);
    const dependencies = readDependencies({ files: pyproject(names) }).dependencies;
    const asked: string[] = [];
    // Each answer stands for a 30 MiB project page.
    const index = {
      findRelease: async ({ project }: { project: string }) => {
        asked.push(project);
        return { status: 'ok' as const, project, version: '1', files: [{ filename: `${project}-1-cp314-cp314t-win_amd64.whl` }], bytes: 30 * 1024 * 1024 };
      },
    };
    const check = await checkReadiness({ dependencies, index, concurrency: 1, maxIndexBytes: 64 * 1024 * 1024 });
    expect(asked).toEqual(['dep0', 'dep1', 'dep2']);
    const unknown = check.dependencies.filter((d) => d.status === 'unknown');
    expect(unknown.map((d) => d.name)).toEqual(names.slice(3));
    expect(unknown[0]?.note).toBe("Not checked: the index's answers in this check passed 64 MiB.");
  });

  it('counts the bytes of PyPI\u2019s answers, cached ones included', async () => {
    const body = JSON.stringify(numpyPage);
    nock(PYPI).get('/pypi/numpy/json').reply(200, body);
    const index = createPypiIndex();
    const first = await index.findRelease({ project: 'numpy' });
    const again = await index.findRelease({ project: 'numpy' });
    expect(first.status === 'ok' ? first.bytes : undefined).toBe(body.length);
    expect(again.status === 'ok' ? again.bytes : undefined).toBe(body.length);
  });
});
