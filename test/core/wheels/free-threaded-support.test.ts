import { describe, expect, it } from 'vitest';
import { freeThreadedSupport } from '../../../src/core/wheels/free-threaded-support.js';
import { parseWheelFilename } from '../../../src/core/wheels/parse-wheel-filename.js';

function versions(filename: string, minors?: number[]): string[] {
  const support = freeThreadedSupport(parseWheelFilename(filename), minors === undefined ? {} : { minors });
  return support.freeThreaded.map((m) => m.python);
}

function route(filename: string, python: string): string | undefined {
  return freeThreadedSupport(parseWheelFilename(filename)).freeThreaded.find((m) => m.python === python)?.route;
}

describe('freeThreadedSupport', () => {
  it('accepts a cpXY-cpXYt wheel on exactly that free-threaded version', () => {
    expect(versions('numpy-2.4.2-cp313-cp313t-win_amd64.whl')).toEqual(['3.13t']);
    expect(versions('numpy-2.4.2-cp314-cp314t-win_amd64.whl')).toEqual(['3.14t']);
    expect(route('numpy-2.4.2-cp314-cp314t-win_amd64.whl', '3.14t')).toBe('cpython-abi');
  });

  it('never accepts a GIL wheel or an abi3 wheel', () => {
    expect(versions('numpy-2.4.2-cp314-cp314-win_amd64.whl')).toEqual([]);
    expect(versions('cryptography-46.0.3-cp311-abi3-win_amd64.whl')).toEqual([]);
    expect(versions('psutil-7.1.3-cp37-abi3-win_amd64.whl')).toEqual([]);
  });

  it('does not accept a cpXYt ABI under another interpreter tag', () => {
    expect(versions('pkg-1.0-cp313-cp314t-win_amd64.whl')).toEqual([]);
    expect(versions('pkg-1.0-cp313t-cp313t-win_amd64.whl')).toEqual([]);
  });

  it('accepts abi3t from its own minor upward, like packaging 26.1', () => {
    expect(versions('pkg-1.0-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl')).toEqual(['3.15t']);
    expect(versions('pkg-1.0-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl', [15, 16, 17])).toEqual(['3.15t', '3.16t', '3.17t']);
    expect(versions('pkg-1.0-cp312-abi3t-win_amd64.whl')).toEqual(['3.13t', '3.14t', '3.15t']);
    expect(route('pkg-1.0-cp315-abi3.abi3t-win_amd64.whl', '3.15t')).toBe('abi3t');
  });

  it('accepts ABI-less wheels for the same or an older py3 minor, and for cpXY on XY only', () => {
    expect(versions('pkg-1.0-py3-none-win_amd64.whl')).toEqual(['3.13t', '3.14t', '3.15t']);
    expect(route('pkg-1.0-py3-none-win_amd64.whl', '3.13t')).toBe('none-abi');
    expect(versions('pkg-1.0-py314-none-any.whl')).toEqual(['3.14t', '3.15t']);
    expect(versions('pkg-1.0-cp314-none-any.whl')).toEqual(['3.14t']);
    expect(versions('pkg-1.0-cp313-none-manylinux_2_17_x86_64.whl')).toEqual(['3.13t']);
    expect(versions('pkg-1.0-py2-none-any.whl')).toEqual([]);
  });

  it('accepts pure-Python wheels everywhere', () => {
    expect(versions('flask-3.1.3-py3-none-any.whl')).toEqual(['3.13t', '3.14t', '3.15t']);
    expect(versions('six-1.17.0-py2.py3-none-any.whl', [13, 14, 15, 16])).toEqual(['3.13t', '3.14t', '3.15t', '3.16t']);
    expect(route('flask-3.1.3-py3-none-any.whl', '3.15t')).toBe('pure-python');
  });

  it('rejects PyPy and GraalPy wheels, including PyPy pure tags', () => {
    expect(versions('numpy-2.4.2-pp311-pypy311_pp73-win_amd64.whl')).toEqual([]);
    expect(versions('pydantic_core-2.41.5-graalpy311-graalpy242_311_native-macosx_11_0_arm64.whl')).toEqual([]);
    expect(versions('coverage-7.6.2-pp39.pp310-none-any.whl')).toEqual([]);
  });

  it('reports a debug-only wheel as debug, not as release support', () => {
    const support = freeThreadedSupport(parseWheelFilename('pkg-1.0-cp314-cp314td-win_amd64.whl'));
    expect(support.freeThreaded).toEqual([]);
    expect(support.debugOnly).toEqual(['3.14td']);
  });

  it('prefers the own-ABI route when a compressed set offers several', () => {
    const support = freeThreadedSupport(parseWheelFilename('pkg-1.0-cp315.py3-cp315t.none-win_amd64.whl'));
    expect(support.freeThreaded.find((m) => m.python === '3.15t')).toMatchObject({
      route: 'cpython-abi',
      tag: { interpreter: 'cp315', abi: 'cp315t', platform: 'win_amd64' },
    });
    expect(support.freeThreaded.find((m) => m.python === '3.13t')?.route).toBe('none-abi');
  });

  it('collects the platform targets, expanding universal2', () => {
    const support = freeThreadedSupport(parseWheelFilename('cryptography-46.0.3-cp314-cp314t-macosx_10_9_universal2.whl'));
    expect(support.targets).toEqual(['macos-arm64', 'macos-x86_64']);
    const linux = freeThreadedSupport(
      parseWheelFilename('psutil-7.1.2-cp313-cp313t-manylinux2010_x86_64.manylinux_2_12_x86_64.manylinux_2_28_x86_64.whl'),
    );
    expect(linux.targets).toEqual(['manylinux-x86_64']);
    expect(linux.platforms.map((p) => p.minimum?.version)).toEqual(['2.12', '2.12', '2.28']);
  });
});
