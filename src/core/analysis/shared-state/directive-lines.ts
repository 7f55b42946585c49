/** One preprocessor directive found by `directiveLines`: from its line start to the match's end. */
export type DirectiveMatch = { start: number; end: number; match: RegExpExecArray };

/**
 * The matches of `pattern` (sticky, beginning with `#`) that start a line, blanks allowed before
 * the `#`: the same matches, at the same offsets, as `^[ \t]*` followed by `pattern` with the `m`
 * flag. Finding each `#` with `indexOf` and trying the pattern only there is much faster than
 * trying it at every line start.
 *
 * Worked example: with `/#[ \t]*include[ \t]*"/y`, `  #include "a.h"` matches from offset 0;
 * `x = 1; #include "b.h"` does not (code before the `#`).
 */
export function directiveLines(text: string, pattern: RegExp): DirectiveMatch[] {
  const out: DirectiveMatch[] = [];
  for (let i = text.indexOf('#'); i >= 0; ) {
    let k = i - 1;
    while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
    // The line terminators of `^` in a multiline regex: \n, \r, U+2028, U+2029.
    const before = k < 0 ? 10 : text.charCodeAt(k);
    let next = i + 1;
    if (before === 10 || before === 13 || before === 0x2028 || before === 0x2029) {
      pattern.lastIndex = i;
      const m = pattern.exec(text);
      if (m !== null) {
        next = i + m[0].length;
        out.push({ start: k + 1, end: next, match: m });
      }
    }
    i = text.indexOf('#', next);
  }
  return out;
}
