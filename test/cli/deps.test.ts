import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';

const PYPI = 'https://pypi.org';
const root = mkdtempSync(join(tmpdir(), 'ftbot-deps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a project into a fresh folder under the temporary root and returns its path. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function page(name: string, version: string, filenames: string[], releases?: Record<string, string[]>): Record<string, unknown> {
  const file = (filename: string): Record<string, unknown> => ({
    filename,
    packagetype: filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
    yanked: false,
  });
  return {
    info: { name, version },
    urls: filenames.map(file),
    ...(releases === undefined ? {} : { releases: Object.fromEntries(Object.entries(releases).map(([v, fs]) => [v, fs.map(file)])) }),
  };
}

const NUMPY = page('numpy', '2.3.4', ['numpy-2.3.4.tar.gz', 'numpy-2.3.4-cp314-cp314t-win_amd64.whl'], {
  '2.0.2': ['numpy-2.0.2-cp312-cp312-win_amd64.whl'],
  '2.1.0': ['numpy-2.1.0-cp313-cp313t-win_amd64.whl'],
  '2.3.4': ['numpy-2.3.4-cp314-cp314t-win_amd64.whl'],
});
const ORJSON = page('orjson', '3.11.3', ['orjson-3.11.3.tar.gz', 'orjson-3.11.3-cp314-cp314-win_amd64.whl']);
const REQUESTS = page('requests', '2.32.5', ['requests-2.32.5-py3-none-any.whl']);

const spam = project('spam', {
  'pyproject.toml': [
    '[project]',
    'name = "spamext"',
    'dependencies = [',
    '  "numpy>=2; sys_platform == \'win32\'",',
    '  "orjson>=3.10",',
    '  "tomli; python_version < \'3.11\'",',
    ']',
    '[project.optional-dependencies]',
    'test = ["pytest"]',
  ].join('\n'),
});

describe('ftbot deps', () => {
  it('prints the JSON contract and exits 1 when a dependency blocks free-threaded installs', async () => {
    const scope = nock(PYPI).get('/pypi/numpy/json').reply(200, NUMPY).get('/pypi/orjson/json').reply(200, ORJSON);
    const fake = createFakeIo();
    const code = await execute(['deps', spam, '--format', 'json'], fake.io);
    expect(code).toBe(1);
    expect(scope.isDone()).toBe(true);
    const json = JSON.parse(fake.stdout()) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['dependencies', 'skipped', 'blockers']);
    expect(json).toEqual({
      dependencies: [
        {
          name: 'orjson',
          requirement: 'orjson>=3.10',
          marker: null,
          status: 'not-ready',
          firstFreeThreadedVersion: null,
          latestVersion: '3.11.3',
          platforms: {
            'manylinux-x86_64': [],
            'manylinux-aarch64': [],
            'musllinux-x86_64': [],
            'musllinux-aarch64': [],
            'macos-arm64': [],
            'macos-x86_64': [],
            'windows-amd64': [],
            'windows-arm64': [],
          },
          note: 'Compiled wheels for GIL builds only: free-threaded installs build it from the sdist, which needs a compiler and free-threading support in its code.',
        },
        {
          name: 'numpy',
          requirement: "numpy>=2; sys_platform == 'win32'",
          marker: "sys_platform == 'win32'",
          status: 'ready',
          firstFreeThreadedVersion: '2.1.0',
          latestVersion: '2.3.4',
          platforms: { 'windows-amd64': ['3.14t'], 'windows-arm64': [] },
          note: 'No free-threaded wheel for 3.13t, 3.15t. No 3.14t wheel for windows-arm64.',
        },
      ],
      skipped: [
        { requirement: "tomli; python_version < '3.11'", reason: 'not applicable: the marker is false on every free-threaded CPython' },
        { requirement: 'pytest', reason: 'optional group `test`, not checked' },
      ],
      blockers: ['orjson'],
    });
    expect(fake.stderr()).toBe('');
  });

  it('prints text and exits 0 when nothing blocks', async () => {
    nock(PYPI).get('/pypi/requests/json').reply(200, REQUESTS);
    const dir = project('pure', { 'requirements.txt': 'requests>=2  # http\n' });
    const fake = createFakeIo();
    expect(await execute(['deps', dir], fake.io)).toBe(0);
    expect(fake.stdout()).toBe(
      [
        'Dependencies on free-threaded CPython',
        'None of 1 blocks free-threaded installs.',
        '  pure Python requests 2.32.5  Pure Python: its wheel installs on every free-threaded build.',
        '',
      ].join('\n'),
    );
  });

  it('prints Markdown for GitHub', async () => {
    nock(PYPI).get('/pypi/numpy/json').reply(200, NUMPY).get('/pypi/orjson/json').reply(200, ORJSON);
    const fake = createFakeIo();
    expect(await execute(['deps', spam, '--format', 'markdown'], fake.io)).toBe(1);
    expect(fake.stdout()).toMatchInlineSnapshot(`
      "### Dependencies on free-threaded CPython

      1 of 2 has no free-threaded or pure-Python wheel: \`orjson\`.

      | dependency | status | free-threaded since | latest | note |
      | :-- | :-- | :-- | :-- | :-- |
      | \`orjson\` | ❌ not ready | – | 3.11.3 | Compiled wheels for GIL builds only: free-threaded installs build it from the sdist, which needs a compiler and free-threading support in its code. |
      | \`numpy\` | ✅ ready | 2.1.0 | 2.3.4 | No free-threaded wheel for 3.13t, 3.15t. No 3.14t wheel for windows-arm64. |

      <details><summary>Not checked (2)</summary>

      - \`tomli; python_version < '3.11'\`: not applicable: the marker is false on every free-threaded CPython
      - \`pytest\`: optional group \`test\`, not checked

      </details>
      "
    `);
  });

  it('follows -r includes on disk and checks optional files with --include-optional', async () => {
    nock(PYPI)
      .get('/pypi/requests/json')
      .reply(200, REQUESTS)
      .get('/pypi/pytest/json')
      .reply(200, page('pytest', '8.4.2', ['pytest-8.4.2-py3-none-any.whl']));
    const dir = project('includes', {
      'requirements.txt': '-r requirements/base.txt\n',
      'requirements/base.txt': 'requests\n',
      'requirements-dev.txt': '-r requirements.txt\npytest\n',
    });
    const fake = createFakeIo();
    expect(await execute(['deps', dir, '--include-optional', '--format', 'json'], fake.io)).toBe(0);
    const json = JSON.parse(fake.stdout()) as { dependencies: { name: string }[] };
    expect(json.dependencies.map((d) => d.name)).toEqual(['pytest', 'requests']);
  });

  it('asks no more than --max projects, at the URL in FTBOT_PYPI_URL', async () => {
    const scope = nock('http://mirror.test').get('/pypi/numpy/json').reply(200, NUMPY);
    const fake = createFakeIo({ env: { FTBOT_PYPI_URL: 'http://mirror.test/' } });
    expect(await execute(['deps', spam, '--max', '1', '--format', 'json'], fake.io)).toBe(0);
    expect(scope.isDone()).toBe(true);
    const json = JSON.parse(fake.stdout()) as { skipped: { requirement: string; reason: string }[] };
    expect(json.skipped).toContainEqual({ requirement: 'orjson>=3.10', reason: 'over the limit of 1 dependency checked' });
  });

  it('exits 2 when PyPI answers for no dependency', async () => {
    nock(PYPI).get('/pypi/requests/json').reply(503);
    const dir = project('down', { 'requirements.txt': 'requests\n' });
    const fake = createFakeIo();
    expect(await execute(['deps', dir], fake.io)).toBe(2);
    expect(fake.stdout()).toContain('PyPI answered 503 for `requests`.');
    expect(fake.stderr()).toBe('ftbot deps: 1 of 1 dependencies could not be checked\n');
  });

  it('with --offline asks nothing, lists each dependency as not checked and exits 0', async () => {
    // No interceptor is set up: a request to PyPI would fail the test.
    const dir = project('offline', { 'pyproject.toml': '[project]\nname = "demo"\ndependencies = ["msgpack>=1", "tomli; python_version < \'3.11\'"]\n' });
    const fake = createFakeIo();
    expect(await execute(['deps', dir, '--offline', '--format', 'json'], fake.io)).toBe(0);
    const json = JSON.parse(fake.stdout()) as { dependencies: { name: string; status: string; note: string }[]; skipped: { requirement: string }[]; blockers: string[] };
    expect(json.dependencies).toEqual([expect.objectContaining({ name: 'msgpack', status: 'unknown', note: 'Not checked: --offline, PyPI was not asked for `msgpack`.' })]);
    expect(json.skipped.map((s) => s.requirement)).toEqual(["tomli; python_version < '3.11'"]);
    expect(json.blockers).toEqual([]);
    expect(fake.stderr()).toBe('ftbot deps: --offline: the check was skipped for 1 dependency\n');
  });

  it('exits 2 on an unreadable pyproject.toml, naming it', async () => {
    const dir = project('broken', { 'pyproject.toml': '[project\n' });
    const fake = createFakeIo();
    expect(await execute(['deps', dir], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/^ftbot deps: pyproject\.toml: not valid TOML: /);
  });

  it('exits 2 without dependency files or with bad options', async () => {
    const empty = project('empty', { 'README.md': '# nothing\n' });
    const none = createFakeIo();
    expect(await execute(['deps', empty], none.io)).toBe(2);
    expect(none.stderr()).toContain('no pyproject.toml, setup.cfg or requirements file');

    const badMax = createFakeIo();
    expect(await execute(['deps', spam, '--max', '0'], badMax.io)).toBe(2);
    expect(badMax.stderr()).toContain("--max takes a positive whole number, got '0'");

    const notDir = createFakeIo();
    expect(await execute(['deps', join(spam, 'pyproject.toml')], notDir.io)).toBe(2);
    expect(notDir.stderr()).toContain('is not a directory');
  });
});
