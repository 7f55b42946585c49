/**
 * Splits C/C++ source into top-level segments (one function definition, one declaration, one
 * initialised array …) with a single linear pass that understands comments, string and character
 * literals, raw strings and preprocessor lines, but nothing else.
 *
 * Why: a tree-sitter parse of a whole file costs about 70× a regex pass over it, and most files
 * with a hit have a handful of hits in one or two functions. Parsing only the segments that hold a
 * hit (through tree-sitter's `includedRanges`, so node positions stay those of the file) keeps a
 * scan of CPython's sources within a small multiple of `rg`.
 *
 * Worked example:
 *
 *   static int x;                      → segment [0, 13)     ends at the `;` at depth 0
 *   // comment                         → skipped between segments
 *   static PyObject *f(PyObject *a) {  → segment starts at `static` …
 *   #ifdef A                              … preprocessor lines inside a segment stay in it
 *       if (a) {                          (`#else` restarts the brace depth of its `#if`)
 *   #else
 *       if (!a) {
 *   #endif
 *       }
 *   }                                  … and ends at the `}` that closes the body after `)`
 *
 * `extern "C" {` and `namespace x {` blocks are transparent: their contents are split as if at
 * top level. When the braces do not balance, `balanced` is false and callers parse the whole file.
 */
export type Segment = { start: number; end: number };
export type SegmentSplit = { segments: Segment[]; balanced: boolean };

const SLASH = 47;
const STAR = 42;
const NEWLINE = 10;
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const SEMI = 59;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

type BraceKind = 'body' | 'transparent';

// The last split, reused: the parse phase and the shared-state analysis both split each file
// (same text, one after the other), and the pass was 4% of a `--select ALL` scan.
let lastText: string | undefined;
let lastSplit: SegmentSplit | undefined;

/**
 * Returns the segments of `text`; see the module comment for what a segment is. The last result
 * is kept and returned again for the same text: callers must not modify it.
 */
export function splitTopLevelSegments(text: string): SegmentSplit {
  if (lastSplit !== undefined && lastText === text) return lastSplit;
  lastSplit = split(text);
  lastText = text;
  return lastSplit;
}

function split(text: string): SegmentSplit {
  const n = text.length;
  const segments: Segment[] = [];
  const braces: BraceKind[] = [];
  // Depth counts only non-transparent braces; 0 means "at top level".
  let depth = 0;
  let segStart = -1;
  // Whether the `{` that opened the current top-level body starts a function body.
  let opensFunctionBody = false;
  // Stack for #if/#elif/#else/#endif: the depth and brace stack size when the #if was seen, and
  // the depth at the end of its first branch (the one we keep).
  const ppStack: Array<{ depth: number; braces: number; firstEnd: number; firstBraces: BraceKind[] | undefined }> = [];
  let balanced = true;
  let atLineStart = true;
  let i = 0;

  const closeSegment = (end: number): void => {
    if (segStart >= 0) segments.push({ start: segStart, end });
    segStart = -1;
  };

  // The next offset of each character the loop acts on (found with `indexOf`, which is far faster
  // than looking at every character): `/` `#` `"` `'` `{` `}`, and `;` (only at top level).
  // Everything between two of them is blanks, newlines and other code: `skipSpan` applies its
  // effect (line starts, where a segment starts) without a step per character.
  const acted = ['/', '#', '"', "'", '{', '}', ';'];
  const next = acted.map(() => -1);
  const nextActed = (from: number): number => {
    let best = n;
    for (let k = 0; k < acted.length; k++) {
      if (k === 6 && depth !== 0) continue;
      let at = next[k] as number;
      if (at < from && at !== n) {
        at = text.indexOf(acted[k] as string, from);
        if (at < 0) at = n;
        next[k] = at;
      }
      if (at < best) best = at;
    }
    return best;
  };
  const skipSpan = (from: number, to: number): void => {
    // A segment starts at the first character that is not a blank or a newline.
    if (segStart < 0 && depth === 0) {
      let k = from;
      while (k < to && isSpace(text.charCodeAt(k))) k++;
      if (k < to) segStart = k;
    }
    // After the span, a line has started when only blanks follow its last newline; when the span
    // is all blanks, the state before it holds.
    for (let k = to - 1; k >= from; k--) {
      const d = text.charCodeAt(k);
      if (d === NEWLINE) {
        atLineStart = true;
        return;
      }
      if (!isSpace(d)) {
        atLineStart = false;
        return;
      }
    }
  };

  while (i < n) {
    const at = nextActed(i);
    if (at > i) skipSpan(i, at);
    i = at;
    if (i >= n) break;
    const c = text.charCodeAt(i);
    // Comments.
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      i = skipLine(text, i);
      continue;
    }
    // Preprocessor directive: only at the start of a line (after white space).
    if (c === HASH && atLineStart) {
      const lineEnd = skipLine(text, i);
      const directive = /^#\s*(\w+)/.exec(text.slice(i, Math.min(lineEnd, i + 40)))?.[1] ?? '';
      if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
        ppStack.push({ depth, braces: braces.length, firstEnd: -1, firstBraces: undefined });
      } else if (directive === 'elif' || directive === 'else' || directive === 'elifdef' || directive === 'elifndef') {
        const top = ppStack[ppStack.length - 1];
        if (top !== undefined) {
          if (top.firstEnd < 0) {
            top.firstEnd = depth;
            top.firstBraces = braces.slice();
          }
          depth = top.depth;
          braces.length = top.braces;
        }
      } else if (directive === 'endif') {
        const top = ppStack.pop();
        if (top !== undefined && top.firstEnd >= 0 && top.firstBraces !== undefined) {
          depth = top.firstEnd;
          braces.length = 0;
          braces.push(...top.firstBraces);
        }
      }
      i = lineEnd;
      continue;
    }
    atLineStart = false;
    if (segStart < 0 && depth === 0) segStart = i;

    if (c === DQUOTE || c === SQUOTE) {
      // C++ raw string literal: R"delim( … )delim" (also u8R, LR …).
      if (c === DQUOTE && i > 0 && text.charCodeAt(i - 1) === 82 && !isIdentChar(text.charCodeAt(i - 2) || 0)) {
        const open = text.indexOf('(', i);
        const delim = open < 0 ? '' : text.slice(i + 1, open);
        const close = open < 0 ? -1 : text.indexOf(`)${delim}"`, open);
        i = close < 0 ? n : close + delim.length + 2;
      } else {
        i = skipQuoted(text, i, c);
      }
      continue;
    }
    if (c === LBRACE) {
      if (depth === 0 && isTransparentOpen(text, segStart < 0 ? i : segStart, i)) {
        braces.push('transparent');
        segStart = -1;
      } else {
        braces.push('body');
        if (depth === 0) opensFunctionBody = looksLikeFunctionHead(text.slice(segStart < 0 ? i : segStart, i));
        depth++;
      }
      i++;
      continue;
    }
    if (c === RBRACE) {
      const kind = braces.pop();
      if (kind === undefined) {
        balanced = false;
        i++;
        continue;
      }
      if (kind === 'transparent') {
        closeSegment(i);
        i++;
        continue;
      }
      depth--;
      i++;
      if (depth === 0 && opensFunctionBody) {
        // A function body ends the segment (no `;` follows a function definition).
        closeSegment(i);
      }
      continue;
    }
    if (c === SEMI && depth === 0) {
      closeSegment(i + 1);
      i++;
      continue;
    }
    // A `/` that starts no comment, a `#` after code on its line.
    i++;
  }
  if (depth !== 0 || braces.length !== 0) balanced = false;
  if (segStart >= 0) closeSegment(n);
  return { segments, balanced };
}

function skipLine(text: string, from: number): number {
  let i = from;
  for (;;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    // A backslash before the newline (optionally before \r) continues the line.
    let k = nl - 1;
    if (text.charCodeAt(k) === 13) k--;
    if (text.charCodeAt(k) === BACKSLASH) {
      i = nl + 1;
      continue;
    }
    return nl + 1;
  }
}

function skipQuoted(text: string, from: number, quote: number): number {
  let i = from + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    // An unterminated literal ends at the line end; the compiler would reject it anyway.
    if (c === NEWLINE) return i;
    i++;
  }
  return n;
}

/**
 * True when the text before a top-level `{` reads as a function head (`int f(void)`,
 * `PYBIND11_MODULE(m, mod)`, `void C::f() const`), false for an initialiser (`= {`) or a
 * struct/union/enum/class definition, which run on to their `;`.
 */
function looksLikeFunctionHead(head: string): boolean {
  if (/=\s*$/.test(head)) return false;
  if (/\b(struct|union|enum|class)\b[^()]*$/.test(head)) return false;
  return head.includes(')');
}

/** True for `extern "C" {` and `namespace name {` (C++), whose contents are top-level code. */
function isTransparentOpen(text: string, segStart: number, brace: number): boolean {
  const head = text.slice(segStart, brace).trim();
  return /^extern\s+"C(\+\+)?"$/.test(head) || /^(inline\s+)?namespace(\s+[\w:]+)?(\s+__attribute__\s*\(\(.*\)\))?$/.test(head);
}

/**
 * Returns the merged segments that contain any of `offsets`, sorted.
 *
 * @param split
 *   the result of `splitTopLevelSegments`
 * @param offsets
 *   UTF-16 offsets of hits, in any order
 */
export function segmentsContaining(split: SegmentSplit, offsets: readonly number[]): Segment[] {
  const { segments } = split;
  const picked = new Set<number>();
  for (const offset of offsets) {
    const k = indexContaining(segments, offset);
    if (k >= 0) picked.add(k);
  }
  return [...picked].sort((a, b) => a - b).map((k) => segments[k] as Segment);
}

/** Index of the segment of `segments` (sorted, disjoint) that contains `offset`, or -1. */
function indexContaining(segments: readonly Segment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid] as Segment;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * `segments` (sorted, from `segmentsContaining`) plus the comment or `#define` line holding each
 * offset that lies in no segment, so a hit in a macro between two functions is parsed also when
 * other hits sit in functions. An offset in anything else between segments (a conditional's
 * expression) adds nothing.
 */
export function withGapSpans(text: string, split: SegmentSplit, segments: Segment[], offsets: readonly number[]): Segment[] {
  const extra = new Map<number, Segment>();
  for (const offset of offsets) {
    if (indexContaining(segments, offset) >= 0) continue;
    for (const span of gapSpansHolding(text, split, [offset]) ?? []) extra.set(span.start, span);
  }
  return extra.size === 0 ? segments : [...segments, ...extra.values()].sort((a, b) => a.start - b.start);
}

/**
 * For offsets that lie in no segment (between segments a file has only blanks, comments,
 * preprocessor lines and the braces of `extern "C"` and `namespace` blocks): the comment or
 * `#define` / `#undef` / `#include` line (continuations included) holding each one, sorted.
 * Parsed alone, such a span gives a hit the same node type as a parse of the whole file (a
 * comment, a macro's name or body, a header name), at a fraction of the cost. Undefined when an
 * offset sits in anything else (a conditional's expression, another directive): the caller then
 * parses the whole file.
 *
 * Worked example: in `int a;\n#define GET(d, k) PyDict_GetItem(d, k)\nint b;` the offset of
 * `PyDict_GetItem` gives the span of the `#define` line.
 */
export function gapSpansHolding(text: string, split: SegmentSplit, offsets: readonly number[]): Segment[] | undefined {
  const { segments } = split;
  const spans = new Map<number, Segment>();
  for (const offset of offsets) {
    // The gap holding `offset`: from the end of the last segment before it to the next start.
    let lo = 0;
    let hi = segments.length - 1;
    let before = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((segments[mid] as Segment).start <= offset) {
        before = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const gapStart = before < 0 ? 0 : (segments[before] as Segment).end;
    const gapEnd = before + 1 < segments.length ? (segments[before + 1] as Segment).start : text.length;
    if (offset < gapStart || offset >= gapEnd) return undefined;
    const span = gapItemAt(text, gapStart, gapEnd, offset);
    if (span === undefined) return undefined;
    spans.set(span.start, span);
  }
  return [...spans.values()].sort((a, b) => a.start - b.start);
}

/** The comment or `#define` / `#undef` / `#include` line of the gap `[from, to)` that holds `offset`, read from the gap's start. */
function gapItemAt(text: string, from: number, to: number, offset: number): Segment | undefined {
  let i = from;
  let lineStart = true;
  while (i < to && i <= offset) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === NEWLINE) lineStart = true;
      i++;
      continue;
    }
    let end: number;
    let kept = true;
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      end = close < 0 ? text.length : close + 2;
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      end = skipLine(text, i);
      lineStart = true;
    } else if (c === HASH && lineStart) {
      end = skipLine(text, i);
      kept = /^#[ \t]*(?:define|undef|include)\b/.test(text.slice(i, i + 40));
      lineStart = true;
    } else if (c === RBRACE) {
      // The end of an `extern "C"` or `namespace` block.
      end = i + 1;
      kept = false;
      lineStart = false;
    } else {
      // The head of an `extern "C" {` or `namespace x {` block; anything else is not a gap's.
      const open = /^(?:extern\s+"C(?:\+\+)?"|(?:inline\s+)?namespace(?:\s+[\w:]+)?)\s*\{/.exec(text.slice(i, i + 200));
      if (open === null) return undefined;
      end = i + open[0].length;
      kept = false;
      lineStart = false;
    }
    if (offset < end) return kept ? { start: i, end: Math.min(end, to) } : undefined;
    i = end;
  }
  return undefined;
}
