import { describe, expect, it } from 'vitest';
import { extractIdentifiers } from '../../../src/core/knowledge/extract-identifiers.js';

describe('extractIdentifiers', () => {
  it('finds C-API names, rule ids, env vars, options and dotted names', () => {
    expect(
      extractIdentifiers(
        'Is `PyDict_Next` safe? ft003 fired; CIBW_ENABLE and --disable-gil; PyMutex, GILOnceCell, PyO3, abi3t, cp313t; tool.cibuildwheel, sys._is_gil_enabled() and pytest-run-parallel',
      ),
    ).toEqual([
      'PyDict_Next',
      'FT003',
      'CIBW_ENABLE',
      '--disable-gil',
      'PyMutex',
      'GILOnceCell',
      'PyO3',
      'abi3t',
      'cp313t',
      'tool.cibuildwheel',
      'sys._is_gil_enabled',
      'pytest-run-parallel',
    ]);
  });

  it('ignores prose, versions and hex numbers', () => {
    expect(extractIdentifiers('The free-threaded build of Python 3.13, e.g. with 64bit ints and 0x030D00A4.')).toEqual([]);
  });

  it('returns each name once', () => {
    expect(extractIdentifiers('PyMutex PyMutex PyMutex_Lock')).toEqual(['PyMutex', 'PyMutex_Lock']);
  });
});
