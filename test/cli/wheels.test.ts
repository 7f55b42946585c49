import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';

const FT = 'psutil-7.1.2-cp314-cp314t-win_arm64.whl';
const GIL = 'psutil-7.1.2-cp313-cp313-win_amd64.whl';

const dir = mkdtempSync(join(tmpdir(), 'ftbot-wheels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ftbot wheels --offline', () => {
  it('prints the JSON contract for the given filenames', async () => {
    const fake = createFakeIo();
    const code = await execute(['wheels', '--offline', '--format', 'json', FT, 'pkg-1.0-2b-py3-none-any.whl', 'bad.whl'], fake.io);
    expect(code).toBe(0);
    const json = JSON.parse(fake.stdout()) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['wheels', 'errors', 'matrix']);
    expect(json.wheels).toEqual([
      {
        filename: FT,
        name: 'psutil',
        version: '7.1.2',
        build: null,
        tags: [{ interpreter: 'cp314', abi: 'cp314t', platform: 'win_arm64' }],
        freeThreaded: ['3.14t'],
        platforms: ['windows-arm64'],
      },
      {
        filename: 'pkg-1.0-2b-py3-none-any.whl',
        name: 'pkg',
        version: '1.0',
        build: '2b',
        tags: [{ interpreter: 'py3', abi: 'none', platform: 'any' }],
        freeThreaded: ['3.13t', '3.14t', '3.15t'],
        platforms: ['any'],
      },
    ]);
    expect(json.errors).toEqual([
      { filename: 'bad.whl', error: "wheels: wheel filename has 1 dash-separated parts, expected 5 or 6: 'bad.whl'" },
    ]);
    expect(json.matrix).toMatchObject({ pythons: ['3.13t', '3.14t', '3.15t'], pureWheel: 'pkg-1.0-2b-py3-none-any.whl' });
    expect(fake.stderr()).toBe('');
  });

  it('exits 1 when no wheel installs on a free-threaded build', async () => {
    const fake = createFakeIo();
    expect(await execute(['wheels', '--offline', GIL], fake.io)).toBe(1);
    expect(fake.stdout()).toContain('No wheel installs on a free-threaded build.');
  });

  it('exits 2 when no filename is a valid wheel name', async () => {
    const fake = createFakeIo();
    expect(await execute(['wheels', '--offline', 'psutil-7.1.2.tar.gz'], fake.io)).toBe(2);
    expect(fake.stdout()).toContain('E_WHEEL_FILENAME_EXTENSION');
  });

  it('reads filenames from a file, skipping comments and reducing URLs to names', async () => {
    const list = join(dir, 'wheels.txt');
    writeFileSync(list, `# psutil 7.1.2\n\nhttps://files.pythonhosted.org/packages/ab/cd/${FT}#sha256=00\n  dist/${GIL}  \n`);
    const fake = createFakeIo({ cwd: dir });
    expect(await execute(['wheels', '--offline', '--from', 'wheels.txt', '--format', 'json'], fake.io)).toBe(0);
    const json = JSON.parse(fake.stdout()) as { wheels: { filename: string }[]; errors: unknown[] };
    expect(json.wheels.map((w) => w.filename)).toEqual([FT, GIL]);
    expect(json.errors).toEqual([]);
  });

  it('reads filenames from standard input with --from -', async () => {
    const fake = createFakeIo({ readStdin: () => Promise.resolve(`${FT}\n`) });
    expect(await execute(['wheels', '--offline', '--from', '-', '--format', 'markdown'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain(`[^1]: \`${FT}\``);
  });

  it('reports an unreadable list file as an error', async () => {
    const fake = createFakeIo({ cwd: dir });
    expect(await execute(['wheels', '--offline', '--from', 'missing.txt'], fake.io)).toBe(2);
    expect(fake.stderr()).toBe("ftbot wheels: cannot read 'missing.txt' (ENOENT)\n");
  });
});

describe('ftbot wheels usage errors', () => {
  it.each([
    [['wheels'], 'name a project'],
    [['wheels', '--offline'], '--offline needs wheel filenames'],
    [['wheels', 'numpy', 'scipy'], 'one project at a time'],
    [['wheels', 'numpy', '--from', 'x.txt'], '--from only works with --offline'],
    [['wheels', 'numpy', '--format', 'yaml'], "unknown format 'yaml'"],
    [['wheels', 'numpy=='], 'expected <project>==<version>'],
    [['wheels', '--frobnicate'], "unknown option '--frobnicate'"],
  ])('%j exits 2 with the usage', async (argv, message) => {
    const fake = createFakeIo();
    expect(await execute(argv, fake.io)).toBe(2);
    expect(fake.stderr()).toContain(message);
    expect(fake.stderr()).toContain('Usage: ftbot wheels');
    expect(fake.stdout()).toBe('');
  });

  it('prints the usage, with the exit codes, on --help', async () => {
    const fake = createFakeIo();
    expect(await execute(['wheels', '--help'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain('1  no wheel installs on any free-threaded build');
  });
});

describe('ftbot wheels <project>', () => {
  const psutil = {
    info: { name: 'psutil', version: '7.1.2' },
    urls: [
      { filename: 'psutil-7.1.2.tar.gz', packagetype: 'sdist', yanked: false },
      { filename: FT, packagetype: 'bdist_wheel', yanked: false },
      { filename: GIL, packagetype: 'bdist_wheel', yanked: false },
    ],
  };

  it('queries PyPI for the pinned release and prints the text report', async () => {
    const scope = nock('https://pypi.org').get('/pypi/psutil/7.1.2/json').reply(200, psutil);
    const fake = createFakeIo();
    expect(await execute(['wheels', 'psutil==7.1.2'], fake.io)).toBe(0);
    expect(scope.isDone()).toBe(true);
    const out = fake.stdout();
    expect(out.split('\n')[0]).toBe('Free-threaded wheels: psutil 7.1.2');
    expect(out).toContain('3.14t   no         no         no         no         no     no      no       yes');
    expect(out).toContain('pip and uv try to build `psutil` 7.1.2 from the sdist');
  });

  it('honours FTBOT_PYPI_URL and uses io.fetch', async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      urls.push(String(input));
      return Promise.resolve(new Response(JSON.stringify(psutil), { status: 200 }));
    };
    const fake = createFakeIo({ env: { FTBOT_PYPI_URL: 'http://mirror.test/' }, fetch: fakeFetch });
    expect(await execute(['wheels', 'psutil', '--format', 'json'], fake.io)).toBe(0);
    expect(urls).toEqual(['http://mirror.test/pypi/psutil/json']);
    expect((JSON.parse(fake.stdout()) as { wheels: unknown[] }).wheels).toHaveLength(2);
  });

  it('exits 1 for a release without free-threaded wheels', async () => {
    nock('https://pypi.org')
      .get('/pypi/msgpack/json')
      .reply(200, { info: { name: 'msgpack', version: '1.1.2' }, urls: [{ filename: 'msgpack-1.1.2-cp313-cp313-win_amd64.whl' }] });
    const fake = createFakeIo();
    expect(await execute(['wheels', 'msgpack'], fake.io)).toBe(1);
  });

  it('exits 2 with the reason when PyPI cannot answer, printing nothing on stdout', async () => {
    nock('https://pypi.org').get('/pypi/numpy/json').reply(503);
    const fake = createFakeIo();
    expect(await execute(['wheels', 'numpy', '--format', 'json'], fake.io)).toBe(2);
    expect(fake.stderr()).toBe('ftbot wheels: PyPI answered 503 for `numpy`\n');
    expect(fake.stdout()).toBe('');
  });

  it('exits 2 for an invalid project name without a request', async () => {
    const fake = createFakeIo();
    expect(await execute(['wheels', '../etc'], fake.io)).toBe(2);
    expect(fake.stderr()).toBe('ftbot wheels: `../etc` is not a valid project name\n');
  });
});
