import { describe, expect, it } from 'vitest';
import { blankText } from '../../../../src/core/analysis/shared-state/blank-text.js';

describe('blankText', () => {
  it('blanks comments and literal contents, keeping offsets and newlines', () => {
    expect(blankText('x = 1; /* x++ */ s = "x = 2";')).toBe(`x = 1; ${' '.repeat(9)} s = "${' '.repeat(5)}";`);
    expect(blankText('a; // c\nb /* 1\n2 */ c')).toBe('a;     \nb     \n     c');
  });

  it('blanks comments longer than any blank made before, and shorter ones after them', () => {
    const long = `/*${'x'.repeat(3000)}\n${'y'.repeat(5000)}*/`;
    const text = `int a; ${long} int b; /* z */ int c;`;
    const expected = `int a; ${' '.repeat(3002)}\n${' '.repeat(5002)} int b;         int c;`;
    expect(blankText(text)).toBe(expected);
    expect(blankText(text).length).toBe(text.length);
  });

  it('treats # as a comment in Cython only', () => {
    expect(blankText("x = '#' # note", true)).toBe("x = ' '       ");
    expect(blankText('#define N 1 // n', false)).toBe('#define N 1     ');
  });
});
