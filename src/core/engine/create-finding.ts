import type { Finding } from '../diagnostics.js';
import { enclosingFunction, functionName, type createLineIndex } from '../parsing/syntax.js';
import type { Anchor, FactsReportDescriptor, ReportDescriptor, Rule } from './define-rule.js';
import { fingerprintOf } from './fingerprint.js';

export type LineIndex = ReturnType<typeof createLineIndex>;

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
}): (descriptor: ReportDescriptor<string>) => void {
  const { rule, path, text, seen, into } = params;
  return (d) => {
    const lineIndex = params.lineIndex();
    const start = d.node?.startIndex ?? d.start ?? 0;
    const end = d.node?.endIndex ?? d.end ?? start;
    const fn = d.node === undefined ? undefined : enclosingFunction(d.node);
    const symbol = d.symbol ?? (fn === undefined ? undefined : functionName(fn));
    const finding = findingAt(rule, path, anchorOf(text, lineIndex, start, end), { ...d, ...(symbol === undefined ? {} : { symbol }) }, seen);
    if (d.related !== undefined && d.related.length > 0) {
      finding.related = d.related.map((r) => ({ path, ...lineIndex(r.start), message: r.message }));
    }
    if (d.fix !== undefined && rule.meta.fix !== 'never') {
      const ranges = d.fix.edits.map((e) => {
        const a = lineIndex(e.start);
        const b = lineIndex(e.end);
        return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
      });
      finding.fix = { title: finding.help ?? rule.meta.title, applicability: rule.meta.fix, edits: d.fix.edits, ranges };
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
export function anchorOf(text: string, lineIndex: LineIndex, start: number, end: number): Anchor {
  const a = lineIndex(start);
  const b = lineIndex(end);
  const lineEnd = text.indexOf('\n', start);
  const lineText = text.slice(start - (a.column - 1), lineEnd < 0 ? text.length : lineEnd).replace(/\s+/g, ' ').trim();
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, lineText };
}

/** The finding a report makes at `at` (without related locations or a fix, which differ by reporter). */
function findingAt(
  rule: Rule,
  path: string,
  at: Anchor,
  d: { messageId: string; data?: Record<string, string>; symbol?: string; severity?: Finding['severity']; confidence?: Finding['confidence'] },
  seen: Map<string, number>,
): Finding {
  const template = rule.meta.messages[d.messageId] ?? d.messageId;
  const help = rule.meta.help[d.messageId];
  const key = [rule.meta.id, path, d.symbol ?? '', at.lineText].join('|');
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
    fingerprint: fingerprintOf([key, String(occurrence)]),
  };
  if (help !== undefined) finding.help = fill(help, d.data);
  if (d.symbol !== undefined) finding.symbol = d.symbol;
  return finding;
}

/** Fills `{{name}}` placeholders; unknown names stay visible so a test catches them. */
function fill(template: string, data: Record<string, string> | undefined): string {
  if (data === undefined) return template;
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => data[key] ?? whole);
}
