import { describe, expect, it } from 'vitest';
import { normalizeVersion } from '../../../src/core/wheels/normalize-version.js';

describe('normalizeVersion', () => {
  it.each([
    ['1.0', '1.0'],
    ['v1.0', '1.0'],
    ['1.0a', '1.0a0'],
    ['1.0-alpha.2', '1.0a2'],
    ['1.0beta3', '1.0b3'],
    ['1.0c1', '1.0rc1'],
    ['1.0preview4', '1.0rc4'],
    ['1.0-1', '1.0.post1'],
    ['1.0.rev', '1.0.post0'],
    ['1.0dev', '1.0.dev0'],
    ['0!007.010', '7.10'],
    ['1.0+Ubuntu-01.b', '1.0+ubuntu.1.b'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizeVersion(input)).toBe(expected);
  });

  it.each(['', 'latest', '1.0.x', '1..0', '1.0+', '1.0+a..b', '.1'])('refuses %j', (input) => {
    expect(normalizeVersion(input)).toBeUndefined();
  });
});
