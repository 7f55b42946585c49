import { describe, expect, it } from 'vitest';
import { evaluateMarker, type MarkerEnvironment } from '../../../src/core/deps/evaluate-marker.js';
import { parseMarker } from '../../../src/core/deps/parse-marker.js';
import { targetEnvironments } from '../../../src/core/deps/target-environments.js';

const linux314 = targetEnvironments({ minors: [14], columns: ['manylinux-x86_64'] })[0]?.env ?? {};
const win313 = targetEnvironments({ minors: [13], columns: ['windows-amd64'] })[0]?.env ?? {};

function evaluate(marker: string, env: MarkerEnvironment = linux314): ReturnType<typeof evaluateMarker> {
  const parsed = parseMarker(marker);
  if (!parsed.ok) throw new Error(parsed.error);
  return evaluateMarker(parsed.marker, env);
}

describe('parseMarker', () => {
  it('gives `and` precedence over `or`', () => {
    const parsed = parseMarker('os_name == "nt" or sys_platform == "linux" and python_version >= "3.13"');
    expect(parsed.ok && parsed.marker.kind).toBe('or');
    expect(parsed.ok && parsed.marker.kind === 'or' && parsed.marker.items[1]?.kind).toBe('and');
  });

  it('reports broken markers', () => {
    expect(parseMarker('python_version >= "3.13')).toEqual({ ok: false, error: 'unterminated string at column 19' });
    expect(parseMarker('(python_version >= "3.13"')).toEqual({ ok: false, error: 'missing `)`' });
    expect(parseMarker('python_version "3.13"')).toEqual({ ok: false, error: 'expected an operator, got `3.13`' });
    expect(parseMarker('python_version >= "3" extra')).toEqual({ ok: false, error: 'unexpected `extra` after the marker' });
    expect(parseMarker('')).toEqual({ ok: false, error: 'empty marker' });
    expect(parseMarker('python_version >= "3" $')).toEqual({ ok: false, error: 'unexpected `$` at column 23' });
  });

  it('accepts the legacy dotted variable names', () => {
    expect(parseMarker('sys.platform == "linux"')).toMatchObject({ ok: true, marker: { left: { kind: 'variable', name: 'sys_platform' } } });
  });
});

describe('evaluateMarker on free-threaded targets', () => {
  it('compares python_version as a version, not as a string', () => {
    expect(evaluate('python_version >= "3.9"')).toBe(true);
    expect(evaluate('python_version < "3.13"')).toBe(false);
    expect(evaluate('python_version == "3.14.*"')).toBe(true);
    expect(evaluate('"3.13" <= python_version')).toBe(true);
  });

  it('knows the implementation and the platform of each target', () => {
    expect(evaluate('implementation_name == "cpython" and platform_python_implementation == "CPython"')).toBe(true);
    expect(evaluate('platform_python_implementation == "PyPy"')).toBe(false);
    expect(evaluate('sys_platform == "win32"')).toBe(false);
    expect(evaluate('sys_platform == "win32" and platform_system == "Windows" and os_name == "nt"', win313)).toBe(true);
    expect(evaluate('platform_machine in "x86_64 AMD64"', win313)).toBe(true);
    expect(evaluate('"linux" in sys_platform')).toBe(true);
    expect(evaluate('sys_platform not in "darwin win32"')).toBe(true);
  });

  it('decides python_full_version only where the patch level does not matter', () => {
    expect(evaluate('python_full_version >= "3.13.0"')).toBe(true);
    expect(evaluate('python_full_version < "3.14"')).toBe(false);
    expect(evaluate('python_full_version == "3.14.2"')).toBe('unknown');
    expect(evaluate('python_full_version >= "3.14.1"')).toBe('unknown');
    expect(evaluate('python_full_version == "3.14.*"')).toBe(true);
  });

  it('uses Kleene logic for what a target cannot fix', () => {
    expect(evaluate('platform_release >= "6"')).toBe('unknown');
    expect(evaluate('platform_release >= "6" and sys_platform == "win32"')).toBe(false);
    expect(evaluate('platform_release >= "6" or sys_platform == "linux"')).toBe(true);
    expect(evaluate('platform_version == "x" or python_version < "3.10"')).toBe('unknown');
  });

  it('compares extras in their normal form, and `extra` is unknown when unset', () => {
    expect(evaluate('extra == "GPU_Support"', { ...linux314, extra: 'gpu-support' })).toBe(true);
    expect(evaluate('extra == "gpu"', { ...linux314, extra: '' })).toBe(false);
    expect(evaluate('extra == "gpu"')).toBe('unknown');
  });

  it('follows the legacy string rules when neither side is a version', () => {
    expect(evaluate('sys_platform >= "linux"')).toBe(true);
    expect(evaluate('sys_platform > "a"')).toBe(false);
    expect(evaluate('sys_platform ~= "linux"')).toBe('unknown');
  });

  it('honours parentheses', () => {
    expect(evaluate('(sys_platform == "win32" or sys_platform == "linux") and python_version >= "3.14"')).toBe(true);
    expect(evaluate('sys_platform == "win32" or (sys_platform == "linux" and python_version < "3.14")')).toBe(false);
  });
});

describe('targetEnvironments', () => {
  it('crosses every free-threaded minor with every matrix column', () => {
    const targets = targetEnvironments();
    expect(targets).toHaveLength(24);
    expect(targets[0]).toMatchObject({ python: '3.13t', column: 'manylinux-x86_64', env: { python_version: '3.13', sys_platform: 'linux' } });
    expect(targets.at(-1)).toMatchObject({ python: '3.15t', column: 'windows-arm64', env: { platform_machine: 'ARM64' } });
  });
});
