import { describe, expect, it } from 'vitest';
import { forEachName } from '../../../../src/core/analysis/shared-state/c-model.js';

function names(text: string, skipAfterColon: boolean): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  forEachName(text, 0, text.length, skipAfterColon, (a, b) => out.push([a, text.slice(a, b)]));
  return out;
}

/** The reference: the regexes the scanner replaces, run over the same text. */
function reference(text: string, skipAfterColon: boolean): Array<[number, string]> {
  const re = skipAfterColon ? /(?<![\w.>]|[^:]:)([A-Za-z_]\w*)/g : /(?<![\w.>])([A-Za-z_]\w*)/g;
  return [...text.matchAll(re)].map((m) => [m.index, m[1] ?? '']);
}

describe('forEachName', () => {
  const cases = [
    '{ n = o->n + ::g; s.x = 0x1f + 12u; }',
    ':a b:c ::d x ? y:z; int f : 3;',
    '_a1 1_a a__ $b é c',
    '',
  ];
  it.each(cases)('finds the names the regexes find: %j', (text) => {
    expect(names(text, false)).toEqual(reference(text, false));
    expect(names(text, true)).toEqual(reference(text, true));
  });
});
