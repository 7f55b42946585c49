import { describe, expect, it } from 'vitest';
import { allowsOlderThan, onlyOlderThan, parseRequirement, type Version } from '../../../src/core/build-files/requirements.js';

const CYTHON_31: Version = [3, 1, 0];

describe('parseRequirement', () => {
  it('reads lower and upper bounds of a PEP 508 string', () => {
    expect(parseRequirement('Cython>=0.29,<3.1')).toEqual({ name: 'cython', spec: '>=0.29,<3.1', min: [0, 29, 0], max: { version: [3, 1, 0], inclusive: false } });
    expect(onlyOlderThan(parseRequirement('cython<=3.1.0')!, CYTHON_31)).toBe(false);
    expect(onlyOlderThan(parseRequirement('cython==3.0.12')!, CYTHON_31)).toBe(true);
  });

  it('reads a pre-release or development cap as excluding its final release', () => {
    for (const text of ['cython<=3.1.0a1', 'cython==3.1.0rc1', 'cython<=3.1.0.dev0', 'cython===3.1.0b2']) {
      const req = parseRequirement(text)!;
      expect(req.max, text).toEqual({ version: [3, 1, 0], inclusive: false });
      expect(onlyOlderThan(req, CYTHON_31), text).toBe(true);
    }
    // A lower bound at a pre-release keeps its release numbers.
    const floor = parseRequirement('cython>=3.1.0a1')!;
    expect(floor.min).toEqual([3, 1, 0]);
    expect(floor.max).toBeUndefined();
    expect(allowsOlderThan(floor, CYTHON_31)).toBe(false);
    // `<` was already exclusive, pre-release or not.
    expect(parseRequirement('cython<3.1.0a1')!.max).toEqual({ version: [3, 1, 0], inclusive: false });
  });
});
