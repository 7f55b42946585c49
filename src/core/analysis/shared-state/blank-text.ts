/**
 * The text with comments and the contents of string and character literals replaced by spaces,
 * offsets and newlines kept, so the shared-state analysis can read code with plain regexes and
 * report positions in the original file.
 *
 * Worked example: `x = 1; /* x++ *\/ s = "x = 2";` → `x = 1;            s = "     ";`
 *
 * One linear pass; `#` in Cython (`python: true`) starts a comment, in C it does not.
 */
export function blankText(text: string, python = false): string {
  const out: string[] = [];
  const n = text.length;
  let from = 0;
  let i = 0;
  const blank = (start: number, end: number): void => {
    out.push(text.slice(from, start));
    out.push(text.slice(start, end).replace(/[^\n]/g, ' '));
    from = end;
  };
  while (i < n) {
    const c = text[i];
    if (!python && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      blank(i, end);
      i = end;
    } else if ((!python && c === '/' && text[i + 1] === '/') || (python && c === '#')) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      // Python triple quotes; C `'x'` and `"…"` with backslash escapes.
      const triple = python && text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < n) {
        if (text[j] === '\\') j += 2;
        else if (text.startsWith(quote, j)) break;
        else if (!triple && text[j] === '\n') break;
        else j++;
      }
      const end = Math.min(j, n);
      blank(i + quote.length, end);
      i = end + (end < n && text[end] !== '\n' ? quote.length : 0);
    } else i++;
  }
  out.push(text.slice(from));
  return out.join('');
}
