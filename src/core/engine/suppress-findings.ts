import type { Diagnostic, Finding } from '../diagnostics.js';
import type { LineIndex } from './create-finding.js';
import { applySuppressions, findSuppressions } from './suppressions.js';

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
  if (findings.length === 0 && !text.includes('ftbot:')) return { findings, diagnostics: [] };
  const lineIndex = params.lineIndex();
  const suppressions = findSuppressions(text, (offset) => lineIndex(offset).line);
  return applySuppressions(findings, suppressions, params.enabledRuleIds, path);
}
