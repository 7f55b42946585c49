import { describe, expect, it } from 'vitest';
import { readsOnly } from '../../../../src/core/analysis/shared-state/analyze-cython.js';

describe('readsOnly', () => {
  it.each(['xmlNodeGetBase', '_hasChild', '_parentElement', 'strlen', '_collectAttributes', 'engine_count', '_isAncestorOrSame', '_copyDocRoot'])('reads a pointer handed to %s', (name) => {
    expect(readsOnly(name)).toBe(true);
  });
  it.each(['engine_step', 'xmlNodeSetName', 'getOrCreate', 'find_and_remove', '_nextElement', 'qh_addpoint', 'engine_free'])('may change a pointer handed to %s', (name) => {
    expect(readsOnly(name)).toBe(false);
  });
});
