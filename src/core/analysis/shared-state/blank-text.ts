/**
 * The text with comments and the contents of string and character literals replaced by spaces,
 * offsets and newlines kept, so the shared-state analysis can read code with plain regexes and
 * report positions in the original file.
 *
 * Worked example: `x = 1; /* x++ *\/ s = "x = 2";` → `x = 1;            s = "     ";`
 *
 * One linear pass that jumps from one comment or quote to the next; `#` in Cython
 * (`python: true`) starts a comment, in C it does not.
 */
export function blankText(text: string, python = false): string {
  const out: string[] = [];
  const n = text.length;
  let from = 0;
  const blank = (start: number, end: number): void => {
    out.push(text.slice(from, start));
    const piece = text.slice(start, end);
    out.push(piece.includes('\n') ? piece.replace(/[^\n]/g, ' ') : ' '.repeat(piece.length));
    from = end;
  };
  const next = python ? /#|'|"/g : /\/[*/]|'|"/g;
  for (let m = next.exec(text); m !== null; m = next.exec(text)) {
    const i = m.index;
    const c = m[0];
    let resume: number;
    if (c === '/*') {
      const close = text.indexOf('*/', i + 2);
      resume = close < 0 ? n : close + 2;
      blank(i, resume);
    } else if (c === '//' || c === '#') {
      const nl = text.indexOf('\n', i);
      resume = nl < 0 ? n : nl;
      blank(i, resume);
    } else {
      // Python triple quotes; C `'x'` and `"…"` with backslash escapes, ended by a newline at worst.
      const triple = python && text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < n) {
        const d = text[j];
        if (d === '\\') j += 2;
        else if (d === c && text.startsWith(quote, j)) break;
        else if (!triple && d === '\n') break;
        else j++;
      }
      const end = Math.min(j, n);
      blank(i + quote.length, end);
      resume = end + (end < n && text[end] !== '\n' ? quote.length : 0);
    }
    next.lastIndex = Math.max(resume, i + 1);
  }
  out.push(text.slice(from));
  return out.join('');
}
