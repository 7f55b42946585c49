/**
 * The text with comments and the contents of string and character literals replaced by spaces,
 * offsets and newlines kept, so the shared-state analysis can read code with plain regexes and
 * report positions in the original file.
 *
 * Worked example: `x = 1; /* x++ *\/ s = "x = 2";` → `x = 1;            s = "     ";`
 *
 * One linear pass that jumps from one comment or quote to the next, comparing character codes and
 * blanking a comment line by line (no per-character replace); `#` in Cython
 * (`python: true`) starts a comment, in C it does not.
 */
// Blanks are slices of one string of spaces (grown on demand), not a new `' '.repeat(n)` per
// comment or literal: a slice shares the characters, and the join copies them once.
let spaces = ' '.repeat(1024);
function blanks(length: number): string {
  if (length > spaces.length) spaces = ' '.repeat(Math.max(length, spaces.length * 2));
  return spaces.slice(0, length);
}

export function blankText(text: string, python = false): string {
  const out: string[] = [];
  const n = text.length;
  let from = 0;
  // The first newline at or after an offset; offsets only grow, so each newline is found once
  // (a long line full of strings stays linear).
  let nextNewline = -2;
  const newlineFrom = (at: number): number => {
    if (nextNewline !== -1 && nextNewline < at) nextNewline = text.indexOf('\n', at);
    return nextNewline;
  };
  // Blanks `[start, end)`, keeping its newlines, after copying the text since the last blank.
  const blank = (start: number, end: number): void => {
    out.push(text.slice(from, start));
    let nl = newlineFrom(start);
    if (nl < 0 || nl >= end) out.push(blanks(end - start));
    else {
      let at = start;
      while (nl >= 0 && nl < end) {
        out.push(blanks(nl - at), '\n');
        at = nl + 1;
        nl = newlineFrom(at);
      }
      out.push(blanks(end - at));
    }
    from = end;
  };
  const next = python ? /#|'|"/g : /\/[*/]|'|"/g;
  for (let m = next.exec(text); m !== null; m = next.exec(text)) {
    const i = m.index;
    // Character codes: `/` 47, `*` 42, `#` 35, `\\` 92, newline 10.
    const c = text.charCodeAt(i);
    let resume: number;
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      resume = close < 0 ? n : close + 2;
      blank(i, resume);
    } else if (c === 47 || c === 35) {
      // `//` (the pattern finds `/` only before `*` or `/`), or `#` in Cython.
      const nl = text.indexOf('\n', i);
      resume = nl < 0 ? n : nl;
      blank(i, resume);
    } else {
      const triple = python && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const qlen = triple ? 3 : 1;
      let j = i + qlen;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === c && (!triple || (text.charCodeAt(j + 1) === c && text.charCodeAt(j + 2) === c))) break;
        else if (!triple && d === 10) break;
        else j++;
      }
      const end = Math.min(j, n);
      blank(i + qlen, end);
      resume = end + (end < n && text.charCodeAt(end) !== 10 ? qlen : 0);
    }
    next.lastIndex = Math.max(resume, i + 1);
  }
  out.push(text.slice(from));
  return out.join('');
}
