/**
 * One-pass readers of Cython lines for the shared-state analysis. Each gives what a pattern used to
 * give (shown with each function), without the retries that made the patterns polynomial or
 * exponential on a long line: blanks that two quantifiers could share, `except` clauses that
 * could split a word many ways, and unanchored searches that scanned to the end of the line again
 * from every word. Lines come trimmed at both ends.
 */

/** `\s` of a pattern, with a fast answer for printable ASCII. */
function isBlank(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code > 0x20 && code < 0x7f) return false;
  return /\s/.test(c);
}

/** `\w` of a pattern. */
function isWord(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** `[A-Za-z_]`. */
function isWordStart(c: string | undefined): boolean {
  return isWord(c) && !(c !== undefined && c >= '0' && c <= '9');
}

function skipBlanks(code: string, from: number): number {
  let i = from;
  while (isBlank(code[i])) i++;
  return i;
}

function skipWord(code: string, from: number): number {
  let i = from;
  while (isWord(code[i])) i++;
  return i;
}

/**
 * True when a `def`/`cpdef`/`cdef` line ends its signature: it ends in `:` or `,`, or its last `)`
 * is followed only by a return annotation and qualifiers (`nogil`, `noexcept`, `except -1`,
 * `with gil`). Was `/:\s*$|\)\s*(?:->\s*[\w.[\], ]+)?\s*(?:nogil|noexcept|except\s*[\w*?-]*|with\s+gil|\s)*:?\s*$|,\s*$/`.
 */
export function endsSignature(code: string): boolean {
  if (code.endsWith(':') || code.endsWith(',')) return true;
  // Nothing after a `)` holds a `)`, so only the last one can start the tail.
  const close = code.lastIndexOf(')');
  if (close < 0) return false;
  const tail = code.slice(close + 1);
  const n = tail.length;
  // qualifiers[i]: tail[i..] is a run of qualifiers and blanks. firstFrom[i]: the first such i' ≥ i.
  const qualifiers = new Uint8Array(n + 1);
  const firstFrom = new Int32Array(n + 2).fill(n + 1);
  const blankEnd = new Int32Array(n + 1);
  const exceptEnd = new Int32Array(n + 1);
  qualifiers[n] = 1;
  firstFrom[n] = n;
  blankEnd[n] = n;
  exceptEnd[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    const c = tail[i];
    blankEnd[i] = isBlank(c) ? (blankEnd[i + 1] ?? n) : i;
    exceptEnd[i] = c !== undefined && /[\w*?-]/.test(c) ? (exceptEnd[i + 1] ?? n) : i;
    let ok = false;
    if (isBlank(c)) ok = qualifiers[i + 1] === 1;
    else if (tail.startsWith('nogil', i)) ok = qualifiers[i + 5] === 1;
    else if (tail.startsWith('noexcept', i)) ok = qualifiers[i + 8] === 1;
    if (!ok && tail.startsWith('except', i)) {
      // `except`, blanks, then any run of `[\w*?-]`: any end from i + 6 to the end of that run.
      const afterBlanks = blankEnd[i + 6] ?? n;
      const last = afterBlanks < n ? (exceptEnd[afterBlanks] ?? n) : n;
      ok = (firstFrom[i + 6] ?? n + 1) <= last;
    }
    if (!ok && tail.startsWith('with', i) && isBlank(tail[i + 4])) {
      const g = blankEnd[i + 4] ?? n;
      ok = tail.startsWith('gil', g) && qualifiers[g + 3] === 1;
    }
    qualifiers[i] = ok ? 1 : 0;
    firstFrom[i] = ok ? i : (firstFrom[i + 1] ?? n + 1);
  }
  if (qualifiers[0] === 1) return true;
  // `-> type` first: the type is a non-empty run of `[\w.[\], ]` that qualifiers may follow.
  const arrow = skipBlanks(tail, 0);
  if (!tail.startsWith('->', arrow)) return false;
  const typeEnd = new Int32Array(n + 1);
  typeEnd[n] = n;
  for (let i = n - 1; i >= 0; i--) typeEnd[i] = /[\w.[\], ]/.test(tail[i] ?? '') ? (typeEnd[i + 1] ?? n) : i;
  const blanks = skipBlanks(tail, arrow + 2);
  for (let start = arrow + 2; start <= blanks && start < n; start++) {
    const end = typeEnd[start] ?? start;
    if (end > start && (firstFrom[start + 1] ?? n + 1) <= end) return true;
  }
  return false;
}

/**
 * The name of a C pointer attribute declared on a line of a `cdef class`: `cdef [public|readonly]
 * T *name`, or `T *name` inside a `cdef:` block. Was
 * `/^(cdef\s+(?:public\s+|readonly\s+)?)[\w.[\], ]+?\s*(\*+)\s*(\w+)\s*$/` and, in a block,
 * `/^()(?!def\b|cdef\b|cpdef\b|property\b)[\w.[\], ]+?\s*(\*+)\s*(\w+)\s*$/`.
 */
export function pointerFieldName(code: string, inCdefBlock: boolean): string | undefined {
  let nameStart = code.length;
  while (nameStart > 0 && isWord(code[nameStart - 1])) nameStart--;
  if (nameStart === code.length) return undefined;
  let stars = nameStart;
  while (stars > 0 && isBlank(code[stars - 1])) stars--;
  if (code[stars - 1] !== '*') return undefined;
  while (stars > 0 && code[stars - 1] === '*') stars--;
  // What precedes the stars: a prefix, then a non-empty type of `[\w.[\], ]`, then blanks.
  const isType = (c: string | undefined): boolean => c !== undefined && /[\w.[\], ]/.test(c);
  const typeThenBlanks = (from: number): boolean => {
    let end = stars;
    while (end > from && isBlank(code[end - 1])) end--;
    if (end === from) return from < stars && code[from] === ' ';
    for (let i = from; i < end; i++) if (!isType(code[i])) return false;
    return true;
  };
  const name = code.slice(nameStart);
  if (inCdefBlock) return !/^(?:def|cdef|cpdef|property)\b/.test(code) && typeThenBlanks(0) ? name : undefined;
  if (!code.startsWith('cdef') || !isBlank(code[4])) return undefined;
  const blanks = skipBlanks(code, 4);
  if (blanks < stars && typeThenBlanks(blanks)) return name;
  // Or blanks only: a space left to the type after the first blank.
  for (let i = 5; i < blanks && i < stars; i++) if (code[i] === ' ' && typeThenBlanks(i)) return name;
  return undefined;
}

/** The names of a `global a, b` line, or undefined. Was `/^global\s+([\w\s,]+)$/`. */
export function globalNames(code: string): string[] | undefined {
  if (!code.startsWith('global') || !isBlank(code[6])) return undefined;
  const names = code.slice(skipBlanks(code, 6));
  if (names === '' || !/^[\w\s,]+$/.test(names)) return undefined;
  return names.split(',').map((n) => n.trim());
}

/** A write on a line: `x = …`, `x.a[k] += …`, `x.append(…)`, or `del x[…]`, as the pattern below grouped it. */
export type LineWrite = {
  index: number;
  text: string;
  base: string | undefined;
  members: string | undefined;
  subscript: string | undefined;
  operator: string | undefined;
  method: string | undefined;
  delBase: string | undefined;
  delMembers: string | undefined;
  /** The C function whose destination buffer this is (`memcpy(swapper.data.as_voidptr, b, 8)`). */
  filledBy?: string;
};

// C calls that write through their first argument: the bytes, or the string, it points to.
const fillingCall = /(?<![\w.])(memcpy|memmove|memset|strcpy|strncpy|strcat|strncat|snprintf|sprintf)\s*\(\s*(?:<[^<>()]*>\s*)?(&\s*)?([A-Za-z_]\w*)((?:\s*\.\s*[A-Za-z_]\w*)*)/g;

/**
 * The destinations of C calls that fill a buffer on one line (`memcpy(swapper.data.as_voidptr, b,
 * 8)`, `memset(&table[0], 0, n)`, `strcpy(<char *>name_buf, s)`): the name the first argument
 * starts from, with its members, as a write of that name. A cast and an `&` before it are skipped.
 *
 * Worked example: `memcpy(swapper.data.as_voidptr, b, 8)` → base `swapper`, members
 * `.data.as_voidptr`, filled by `memcpy`.
 */
export function bufferFills(code: string): LineWrite[] {
  if (!/mem|str|printf/.test(code)) return [];
  const out: LineWrite[] = [];
  for (const m of code.matchAll(fillingCall)) {
    const base = m[3] ?? '';
    const index = m.index + m[0].length - (m[4] ?? '').length - base.length;
    const members = (m[4] ?? '').replace(/\s+/g, '');
    out.push({ index, text: code.slice(index, m.index + m[0].length), base, members, subscript: undefined, operator: undefined, method: undefined, delBase: undefined, delMembers: undefined, filledBy: m[1] ?? '' });
  }
  return out;
}

/**
 * Writes on one line, left to right, as the global pattern
 * `/(?<![\w.])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)(\[[^\]]*\])?\s*(?:(=(?!=)|[-+*\/%&|^]=|\/\/=|\*\*=)|\.(\w+)\s*\()|\bdel\s+([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\[/g`
 * matched them; a subscript's end is found once, not again from every word inside it.
 */
export function lineWrites(code: string): LineWrite[] {
  const out: LineWrite[] = [];
  let closeFrom = -1;
  let close = -1;
  const nextClose = (from: number): number => {
    if (closeFrom < 0 || from < closeFrom || (close >= 0 && from > close)) {
      closeFrom = from;
      close = code.indexOf(']', from);
    }
    return close;
  };
  // The end of a chain of `.name` members from `from`, each member's end in order.
  const chain = (from: number): number[] => {
    const ends = [from];
    let c = from;
    while (code[c] === '.' && isWordStart(code[c + 1])) {
      c = skipWord(code, c + 1);
      ends.push(c);
    }
    return ends;
  };
  // After a target: an assignment operator or a `.method(` call. Its end and parts, or undefined.
  const tailAt = (from: number): { end: number; operator?: string; method?: string } | undefined => {
    const y = skipBlanks(code, from);
    const c = code[y];
    if (c === '=' && code[y + 1] !== '=') return { end: y + 1, operator: '=' };
    if (c !== undefined && '-+*/%&|^'.includes(c) && code[y + 1] === '=') return { end: y + 2, operator: code.slice(y, y + 2) };
    if ((code.startsWith('//=', y) || code.startsWith('**=', y))) return { end: y + 3, operator: code.slice(y, y + 3) };
    if (c === '.' && isWord(code[y + 1])) {
      const wordEnd = skipWord(code, y + 1);
      const paren = skipBlanks(code, wordEnd);
      if (code[paren] === '(') return { end: paren + 1, method: code.slice(y + 1, wordEnd) };
    }
    return undefined;
  };
  const none = { base: undefined, members: undefined, subscript: undefined, operator: undefined, method: undefined, delBase: undefined, delMembers: undefined };
  for (let s = 0; s < code.length; ) {
    const before = code[s - 1];
    if (!isWordStart(code[s]) || isWord(before)) {
      s++;
      continue;
    }
    let found: LineWrite | undefined;
    if (before !== '.') {
      const identEnd = skipWord(code, s);
      const ends = chain(identEnd);
      for (let j = ends.length - 1; j >= 0 && found === undefined; j--) {
        const c = ends[j] ?? identEnd;
        const base = { ...none, index: s, base: code.slice(s, identEnd), members: code.slice(identEnd, c) };
        if (code[c] === '[') {
          const end = nextClose(c + 1);
          const tail = end >= 0 ? tailAt(end + 1) : undefined;
          if (tail !== undefined) found = { ...base, subscript: code.slice(c, end + 1), operator: tail.operator, method: tail.method, text: code.slice(s, tail.end) };
        }
        const tail = found === undefined ? tailAt(c) : undefined;
        if (tail !== undefined) found = { ...base, operator: tail.operator, method: tail.method, text: code.slice(s, tail.end) };
      }
    }
    if (found === undefined && code.startsWith('del', s) && isBlank(code[s + 3])) {
      const y = skipBlanks(code, s + 3);
      if (isWordStart(code[y])) {
        const identEnd = skipWord(code, y);
        const ends = chain(identEnd);
        const c = ends[ends.length - 1] ?? identEnd;
        if (code[c] === '[') found = { ...none, index: s, delBase: code.slice(y, identEnd), delMembers: code.slice(identEnd, c), text: code.slice(s, c + 1) };
      }
    }
    if (found === undefined) {
      s++;
      continue;
    }
    out.push(found);
    s = found.index + found.text.length;
  }
  return out;
}

/**
 * Answers about the text before a position of one line, each in constant time after one pass:
 * the innermost open call (`name(` with nothing after it but plain text and closed `(…)` groups,
 * as `/([A-Za-z_]\w*)\s*\((?:[^()]|\([^()]*\))*$/` found it), and whether a condition or
 * return keyword (`/\b(if|elif|while|assert|return)\b/`) comes before it.
 */
export function linePrefixes(code: string): { openCall: (end: number) => string | undefined; keywordBefore: (end: number) => boolean } {
  // open[L]: the `(` whose text up to L is plain or closed one-level groups, or -1. At most one
  // `(` qualifies at depth 0 and one at depth 1 at any point.
  const open = new Int32Array(code.length + 1).fill(-1);
  let atDepth0 = -1;
  let atDepth1 = -1;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(') {
      atDepth1 = atDepth0;
      atDepth0 = i;
    } else if (c === ')') {
      atDepth0 = atDepth1;
      atDepth1 = -1;
    }
    open[i + 1] = atDepth0;
  }
  const names = new Map<number, string | undefined>();
  const nameBefore = (paren: number): string | undefined => {
    if (names.has(paren)) return names.get(paren);
    let end = paren;
    while (end > 0 && isBlank(code[end - 1])) end--;
    let start = end;
    while (start > 0 && isWord(code[start - 1])) start--;
    while (start < end && !isWordStart(code[start])) start++;
    const name = start < end ? code.slice(start, end) : undefined;
    names.set(paren, name);
    return name;
  };
  const keyword = /\b(?:if|elif|while|assert|return)\b/.exec(code);
  const keywordEnd = keyword === null ? Infinity : keyword.index + keyword[0].length;
  return {
    openCall: (end) => {
      const paren = open[end] ?? -1;
      return paren < 0 ? undefined : nameBefore(paren);
    },
    keywordBefore: (end) => keywordEnd <= end,
  };
}

/** Each `[…]` of a path shown as `[…]`: `a[i].b[j]` → `a[…].b[…]` (as `replace(/\[[^\]]*\]/g, '[…]')` did). */
export function collapseSubscripts(path: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = path.indexOf('[', from);
    const close = open < 0 ? -1 : path.indexOf(']', open + 1);
    if (close < 0) break;
    out += `${path.slice(from, open)}[…]`;
    from = close + 1;
  }
  return out + path.slice(from);
}
