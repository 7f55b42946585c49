import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PackageIndex, PackageIndexUnknown, PackageRelease } from '../../../src/core/ports.js';
import { checkWheelFilenames, checkWheels } from '../../../src/core/wheels/check-wheels.js';

type ProjectFixture = {
  project: string;
  version: string;
  source: string;
  filenames: string[];
  expect: { freeThreaded: string[] };
};

const dir = new URL('../../fixtures/wheels/projects/', import.meta.url);
const projects = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as ProjectFixture);

function fakeIndex(answer: PackageRelease | PackageIndexUnknown): PackageIndex & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    findRelease(params) {
      calls.push(params);
      return Promise.resolve(answer);
    },
  };
}

describe('checkWheelFilenames on real releases', () => {
  it('has at least 15 projects, each with a recorded source', () => {
    expect(projects.length).toBeGreaterThanOrEqual(15);
    for (const p of projects) expect(p.source.length, p.project).toBeGreaterThan(20);
  });

  it.each(projects)('$project $version: parses every name and finds $expect.freeThreaded', (fixture) => {
    const check = checkWheelFilenames({ filenames: fixture.filenames });
    expect(check.errors).toEqual([]);
    expect(check.wheels).toHaveLength(fixture.filenames.length);
    expect(check.project).toBe(fixture.project);
    expect(check.version).toBe(fixture.version);
    const found = new Set(check.wheels.flatMap((w) => w.freeThreaded.map((m) => m.python)));
    expect([...found].sort()).toEqual(fixture.expect.freeThreaded);
    expect(check.matrix?.anyFreeThreaded).toBe(fixture.expect.freeThreaded.length > 0);
  });

  it('fills the markupsafe 3.0.3 matrix for 3.13t and 3.14t on every column', () => {
    const fixture = projects.find((p) => p.project === 'markupsafe');
    const check = checkWheelFilenames({ filenames: fixture?.filenames ?? [] });
    const rows = check.matrix?.rows.map((r) => [r.python, r.cells.every((c) => c.status === 'yes')]);
    expect(rows).toEqual([
      ['3.13t', true],
      ['3.14t', true],
      ['3.15t', false],
    ]);
  });
});

describe('checkWheelFilenames', () => {
  it('keeps invalid names as errors next to the valid wheels', () => {
    const check = checkWheelFilenames({ filenames: ['flask-3.1.3-py3-none-any.whl', 'flask-3.1.3.tar.gz'] });
    expect(check.wheels.map((w) => w.wheel.filename)).toEqual(['flask-3.1.3-py3-none-any.whl']);
    expect(check.errors).toEqual([
      {
        filename: 'flask-3.1.3.tar.gz',
        code: 'E_WHEEL_FILENAME_EXTENSION',
        message: "wheels: wheel filename must end in '.whl': 'flask-3.1.3.tar.gz'",
      },
    ]);
  });

  it('leaves project and version empty for wheels of several projects', () => {
    const check = checkWheelFilenames({ filenames: ['flask-3.1.3-py3-none-any.whl', 'six-1.17.0-py2.py3-none-any.whl'] });
    expect(check.project).toBe('');
    expect(check.version).toBeNull();
  });

  it('adds a note when a cell depends on abi3t', () => {
    const check = checkWheelFilenames({ filenames: ['pkg-1.0-cp315-abi3.abi3t-win_amd64.whl'] });
    expect(check.note).toContain('abi3t');
    expect(checkWheelFilenames({ filenames: ['flask-3.1.3-py3-none-any.whl'] }).note).toBeUndefined();
  });
});

describe('checkWheels', () => {
  it('asks the index for the release and analyses its wheels, skipping the sdist', async () => {
    const index = fakeIndex({
      status: 'ok',
      project: 'psutil',
      version: '7.1.2',
      files: [
        { filename: 'psutil-7.1.2.tar.gz', packageType: 'sdist' },
        { filename: 'psutil-7.1.2-cp314-cp314t-win_amd64.whl', packageType: 'bdist_wheel' },
        { filename: 'psutil-7.1.2-cp313-cp313-win_amd64.whl', packageType: 'bdist_wheel' },
      ],
    });
    const check = await checkWheels({ project: 'psutil', version: '7.1.2', index });
    expect(index.calls).toEqual([{ project: 'psutil', version: '7.1.2' }]);
    expect(check.status).toBe('ok');
    expect(check.project).toBe('psutil');
    expect(check.version).toBe('7.1.2');
    expect(check.wheels.map((w) => w.wheel.filename)).toEqual([
      'psutil-7.1.2-cp314-cp314t-win_amd64.whl',
      'psutil-7.1.2-cp313-cp313-win_amd64.whl',
    ]);
    expect(check.errors).toEqual([]);
    expect(check.note).toContain('from the sdist');
  });

  it('asks for the latest release when no version is given', async () => {
    const index = fakeIndex({ status: 'ok', project: 'flask', version: '3.1.3', files: [{ filename: 'flask-3.1.3-py3-none-any.whl' }] });
    const check = await checkWheels({ project: 'flask', index });
    expect(index.calls).toEqual([{ project: 'flask' }]);
    expect(check.matrix?.pureWheel).toBe('flask-3.1.3-py3-none-any.whl');
    expect(check.note).toBeUndefined();
  });

  it('returns unknown with the index reason instead of throwing', async () => {
    const index = fakeIndex({ status: 'unknown', kind: 'http-error', reason: 'PyPI answered 503 for `numpy`' });
    const check = await checkWheels({ project: 'numpy', index });
    expect(check).toEqual({
      project: 'numpy',
      version: null,
      wheels: [],
      errors: [],
      matrix: null,
      status: 'unknown',
      note: 'PyPI answered 503 for `numpy`',
    });
  });

  it('says when a release has no wheels, or every file is yanked', async () => {
    const sdistOnly = await checkWheels({
      project: 'x',
      index: fakeIndex({ status: 'ok', project: 'x', version: '1.0', files: [{ filename: 'x-1.0.tar.gz', packageType: 'sdist' }] }),
    });
    expect(sdistOnly.note).toBe('`x` 1.0 has no wheels; installers build it from the sdist.');
    expect(sdistOnly.matrix?.anyFreeThreaded).toBe(false);
    const yanked = await checkWheels({
      project: 'x',
      index: fakeIndex({ status: 'ok', project: 'x', version: '1.0', files: [{ filename: 'x-1.0-py3-none-any.whl', yanked: true }] }),
    });
    expect(yanked.note).toContain('yanked');
  });
});

describe('rows for interpreters released by the upload date', () => {
  const files = (uploadTime?: string) =>
    ['demo-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl', 'demo-1.0-cp314-cp314t-manylinux_2_17_x86_64.whl', 'demo-1.0.tar.gz'].map((filename) => ({
      filename,
      ...(uploadTime === undefined ? {} : { uploadTime }),
    }));

  it('leaves out 3.15t for a release uploaded before CPython 3.15.0, and says why', async () => {
    const check = await checkWheels({ project: 'demo', index: fakeIndex({ status: 'ok', project: 'demo', version: '1.0', files: files('2025-11-02T10:00:00.123456Z') }) });
    expect(check.matrix?.rows.map((r) => r.python)).toEqual(['3.13t', '3.14t']);
    expect(check.note).toContain('No row for `3.15t`: that CPython was not released yet when this version was uploaded.');
  });

  it('keeps 3.15t once CPython 3.15.0 was out, and every row when the index gives no dates', async () => {
    const later = await checkWheels({ project: 'demo', index: fakeIndex({ status: 'ok', project: 'demo', version: '1.0', files: files('2026-11-20T08:00:00Z') }) });
    expect(later.matrix?.rows.map((r) => r.python)).toEqual(['3.13t', '3.14t', '3.15t']);
    const undated = await checkWheels({ project: 'demo', index: fakeIndex({ status: 'ok', project: 'demo', version: '1.0', files: files() }) });
    expect(undated.matrix?.rows.map((r) => r.python)).toEqual(['3.13t', '3.14t', '3.15t']);
    expect(undated.note ?? '').not.toContain('No row for');
  });

  it('keeps a backtick in an index-given name from ending the note\u2019s code span (issue 14 L7)', async () => {
    const check = await checkWheels({
      project: 'x',
      index: fakeIndex({ status: 'ok', project: 'x` <b>hi</b> `y', version: '1.0', files: [{ filename: 'x-1.0.tar.gz', packageType: 'sdist' }] }),
    });
    expect(check.note).toBe("`x' <b>hi</b> 'y` 1.0 has no wheels; installers build it from the sdist.");
  });
});
