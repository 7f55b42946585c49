import type { Finding } from '../diagnostics.js';
import { enclosingFunction, functionName, type createLineIndex } from '../parsing/syntax.js';
import type { Anchor, FactsReportDescriptor, ReportDescriptor, Rule } from './define-rule.js';
import { hashOn, hexOf, INITIAL, type HashState } from './fingerprint.js';

export type LineIndex = ReturnType<typeof createLineIndex>;

/**
 * What the findings of one file share, computed once per line instead of once per finding: the
 * line's folded text, and the fingerprint key with its hash so far. A line that holds thousands
 * of findings (generated or minified code) would otherwise be sliced, folded and hashed for each,
 * quadratic in the line's length.
 */
export interface LineMemo {
  texts: Map<number, string>;
  keys: Map<string, { key: string; lineText: string; state: HashState }>;
}

export function createLineMemo(): LineMemo {
  return { texts: new Map(), keys: new Map() };
}

/**
 * Returns the `report` function a rule gets for one file: each call turns a descriptor into a
 * `Finding` (position, filled message and help, fix, symbol, fingerprint) and adds it to `into`.
 *
 * The fingerprint hashes the rule, path, symbol and the flagged line with white space folded, plus
 * an occurrence count for identical lines, so moving code keeps it. `seen` holds those counts and
 * is shared by every rule run on the file.
 */
export function createReporter(params: {
  rule: Rule;
  path: string;
  text: string;
  lineIndex: () => LineIndex;
  seen: Map<string, number>;
  into: Finding[];
  /** Shared by every rule run on the file, like `seen`. */
  memo?: LineMemo;
}): (descriptor: ReportDescriptor<string>) => void {
  const { rule, path, text, seen, into, memo } = params;
  return (d) => {
    const lineIndex = params.lineIndex();
    const start = d.node?.startIndex ?? d.start ?? 0;
    const end = d.node?.endIndex ?? d.end ?? start;
    const fn = d.node === undefined ? undefined : enclosingFunction(d.node);
    const symbol = d.symbol ?? (fn === undefined ? undefined : functionName(fn));
    const finding = findingAt(rule, path, anchorOf(text, lineIndex, start, end, memo), { ...d, ...(symbol === undefined ? {} : { symbol }) }, seen, memo);
    if (d.related !== undefined && d.related.length > 0) {
      finding.related = d.related.map((r) => {
        if (!('start' in r)) return { path: r.path, line: r.at.line, column: r.at.column, message: r.message };
        if (r.end === undefined || r.end <= r.start) return { path, ...lineIndex(r.start), message: r.message };
        const end = lineIndex(r.end);
        return { path, ...lineIndex(r.start), endLine: end.line, endColumn: end.column, message: r.message };
      });
    }
    if (d.fix !== undefined && rule.meta.fix !== 'never') {
      const ranges = d.fix.edits.map((e) => {
        const a = lineIndex(e.start);
        const b = lineIndex(e.end);
        return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
      });
      finding.fix = { title: d.fix.title ?? finding.help ?? rule.meta.title, applicability: rule.meta.fix, edits: d.fix.edits, ranges };
    }
    into.push(finding);
  };
}

/**
 * The `report` of a facts-only project rule: the same `Finding` a file rule's report at the same
 * place would give (position, message, fingerprint), built from an anchor instead of the text.
 * `seenByPath` keeps the fingerprint occurrence counts of each file.
 */
export function createFactsReporter(params: {
  rule: Rule;
  seenByPath: Map<string, Map<string, number>>;
  into: Finding[];
}): (descriptor: FactsReportDescriptor<string>) => void {
  const { rule, seenByPath, into } = params;
  return (d) => {
    let seen = seenByPath.get(d.path);
    if (seen === undefined) seenByPath.set(d.path, (seen = new Map<string, number>()));
    const finding = findingAt(rule, d.path, d.at, d, seen);
    if (d.related !== undefined && d.related.length > 0) {
      finding.related = d.related.map((r) => ({ path: r.path, line: r.at.line, column: r.at.column, message: r.message }));
    }
    into.push(finding);
  };
}

/**
 * Where `start`–`end` sit in `text`, as plain data (lines and columns 1-based, UTF-16 columns).
 *
 * @example
 *   anchorOf('int a;\n  int  b;', idx, 12, 13) // → { line: 2, column: 6, endLine: 2, endColumn: 7, lineText: 'int b;' }
 */
export function anchorOf(text: string, lineIndex: LineIndex, start: number, end: number, memo?: LineMemo): Anchor {
  const a = lineIndex(start);
  const b = lineIndex(end);
  let lineText = memo?.texts.get(a.line);
  if (lineText === undefined) {
    const lineEnd = text.indexOf('\n', start);
    lineText = text.slice(start - (a.column - 1), lineEnd < 0 ? text.length : lineEnd).replace(/\s+/g, ' ').trim();
    memo?.texts.set(a.line, lineText);
  }
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, lineText };
}

/** The finding a report makes at `at` (without related locations or a fix, which differ by reporter). */
function findingAt(
  rule: Rule,
  path: string,
  at: Anchor,
  d: { messageId: string; data?: Record<string, string>; symbol?: string; severity?: Finding['severity']; confidence?: Finding['confidence'] },
  seen: Map<string, number>,
  memo?: LineMemo,
): Finding {
  const template = rule.meta.messages[d.messageId] ?? d.messageId;
  const help = rule.meta.help[d.messageId];
  const { key, state } = fingerprintKey(rule, path, at, d.symbol, memo);
  const occurrence = seen.get(key) ?? 0;
  seen.set(key, occurrence + 1);
  const finding: Finding = {
    ruleId: rule.meta.id,
    ruleName: rule.meta.name,
    path,
    line: at.line,
    column: at.column,
    endLine: at.endLine,
    endColumn: at.endColumn,
    message: fill(template, d.data),
    severity: d.severity ?? rule.meta.severity,
    confidence: d.confidence ?? rule.meta.confidence,
    fingerprint: hexOf(hashOn(state, `\u0000${occurrence}`)),
  };
  if (help !== undefined) finding.help = fill(help, d.data);
  if (d.symbol !== undefined) finding.symbol = d.symbol;
  return finding;
}

/**
 * The key that counts identical lines (rule, path, symbol, folded line) and its hash so far; the
 * fingerprint is that hash continued with the occurrence. With a memo, a line's key string and
 * hash are made once per rule and symbol, and the same string object keeps `seen` lookups cheap.
 */
function fingerprintKey(rule: Rule, path: string, at: Anchor, symbol: string | undefined, memo: LineMemo | undefined): { key: string; state: HashState } {
  const short = memo === undefined ? undefined : `${rule.meta.id}\u0000${symbol ?? ''}\u0000${at.line}`;
  const cached = short === undefined ? undefined : memo?.keys.get(short);
  if (cached !== undefined && cached.lineText === at.lineText) return cached;
  const key = [rule.meta.id, path, symbol ?? '', at.lineText].join('|');
  const made = { key, lineText: at.lineText, state: hashOn(INITIAL, key) };
  if (short !== undefined) memo?.keys.set(short, made);
  return made;
}

/** Fills `{{name}}` placeholders; unknown names stay visible so a test catches them. */
function fill(template: string, data: Record<string, string> | undefined): string {
  if (data === undefined) return template;
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => data[key] ?? whole);
}
