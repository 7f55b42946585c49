import type { Confidence, Finding, Severity } from '../diagnostics.js';

const severityRank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const confidenceRank: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/**
 * Phase 7, report: keeps the findings of selected rules at or above the severity and confidence
 * thresholds, sorted by path, line, column and rule id.
 *
 * @param silentRuleIds
 *   Rules that ran only to publish facts for a project rule; their findings are not reported.
 */
export function reportFindings(params: {
  findings: readonly Finding[];
  silentRuleIds: ReadonlySet<string>;
  minSeverity: Severity;
  minConfidence: Confidence;
}): Finding[] {
  const minRank = severityRank[params.minSeverity];
  const minConfidenceRank = confidenceRank[params.minConfidence];
  const kept = params.findings.filter(
    (f) => !params.silentRuleIds.has(f.ruleId) && severityRank[f.severity] >= minRank && confidenceRank[f.confidence] >= minConfidenceRank,
  );
  return kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1)));
}
