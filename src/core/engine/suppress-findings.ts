import type { Diagnostic, Finding } from '../diagnostics.js';
import type { LineIndex } from './create-finding.js';
import { applySuppressions, findSuppressions, mayHoldSuppressions, type Suppression } from './suppressions.js';

/**
 * Phase 6, suppressions: drops the findings of one file that an inline `ftbot: ignore[…]` (or
 * NumPy's `noqa: borrowed-ref`) comment covers, and reports suppressions that matched nothing.
 * The comment syntax and matching live in `suppressions.ts`.
 *
 * @param enabledRuleIds
 *   The selected rules: a suppression naming a rule that did not run is not reported as unused.
 */
export function suppressFindings(params: {
  findings: Finding[];
  path: string;
  text: string;
  lineIndex: () => LineIndex;
  enabledRuleIds: ReadonlySet<string>;
}): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const { findings, path, text } = params;
  // Most files have neither findings nor comments: skip the comment search.
  if (findings.length === 0 && !mayHoldSuppressions(text)) return { findings, diagnostics: [] };
  return applySuppressions(findings, suppressionsOf(text, params.lineIndex), params.enabledRuleIds, path);
}

/**
 * The suppression comments of one file as plain data, for a file whose findings are settled later
 * (after the project rules) without its text: `applySuppressions` then takes a fresh copy.
 */
export function suppressionsOf(text: string, lineIndex: () => LineIndex): Suppression[] {
  if (!mayHoldSuppressions(text)) return [];
  const index = lineIndex();
  return findSuppressions(text, (offset) => index(offset).line);
}

/** `applySuppressions` over a copy of `suppressions` (their `used` marks start clear each time). */
export function applyStoredSuppressions(
  findings: Finding[],
  suppressions: readonly Suppression[],
  enabledRuleIds: ReadonlySet<string>,
  path: string,
): { findings: Finding[]; diagnostics: Diagnostic[] } {
  return applySuppressions(findings, suppressions.map((s) => ({ ...s, used: false })), enabledRuleIds, path);
}
