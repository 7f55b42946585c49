/**
 * Which preprocessor branches enclose given offsets of a C text, read line by line in one pass.
 * Each branch is its condition and whether the offset sits in its `#else` part.
 */
export interface Branch {
  /** The condition of the `#if`/`#ifdef`/`#ifndef`/`#elif` line, directive word included. */
  condition: string;
  /** True in the `#else` (or a later `#elif`) part of that conditional. */
  negated: boolean;
}

/**
 * The branches around each offset of `offsets` (any order), innermost last. Continuation lines of
 * a directive are joined; comments are not removed.
 *
 * Worked example: in `#if A\n#else\nX\n#endif` the offset of `X` gives
 * `[{ condition: '#if A', negated: true }]`.
 */
export function branchesAt(text: string, offsets: readonly number[]): Map<number, Branch[]> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map<number, Branch[]>();
  const stack: Branch[] = [];
  let next = 0;
  let at = 0;
  while (at <= text.length && next < wanted.length) {
    let end = text.indexOf('\n', at);
    while (end > 0 && text[end - 1] === '\\') end = text.indexOf('\n', end + 1);
    if (end < 0) end = text.length;
    // Offsets on this line see the branches open before it.
    while (next < wanted.length && (wanted[next] ?? 0) < end + 1) out.set(wanted[next++] ?? 0, stack.map((b) => ({ ...b })));
    const line = text.slice(at, end).trimStart();
    const m = /^#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)/s.exec(line);
    if (m !== null) {
      const word = m[1] ?? '';
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') stack.push({ condition: `#${word}${(m[2] ?? '').replace(/\\\n/g, ' ')}`, negated: false });
      else if (word === 'endif') stack.pop();
      else {
        const top = stack.at(-1);
        if (top !== undefined) top.negated = true;
      }
    }
    at = end + 1;
  }
  for (; next < wanted.length; next++) out.set(wanted[next] ?? 0, stack.map((b) => ({ ...b })));
  return out;
}
