import type { Diagnostic, Finding } from '../diagnostics.js';
import { VERSION } from '../version.js';
import { fixEditPositions, type PositionedEdit } from './edit-positions.js';

/** The JSON output contract of `ftbot scan --format json` (documented in the README). */
export type JsonReport = {
  version: string;
  findings: Array<{
    ruleId: string;
    path: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    message: string;
    severity: Finding['severity'];
    confidence: Finding['confidence'];
    fix?: { title: string; applicability: string; edits: PositionedEdit[] };
    related?: Array<{ path: string; line: number; column: number; endLine?: number; endColumn?: number; message: string }>;
  }>;
  diagnostics: Diagnostic[];
  stats: { files: number; bytes: number; ms: number };
};

/**
 * Builds the JSON report. Fix edits are given as line/column ranges: those the engine stored with
 * the fix, else from the file's text (`textOf`; findings without fixes never call it).
 */
export function renderJson(params: {
  findings: readonly Finding[];
  diagnostics: readonly Diagnostic[];
  stats: { files: number; bytes: number; ms: number };
  textOf: (path: string) => string | undefined;
}): JsonReport {
  return {
    version: VERSION,
    findings: renderJsonFindings(params.findings, params.textOf),
    diagnostics: [...params.diagnostics],
    stats: params.stats,
  };
}

/** The findings of a JSON report (see `renderJson`). */
export function renderJsonFindings(findings: readonly Finding[], textOf: (path: string) => string | undefined): JsonReport['findings'] {
  return findings.map((f) => {
    const out: JsonReport['findings'][number] = {
      ruleId: f.ruleId,
      path: f.path,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      severity: f.severity,
      confidence: f.confidence,
    };
    const edits = f.fix === undefined ? undefined : fixEditPositions(f.fix, () => textOf(f.path));
    if (f.fix !== undefined && edits !== undefined) out.fix = { title: f.fix.title, applicability: f.fix.applicability, edits };
    if (f.related !== undefined && f.related.length > 0) out.related = f.related;
    return out;
  });
}

/**
 * The text of a JSON report as `ftbot scan --format json` prints it (`JSON.stringify(report, null,
 * 2)`), in three parts: `head`, the findings (`jsonFindingsText`) and `tail`. The findings are
 * the bulk of a report and depend on nothing else, so a re-scan that replays a result can print
 * them as they were rendered before (see `io/scan-cache.ts`) between a fresh head and tail.
 */
export function jsonReportFrame(report: Omit<JsonReport, 'findings'>): { head: string; tail: string } {
  return {
    head: `{\n  "version": ${JSON.stringify(report.version)},\n  "findings": `,
    tail: `,\n  "diagnostics": ${nested(report.diagnostics)},\n  "stats": ${nested(report.stats)}\n}`,
  };
}

/** The findings of a JSON report as they appear in its text (see `jsonReportFrame`). */
export function jsonFindingsText(findings: JsonReport['findings']): string {
  return nested(findings);
}

/** `value` as `JSON.stringify(…, null, 2)` prints it one level down, as the value of a key of the report. */
function nested(value: unknown): string {
  const text = JSON.stringify({ v: value }, null, 2);
  return text.slice(nestedPrefix.length, text.length - nestedSuffix.length);
}
const nestedPrefix = '{\n  "v": ';
const nestedSuffix = '\n}';
