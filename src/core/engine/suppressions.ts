import type { Diagnostic, Finding } from '../diagnostics.js';
import { ruleIdsIn } from '../rules/index.js';
import type { RuleCategory } from './define-rule.js';

/**
 * Inline suppressions, in the comment syntax of each language. Where a comment is decides what it
 * covers, as in ruff and ESLint:
 *
 *   x = PyDict_GetItem(d, k);  // ftbot: ignore[FT001] d is private   → this line only
 *   // ftbot: ignore[FT001] d is private                              → the next line only
 *   // ftbot: ignore-next-line[FT001] d is private                    → the next line, wherever it stands
 *   // ftbot: ignore-file[FT014] statics are set at init              → the whole file
 *   x = PyDict_GetItem(d, k);  // NOLINT(FT001)                       → this line (clang-tidy's form)
 *   // NOLINTNEXTLINE(FT001, bugprone-foo)                            → the next line; non-FT names are ignored
 *   x = PyDict_GetItem(d, k);  # noqa: FT001, FT002                   → this line (flake8's form)
 *   x = PyDict_GetItem(d, k);  // noqa: borrowed-ref OK               → NumPy's annotation for the
 *                                                                       borrowed-reference rules
 *
 * Ids are case-insensitive. A bare `NOLINT` or `noqa` without ids suppresses nothing: ftbot only
 * honours suppressions that name its rules (NumPy's `borrowed-ref` counts as naming them).
 */
export type Suppression = {
  /** The line the comment is on. */
  line: number;
  /** The line it covers (0 for file-wide suppressions). */
  target: number;
  ruleIds: string[];
  file: boolean;
  used: boolean;
  raw: string;
  /** NumPy's annotation serves NumPy's own tooling too, so it is never reported as unused. */
  form: 'ftbot' | 'nolint' | 'noqa' | 'numpy';
};

/**
 * The categories NumPy's `noqa: borrowed-ref` annotation stands for: every rule about a borrowed
 * reference — the borrowed calls themselves, the removed `PyWeakref_GetObject` (it returns one)
 * and unlocked iteration (the items it reads are borrowed).
 */
const borrowedRefCategories: readonly RuleCategory[] = ['borrowed-reference', 'removed-api', 'unlocked-iteration'];

/** Rules that NumPy's `noqa: borrowed-ref` annotation stands for, from their metadata (sorted by id). */
export const borrowedRefRuleIds: readonly string[] = borrowedRefCategories.flatMap((c) => [...ruleIdsIn(c)]).sort();

// Each pattern is sticky (`y`) and bounded, matched right after a marker found with indexOf, so
// the cost stays linear in the text. Examples (input after the marker → groups):
//   ' ignore[FT001, FT002] why'  → ['', 'FT001, FT002']
//   ' ignore-next-line[FT001]'   → ['-next-line', 'FT001']
const ftbotTail = /\s*ignore(-file|-next-line)?\[([A-Za-z0-9,\s]{0,200})\]/y;
//   'NEXTLINE(FT001,misc-x)' → ['NEXTLINE', 'FT001,misc-x'];  '(FT001)' → [undefined, 'FT001']
const nolintTail = /(NEXTLINE)?\(([^)\n]{0,500})\)/y;
//   ': FT001, FT002 reason' → ['FT001, FT002'];  ': borrowed-ref OK' → no match (handled apart)
const noqaTail = /:\s*(FT\d{3}(?:[\s,]+FT\d{3}){0,50})/iy;
const noqaNumpy = /:\s*borrowed-ref\b/y;
const ruleIdPattern = /\bFT\d{3}\b/gi;

/** True when `text` may hold a suppression comment (a cheap test before `findSuppressions`). */
export function mayHoldSuppressions(text: string): boolean {
  return text.includes('ftbot:') || text.includes('NOLINT') || text.includes('noqa');
}

/** Finds every suppression comment in `text`; `lineAt` maps an offset to its 1-based line. */
export function findSuppressions(text: string, lineAt: (offset: number) => number): Suppression[] {
  const found: Suppression[] = [];
  // Scope: `line` is the comment's own line when trailing and the next line when alone; `own`
  // is always the comment's own line (clang-tidy's NOLINT, flake8's noqa); `next` the next line.
  const add = (at: number, end: number, ids: string[], scope: 'line' | 'own' | 'next' | 'file', form: Suppression['form']): void => {
    const comment = commentAround(text, at);
    if (comment === undefined || ids.length === 0) return;
    const line = lineAt(at);
    const next = lineAt(comment.end) + 1;
    const target = scope === 'file' ? 0 : scope === 'own' ? line : scope === 'next' || comment.ownLine ? next : line;
    found.push({ line, target, ruleIds: ids, file: scope === 'file', used: false, raw: text.slice(at, end), form });
  };
  for (const at of occurrences(text, 'ftbot:')) {
    ftbotTail.lastIndex = at + 'ftbot:'.length;
    const m = ftbotTail.exec(text);
    if (m === null) continue;
    const scope = m[1] === '-file' ? 'file' : m[1] === '-next-line' ? 'next' : 'line';
    add(at, ftbotTail.lastIndex, idsIn(m[2] ?? ''), scope, 'ftbot');
  }
  for (const at of occurrences(text, 'NOLINT')) {
    nolintTail.lastIndex = at + 'NOLINT'.length;
    const m = nolintTail.exec(text);
    if (m !== null) add(at, nolintTail.lastIndex, idsIn(m[2] ?? ''), m[1] === undefined ? 'own' : 'next', 'nolint');
  }
  for (const at of occurrences(text, 'noqa')) {
    const from = at + 'noqa'.length;
    noqaNumpy.lastIndex = from;
    if (noqaNumpy.test(text)) {
      add(at, noqaNumpy.lastIndex, [...borrowedRefRuleIds], 'line', 'numpy');
      continue;
    }
    noqaTail.lastIndex = from;
    const m = noqaTail.exec(text);
    if (m !== null) add(at, noqaTail.lastIndex, idsIn(m[1] ?? ''), 'own', 'noqa');
  }
  return found.sort((a, b) => a.line - b.line);
}

/**
 * Drops suppressed findings and returns the rest, plus an `unused-suppression` diagnostic (ruff's
 * RUF100) for each suppression that names an enabled rule but matched nothing. NumPy's
 * annotations are not reported: NumPy's own checker reads them too.
 */
export function applySuppressions(
  findings: Finding[],
  suppressions: Suppression[],
  enabledRuleIds: ReadonlySet<string>,
  path: string,
): { findings: Finding[]; diagnostics: Diagnostic[] } {
  if (suppressions.length === 0) return { findings, diagnostics: [] };
  const kept = findings.filter((finding) => {
    const match = suppressions.find(
      (s) => s.ruleIds.includes(finding.ruleId) && (s.file || (s.target >= finding.line && s.target <= finding.endLine)),
    );
    if (match === undefined) return true;
    match.used = true;
    return false;
  });
  const diagnostics: Diagnostic[] = suppressions
    .filter((s) => !s.used && s.form !== 'numpy' && s.ruleIds.some((id) => enabledRuleIds.has(id)))
    .map((s) => ({ kind: 'unused-suppression', path, line: s.line, message: `unused suppression for ${s.ruleIds.filter((id) => enabledRuleIds.has(id)).join(', ')}` }));
  return { findings: kept, diagnostics };
}

function* occurrences(text: string, needle: string): Generator<number> {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) yield at;
}

function idsIn(list: string): string[] {
  return [...new Set([...list.matchAll(ruleIdPattern)].map((m) => m[0].toUpperCase()))];
}

/**
 * The comment that holds offset `at`, when there is one on the same line: opened by `//`, `/*`
 * or `#` before `at`, or a line inside a block comment (first non-blank character `*`).
 * `ownLine` is true when only white space precedes the comment; `end` is where the comment ends
 * (the closing `* /` of a block comment, else `at`).
 */
function commentAround(text: string, at: number): { ownLine: boolean; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  const opener = firstOpener(before);
  if (opener === undefined) return undefined;
  const ownLine = before.slice(0, opener.index).trim() === '';
  let end = at;
  if (opener.block) {
    const close = text.indexOf('*/', at);
    if (close >= 0) end = close;
  }
  return { ownLine, end };
}

/**
 * The comment opener on a line before the marker. `//` and `/*` win over `#`, because in C a
 * `#` starts a preprocessor line (`#define X f() // NOLINT(FT001)` is a trailing comment), while
 * in Cython it is the only comment syntax.
 */
function firstOpener(before: string): { index: number; block: boolean } | undefined {
  const candidates = [
    { index: before.indexOf('//'), block: false },
    { index: before.indexOf('/*'), block: true },
  ].filter((c) => c.index >= 0);
  const trimmed = before.trimStart();
  if (trimmed.startsWith('*') && !trimmed.startsWith('*/')) candidates.push({ index: before.length - trimmed.length, block: true });
  if (candidates.length === 0) {
    const hash = before.indexOf('#');
    return hash < 0 ? undefined : { index: hash, block: false };
  }
  return candidates.reduce((a, b) => (b.index < a.index ? b : a));
}
