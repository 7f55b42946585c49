/**
 * fnmatch-style matching (`*` any run, `?` one character, `[…]`/`[!…]` a set) without building a
 * regular expression from the pattern: patterns come from repository files, and a `RegExp` made
 * of many `.*` backtracks exponentially. This is the greedy two-pointer algorithm: it remembers
 * only the last `*`, so it runs in O(pattern × text) time in the worst case and O(1) extra memory.
 *
 * Worked example: matchGlob('cp3??t-*', 'cp314t-win_amd64') → true; matchGlob('cp3*', 'pp310-x') → false.
 */
export function matchGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const step = p < pattern.length ? matchOne(pattern, p, text[t] ?? '') : undefined;
    if (step !== undefined && step.kind === 'star') {
      starP = p;
      starT = t;
      p += 1;
    } else if (step !== undefined && step.kind === 'matched') {
      p = step.next;
      t += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starT += 1;
      t = starT;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

type Step = { kind: 'star' } | { kind: 'matched'; next: number } | undefined;

/** What the pattern element at `p` does with character `c`. */
function matchOne(pattern: string, p: number, c: string): Step {
  const ch = pattern[p];
  if (ch === '*') return { kind: 'star' };
  if (ch === '?') return { kind: 'matched', next: p + 1 };
  if (ch === '[') {
    const close = pattern.indexOf(']', p + 2);
    if (close >= 0) {
      let body = pattern.slice(p + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      return inSet(body, c) !== negated ? { kind: 'matched', next: close + 1 } : undefined;
    }
  }
  return ch === c ? { kind: 'matched', next: p + 1 } : undefined;
}

/** Whether `c` is in a set body such as `a-z0-9_`. */
function inSet(body: string, c: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const lo = body[i] ?? '';
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const hi = body[i + 2] ?? '';
      if (c >= lo && c <= hi) return true;
      i += 2;
    } else if (lo === c) return true;
  }
  return false;
}
