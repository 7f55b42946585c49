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
    related?: Array<{ path: string; line: number; column: number; message: string }>;
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
    findings: params.findings.map((f) => {
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
      const edits = f.fix === undefined ? undefined : fixEditPositions(f.fix, () => params.textOf(f.path));
      if (f.fix !== undefined && edits !== undefined) out.fix = { title: f.fix.title, applicability: f.fix.applicability, edits };
      if (f.related !== undefined && f.related.length > 0) out.related = f.related;
      return out;
    }),
    diagnostics: [...params.diagnostics],
    stats: params.stats,
  };
}
