import { describe, expect, it } from 'vitest';
import { applyEdits, positionEdits } from '../../../src/core/report/edit-positions.js';

describe('applyEdits', () => {
  it('applies non-overlapping edits in any order', () => {
    const text = 'PYBIND11_MODULE(_x, m) {}\n';
    const close = text.indexOf(')');
    expect(applyEdits(text, [{ start: close, end: close, text: ', py::mod_gil_not_used()' }, { start: 0, end: 0, text: '// ported\n' }])).toBe(
      '// ported\nPYBIND11_MODULE(_x, m, py::mod_gil_not_used()) {}\n',
    );
  });

  it('replaces ranges', () => {
    expect(applyEdits('a = PyList_GetItem(l, 0);', [{ start: 4, end: 18, text: 'PyList_GetItemRef' }])).toBe('a = PyList_GetItemRef(l, 0);');
  });
});

describe('positionEdits', () => {
  it('converts offsets to 1-based, end-exclusive line/column ranges', () => {
    const text = 'ab\ncd\nef';
    expect(positionEdits(text, [{ start: 4, end: 7, text: 'X' }])).toEqual([{ line: 2, column: 2, endLine: 3, endColumn: 2, replacement: 'X' }]);
    expect(positionEdits(text, [{ start: 0, end: 0, text: '' }])).toEqual([{ line: 1, column: 1, endLine: 1, endColumn: 1, replacement: '' }]);
  });
});
