import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FtbotError } from '../../../src/core/errors.js';
import { parseWheelFilename, tryParseWheelFilename, WHEEL_FILENAME_ERRORS } from '../../../src/core/wheels/parse-wheel-filename.js';

type InvalidCase = { filename: string; code: string; why: string };
const invalid = JSON.parse(
  readFileSync(new URL('../../fixtures/wheels/invalid-names.json', import.meta.url), 'utf8'),
) as InvalidCase[];

describe('parseWheelFilename', () => {
  it('parses a free-threaded wheel with a compressed platform set into the cross product', () => {
    const wheel = parseWheelFilename('numpy-2.4.2-cp313-cp313t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl');
    expect(wheel).toEqual({
      filename: 'numpy-2.4.2-cp313-cp313t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl',
      name: 'numpy',
      version: '2.4.2',
      build: null,
      interpreters: ['cp313'],
      abis: ['cp313t'],
      platforms: ['manylinux_2_27_x86_64', 'manylinux_2_28_x86_64'],
      tags: [
        { interpreter: 'cp313', abi: 'cp313t', platform: 'manylinux_2_27_x86_64' },
        { interpreter: 'cp313', abi: 'cp313t', platform: 'manylinux_2_28_x86_64' },
      ],
    });
  });

  it('normalises the project name the way PyPI does', () => {
    expect(parseWheelFilename('MarkupSafe-3.0.2-cp313-cp313t-win_amd64.whl').name).toBe('markupsafe');
    expect(parseWheelFilename('pydantic_core-2.41.5-cp314-cp314t-win_arm64.whl').name).toBe('pydantic-core');
    expect(parseWheelFilename('zope.interface-7.2-cp313-cp313-win_amd64.whl').name).toBe('zope-interface');
    expect(parseWheelFilename('Foo._Bar-1.0-py3-none-any.whl').name).toBe('foo-bar');
  });

  it('normalises the version per PEP 440', () => {
    expect(parseWheelFilename('pkg-1.0RC1-py3-none-any.whl').version).toBe('1.0rc1');
    expect(parseWheelFilename('pkg-2025.11.3-py3-none-any.whl').version).toBe('2025.11.3');
    expect(parseWheelFilename('pkg-1!01.0.post2.dev3+Local_01-py3-none-any.whl').version).toBe('1!1.0.post2.dev3+local.1');
  });

  it('splits a build tag into its number and the rest', () => {
    expect(parseWheelFilename('pkg-1.0-1-py3-none-any.whl').build).toEqual({ tag: '1', number: 1, rest: '' });
    expect(parseWheelFilename('pkg-1.0-12b_x-py3-none-any.whl').build).toEqual({ tag: '12b_x', number: 12, rest: 'b_x' });
  });

  it('expands py2.py3 and the PEP 803 abi3.abi3t set', () => {
    expect(parseWheelFilename('six-1.17.0-py2.py3-none-any.whl').tags).toEqual([
      { interpreter: 'py2', abi: 'none', platform: 'any' },
      { interpreter: 'py3', abi: 'none', platform: 'any' },
    ]);
    expect(parseWheelFilename('pkg-1.0-cp315-abi3.abi3t-win_amd64.whl').tags.map((t) => t.abi)).toEqual(['abi3', 'abi3t']);
  });

  it('accepts PyPy, GraalPy, debug free-threaded and mixed-case tags', () => {
    expect(parseWheelFilename('numpy-2.4.2-pp311-pypy311_pp73-win_amd64.whl').abis).toEqual(['pypy311_pp73']);
    const graal = parseWheelFilename('pydantic_core-2.41.5-graalpy311-graalpy242_311_native-macosx_11_0_arm64.whl');
    expect(graal.interpreters).toEqual(['graalpy311']);
    expect(graal.abis).toEqual(['graalpy242_311_native']);
    expect(parseWheelFilename('pkg-1.0-cp314-cp314td-win_amd64.whl').abis).toEqual(['cp314td']);
    expect(parseWheelFilename('pkg-1.0-CP313-CP313T-WIN_AMD64.whl').tags).toEqual([
      { interpreter: 'cp313', abi: 'cp313t', platform: 'win_amd64' },
    ]);
  });

  it.each(invalid)('refuses $filename with $code ($why)', ({ filename, code }) => {
    let thrown: unknown;
    try {
      parseWheelFilename(filename);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FtbotError);
    expect((thrown as FtbotError).code).toBe(code);
    expect((thrown as FtbotError).message.startsWith('wheels: ')).toBe(true);
  });

  it('quotes the input and the failing part in messages', () => {
    expect(() => parseWheelFilename('numpy-2.3.0-b1-cp313-cp313-win_amd64.whl')).toThrow(
      "wheels: invalid build tag 'b1' in 'numpy-2.3.0-b1-cp313-cp313-win_amd64.whl' (must start with a digit)",
    );
    expect(() => parseWheelFilename('numpy-latest-cp313-cp313-win_amd64.whl')).toThrow(
      "wheels: invalid version 'latest' in 'numpy-latest-cp313-cp313-win_amd64.whl'",
    );
  });

  it('escapes control characters and caps very long input in messages', () => {
    const result = tryParseWheelFilename('a\nb-1.0-py3-none-any.whl');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('a\\u000ab');
    const long = `${'a'.repeat(600)}.whl`;
    const tooLong = tryParseWheelFilename(long);
    expect(tooLong).toMatchObject({ ok: false, error: { code: WHEEL_FILENAME_ERRORS.tooLong } });
    if (!tooLong.ok) expect(tooLong.error.message.length).toBeLessThan(300);
  });

  it('covers every error code with at least one fixture', () => {
    const seen = new Set(invalid.map((c) => c.code));
    for (const code of Object.values(WHEEL_FILENAME_ERRORS)) {
      if (code === WHEEL_FILENAME_ERRORS.tooLong) continue; // built in the test above, too long for a fixture line
      expect(seen.has(code), code).toBe(true);
    }
    expect(invalid.length).toBeGreaterThanOrEqual(20);
  });
});

describe('tryParseWheelFilename', () => {
  it('returns the wheel on success', () => {
    const result = tryParseWheelFilename('flask-3.1.3-py3-none-any.whl');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.wheel.name).toBe('flask');
  });

  it('returns the code and message instead of throwing', () => {
    expect(tryParseWheelFilename('numpy-2.3.0.tar.gz')).toEqual({
      ok: false,
      error: {
        code: 'E_WHEEL_FILENAME_EXTENSION',
        message: "wheels: wheel filename must end in '.whl': 'numpy-2.3.0.tar.gz'",
      },
    });
  });
});
