import { describe, expect, it } from 'vitest';
import { freeThreadedSupport } from '../../../src/core/wheels/free-threaded-support.js';
import { parseWheelFilename } from '../../../src/core/wheels/parse-wheel-filename.js';
import { buildTagMatrix, type TagMatrix } from '../../../src/core/wheels/tag-matrix.js';

function matrixOf(filenames: string[], options: Parameters<typeof buildTagMatrix>[1] = {}): TagMatrix {
  return buildTagMatrix(
    filenames.map((f) => freeThreadedSupport(parseWheelFilename(f))),
    options,
  );
}

function statusGrid(matrix: TagMatrix): string[] {
  return matrix.rows.map((r) => `${r.python} ${r.cells.map((c) => c.status).join(' ')}`);
}

describe('buildTagMatrix', () => {
  it('marks the cells a free-threaded wheel covers and names the wheel', () => {
    const matrix = matrixOf([
      'psutil-7.1.2-cp314-cp314t-manylinux2014_aarch64.manylinux_2_17_aarch64.manylinux_2_28_aarch64.whl',
      'psutil-7.1.2-cp314-cp314t-win_arm64.whl',
      'psutil-7.1.2-cp313-cp313-win_amd64.whl',
    ]);
    expect(matrix.pythons).toEqual(['3.13t', '3.14t', '3.15t']);
    expect(matrix.columns.map((c) => c.id)).toEqual([
      'manylinux-x86_64',
      'manylinux-aarch64',
      'musllinux-x86_64',
      'musllinux-aarch64',
      'macos-arm64',
      'macos-x86_64',
      'windows-amd64',
      'windows-arm64',
    ]);
    expect(statusGrid(matrix)).toEqual([
      '3.13t no no no no no no no no',
      '3.14t no yes no no no no no yes',
      '3.15t no no no no no no no no',
    ]);
    expect(matrix.rows[1]?.cells[7]).toEqual({
      column: 'windows-arm64',
      status: 'yes',
      wheel: 'psutil-7.1.2-cp314-cp314t-win_arm64.whl',
      route: 'cpython-abi',
    });
    expect(matrix.anyFreeThreaded).toBe(true);
    expect(matrix.pureWheel).toBeNull();
  });

  it('lets a universal2 wheel fill both macOS columns', () => {
    const matrix = matrixOf(['cryptography-46.0.3-cp314-cp314t-macosx_10_9_universal2.whl']);
    expect(statusGrid(matrix)[1]).toBe('3.14t no no no no yes yes no no');
  });

  it('fills every cell from a pure-Python wheel but prefers a free-threaded binary wheel', () => {
    const matrix = matrixOf(['sqlalchemy-2.0.45-py3-none-any.whl', 'sqlalchemy-2.0.45-cp314-cp314t-win_amd64.whl']);
    expect(matrix.pureWheel).toBe('sqlalchemy-2.0.45-py3-none-any.whl');
    expect(matrix.rows.every((r) => r.cells.every((c) => c.status === 'yes'))).toBe(true);
    expect(matrix.rows[1]?.cells[6]).toMatchObject({ wheel: 'sqlalchemy-2.0.45-cp314-cp314t-win_amd64.whl', route: 'cpython-abi' });
    expect(matrix.rows[0]?.cells[6]).toMatchObject({ wheel: 'sqlalchemy-2.0.45-py3-none-any.whl', route: 'pure-python' });
  });

  it('does not call a cpXY-none-any wheel pure for every row', () => {
    const matrix = matrixOf(['pkg-1.0-cp314-none-any.whl']);
    expect(matrix.pureWheel).toBeNull();
    expect(statusGrid(matrix)).toEqual([
      '3.13t no no no no no no no no',
      '3.14t yes yes yes yes yes yes yes yes',
      '3.15t no no no no no no no no',
    ]);
  });

  it('reports no free-threaded wheel when only GIL, abi3 and PyPy wheels exist', () => {
    const matrix = matrixOf([
      'cryptography-46.0.3-cp311-abi3-win_amd64.whl',
      'numpy-2.4.2-cp314-cp314-win_amd64.whl',
      'numpy-2.4.2-pp311-pypy311_pp73-win_amd64.whl',
    ]);
    expect(matrix.anyFreeThreaded).toBe(false);
    expect(matrix.rows.flatMap((r) => r.cells).every((c) => c.status === 'no' && c.wheel === undefined)).toBe(true);
  });

  it('says anyFreeThreaded for wheels outside the columns, like riscv64', () => {
    const matrix = matrixOf(['markupsafe-3.0.3-cp314-cp314t-musllinux_1_2_riscv64.whl']);
    expect(matrix.anyFreeThreaded).toBe(true);
    expect(matrix.rows.flatMap((r) => r.cells).some((c) => c.status === 'yes')).toBe(false);
  });

  it('uses n/a only for columns where no free-threaded CPython is distributed', () => {
    const columns = [
      { id: 'android-arm64_v8a', label: 'Android arm64' },
      { id: 'windows-amd64', label: 'Windows amd64' },
    ];
    const matrix = matrixOf(['numpy-2.4.2-cp314-cp314-win_amd64.whl'], { columns, minors: [14] });
    expect(statusGrid(matrix)).toEqual(['3.14t n/a no']);
  });
});
