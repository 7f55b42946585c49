import { confidenceRank, severityRank, type Confidence, type Finding, type Severity } from '../diagnostics.js';
import { subsumeFindings } from './subsume-findings.js';

/**
 * Phase 7, report: drops the findings of silent rules, then those another rule's finding on the
 * same site subsumes (`subsume-findings.ts`), keeps the rest at or above the severity and
 * confidence thresholds, sorted by path, line, column and rule id.
 *
 * @param silentRuleIds
 *   Rules that ran only to publish facts for a project rule; their findings are not reported (nor
 *   do they subsume any).
 * @param subsumes
 *   Rule id → the rule ids whose findings on the same site it stands for (`meta.subsumes`).
 */
export function reportFindings(params: {
  findings: readonly Finding[];
  silentRuleIds: ReadonlySet<string>;
  subsumes?: ReadonlyMap<string, readonly string[]>;
  minSeverity: Severity;
  minConfidence: Confidence;
}): Finding[] {
  const minRank = severityRank[params.minSeverity];
  const minConfidenceRank = confidenceRank[params.minConfidence];
  const reported = subsumeFindings(
    params.findings.filter((f) => !params.silentRuleIds.has(f.ruleId)),
    params.subsumes ?? new Map(),
  );
  const kept = reported.filter((f) => severityRank[f.severity] >= minRank && confidenceRank[f.confidence] >= minConfidenceRank);
  return kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1)));
}
