import { describe, expect, it } from 'vitest';
import { afterHashOnLine } from '../../../src/core/parsing/source-text.js';

describe('afterHashOnLine', () => {
  const text = 'swig_add_library(a LANGUAGE python)\n# swig_add_library(b LANGUAGE python)\nx = 1  # swig_opts: old\n';
  const at = (needle: string, from = 0): number => text.indexOf(needle, from);

  it('is false for code at the start of a line or after code only', () => {
    expect(afterHashOnLine(text, 0)).toBe(false);
    expect(afterHashOnLine(text, at('x = 1'))).toBe(false);
    expect(afterHashOnLine(text, at('1  #'))).toBe(false);
  });

  it('is true after a `#` on the same line, whole-line or trailing', () => {
    expect(afterHashOnLine(text, at('swig_add_library(b'))).toBe(true);
    expect(afterHashOnLine(text, at('swig_opts'))).toBe(true);
  });

  it('looks at the line of `at` only: a `#` on the line before does not count', () => {
    const next = 'a  # note\nb = 2\n';
    expect(afterHashOnLine(next, next.indexOf('b = 2'))).toBe(false);
  });
});
