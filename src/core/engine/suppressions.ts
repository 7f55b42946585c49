import type { Diagnostic, Finding } from '../diagnostics.js';

/**
 * Inline suppressions, in the comment syntax of each language:
 *
 *   PyObject *v = PyDict_GetItem(d, k);  // ftbot: ignore[FT001] d is private to this call
 *   # ftbot: ignore[FT010, FT014] reason        (Cython)
 *   PyObject *v = PyDict_GetItem(d, k);  // noqa: borrowed-ref OK   (NumPy's annotation)
 *
 * A suppression applies to findings that start on its line or on the line after it (a comment
 * on its own line above the code). NumPy's `noqa: borrowed-ref` annotations cover the
 * borrowed-reference rules. `ftbot: ignore-file[FT014]` anywhere covers the whole file.
 */
export type Suppression = { line: number; ruleIds: string[]; file: boolean; used: boolean; raw: string };

const ftbotPattern = /(?:\/\/|\/\*|#)[^\n]*?\bftbot:\s*ignore(-file)?\[([A-Z0-9,\s]+)\]/g;
const numpyPattern = /\/\/[^\n]*?\bnoqa:\s*borrowed-ref\b/g;

/** Rules that NumPy's `noqa: borrowed-ref` annotation stands for. */
export const borrowedRefRuleIds = ['FT001', 'FT002', 'FT003', 'FT004', 'FT005', 'FT006', 'FT007', 'FT017'];

/** Finds every suppression comment in `text`; `lineAt` maps an offset to its 1-based line. */
export function findSuppressions(text: string, lineAt: (offset: number) => number): Suppression[] {
  const found: Suppression[] = [];
  if (text.includes('ftbot:')) {
    for (const m of text.matchAll(ftbotPattern)) {
      const ids = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      found.push({ line: lineAt(m.index), ruleIds: ids, file: m[1] !== undefined, used: false, raw: m[0] });
    }
  }
  if (text.includes('noqa')) {
    for (const m of text.matchAll(numpyPattern)) {
      found.push({ line: lineAt(m.index), ruleIds: borrowedRefRuleIds, file: false, used: false, raw: m[0] });
    }
  }
  return found;
}

/**
 * Drops suppressed findings and returns the rest, plus an `unused-suppression` diagnostic for each
 * ftbot suppression of an enabled rule that matched nothing (NumPy annotations are not reported).
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
      (s) =>
        s.ruleIds.includes(finding.ruleId) &&
        (s.file || (s.line >= finding.line - 1 && s.line <= finding.endLine)),
    );
    if (match === undefined) return true;
    match.used = true;
    return false;
  });
  const diagnostics: Diagnostic[] = suppressions
    .filter((s) => !s.used && s.raw.includes('ftbot:') && s.ruleIds.some((id) => enabledRuleIds.has(id)))
    .map((s) => ({ kind: 'unused-suppression', path, line: s.line, message: `unused suppression for ${s.ruleIds.join(', ')}` }));
  return { findings: kept, diagnostics };
}
