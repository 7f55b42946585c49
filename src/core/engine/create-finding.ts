import type { Finding } from '../diagnostics.js';
import { enclosingFunction, functionName, type createLineIndex } from '../parsing/syntax.js';
import type { ReportDescriptor, Rule } from './define-rule.js';
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
    const a = lineIndex(start);
    const b = lineIndex(end);
    const template = rule.meta.messages[d.messageId] ?? d.messageId;
    const help = rule.meta.help[d.messageId];
    const fn = d.node === undefined ? undefined : enclosingFunction(d.node);
    const symbol = d.symbol ?? (fn === undefined ? undefined : functionName(fn));
    const lineEnd = text.indexOf('\n', start);
    const lineText = text.slice(start - (a.column - 1), lineEnd < 0 ? text.length : lineEnd).replace(/\s+/g, ' ').trim();
    const key = [rule.meta.id, path, symbol ?? '', lineText].join('|');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const finding: Finding = {
      ruleId: rule.meta.id,
      ruleName: rule.meta.name,
      path,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      message: fill(template, d.data),
      severity: d.severity ?? rule.meta.severity,
      confidence: d.confidence ?? rule.meta.confidence,
      fingerprint: fingerprintOf([key, String(occurrence)]),
    };
    if (help !== undefined) finding.help = fill(help, d.data);
    if (symbol !== undefined) finding.symbol = symbol;
    if (d.related !== undefined && d.related.length > 0) {
      finding.related = d.related.map((r) => ({ path, ...lineIndex(r.start), message: r.message }));
    }
    if (d.fix !== undefined && rule.meta.fix !== 'never') {
      finding.fix = { title: finding.help ?? rule.meta.title, applicability: rule.meta.fix, edits: d.fix.edits };
    }
    into.push(finding);
  };
}

/** Fills `{{name}}` placeholders; unknown names stay visible so a test catches them. */
function fill(template: string, data: Record<string, string> | undefined): string {
  if (data === undefined) return template;
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => data[key] ?? whole);
}
