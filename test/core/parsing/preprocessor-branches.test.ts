import { describe, expect, it } from 'vitest';
import { branchesAt } from '../../../src/core/parsing/preprocessor-branches.js';

describe('branchesAt', () => {
  it('gives the conditionals around each offset, innermost last, with the else part marked', () => {
    const text = ['#if A', 'a', '#  ifdef B', 'b', '#  else', 'c', '#  endif', '#elif C', 'd', '#endif', 'e'].join('\n');
    const at = (s: string) => text.indexOf(`\n${s}`) + 1;
    const got = branchesAt(text, [at('a'), at('b'), at('c'), at('d'), at('e')]);
    expect(got.get(at('a'))).toEqual([{ condition: '#if A', negated: false }]);
    expect(got.get(at('b'))).toEqual([
      { condition: '#if A', negated: false },
      { condition: '#ifdef B', negated: false },
    ]);
    expect(got.get(at('c'))?.at(-1)).toEqual({ condition: '#ifdef B', negated: true });
    expect(got.get(at('d'))).toEqual([{ condition: '#if A', negated: true }]);
    expect(got.get(at('e'))).toEqual([]);
  });

  it('joins a condition continued over several lines', () => {
    const text = '#if defined(X) && \\\n    PY_VERSION_HEX < 0x030D0000\nx\n#endif\n';
    expect(branchesAt(text, [text.indexOf('\nx') + 1]).get(text.indexOf('\nx') + 1)?.[0]?.condition).toContain('PY_VERSION_HEX < 0x030D0000');
  });
});
