import { describe, expect, it } from 'vitest';
import { directiveLines } from '../../../../src/core/analysis/shared-state/directive-lines.js';

/** The reference: the same pattern anchored at line starts with the `m` flag. */
function reference(text: string, body: string): Array<[number, number, string | undefined]> {
  return [...text.matchAll(new RegExp(`^[ \\t]*${body}`, 'gm'))].map((m) => [m.index, m.index + m[0].length, m[1]]);
}

function found(text: string, body: string): Array<[number, number, string | undefined]> {
  return directiveLines(text, new RegExp(body, 'y')).map((d) => [d.start, d.end, d.match[1]]);
}

describe('directiveLines', () => {
  const define = '#[ \\t]*define[ \\t]+(\\w+)((?:[^\\n\\\\]|\\\\[\\s\\S])*)';
  const cases = [
    '#define A 1\n  #  define B(x) x\nint y; #define C 3\n\t#define D \\\n  #define E\n',
    'x = a # define F \\\n#define G 1\n',
    '#if X\r#define H 1\r\n#endif',
    '',
    '####\n # define I\n',
  ];
  it.each(cases)('finds what `^[ \\t]*` with the m flag finds: %j', (text) => {
    expect(found(text, define)).toEqual(reference(text, define));
  });

  it('reports the line start and the match end', () => {
    expect(found('int a;\n  #include "x.h"\n', '#[ \\t]*include[ \\t]*"')).toEqual([[7, 19, undefined]]);
  });
});
