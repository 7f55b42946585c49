import { describe, expect, it } from 'vitest';
import { matchGlob } from '../../../src/core/parsing/match-glob.js';
import { freeThreadedSelector } from '../../../src/core/rules/ft031-cibuildwheel-skips-free-threaded.js';

describe('matchGlob', () => {
  it.each([
    ['cp3??t-*', 'cp314t-win_amd64', true],
    ['cp3??t-*', 'cp314-win_amd64', false],
    ['*t-*', 'cp314t-manylinux_x86_64', true],
    ['cp31[34]t-*', 'cp314t-macosx_arm64', true],
    ['cp31[!4]t-*', 'cp314t-macosx_arm64', false],
    ['cp31[0-9]t-*', 'cp315t-manylinux_x86_64', true],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['[', '[', true],
    ['pp*', 'cp314t-win_amd64', false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(matchGlob(pattern, text)).toBe(expected);
  });

  it('answers in bounded steps on a selector that backtracks exponentially as a regex', () => {
    // 40 stars then a character that never matches: a `RegExp` of `.*` runs did not finish here.
    const pattern = `${'*'.repeat(40)}Z`;
    expect(matchGlob(pattern, 'cp314t-manylinux_x86_64'.repeat(50))).toBe(false);
    expect(freeThreadedSelector(`${'*'.repeat(4000)}Z ${'*?'.repeat(2000)}Z`)).toBeUndefined();
  });
});
