import { confidenceRank, severityRank, type Finding } from '../diagnostics.js';

/**
 * Part of phase 7: one finding per fact. A rule may declare in `meta.subsumes` the rules whose
 * finding on the same site says the same thing in fewer words (FT004 over FT001 and FT002 on one
 * borrowed call). Two findings of one file share a site when either starts inside the other's
 * span. The subsumed finding is dropped, and the subsuming one takes the higher severity and
 * confidence of the two, so the thresholds applied afterwards see the fact as strongly as either
 * rule stated it. One level only: a finding that is itself subsumed passes nothing on.
 *
 * Runs after suppressions: an `ignore[FT004]` on the line leaves FT001's finding standing, and an
 * `ignore[FT001]` there is used, not reported unused. Findings are copied, never changed in place
 * (cached entries share them).
 *
 * @param subsumes
 *   Rule id → the rule ids its findings stand for (from `meta.subsumes`).
 * @example
 *   // FT004 at 12:5–12:40 (`Py_NewRef(PyDict_GetItem(d, k))`), FT001 at 12:14–12:28 (high)
 *   // → FT004 alone, with confidence high
 */
export function subsumeFindings(findings: readonly Finding[], subsumes: ReadonlyMap<string, readonly string[]>): Finding[] {
  if (subsumes.size === 0) return [...findings];
  const subsumable = new Set([...subsumes.values()].flat());
  // The subsuming findings of each file, the only ones a subsumed finding is compared with.
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!subsumes.has(f.ruleId)) continue;
    const list = byPath.get(f.path);
    if (list === undefined) byPath.set(f.path, [f]);
    else list.push(f);
  }
  if (byPath.size === 0) return [...findings];
  const raised = new Map<Finding, Finding>();
  const kept: Finding[] = [];
  for (const f of findings) {
    if (!subsumable.has(f.ruleId)) {
      kept.push(f);
      continue;
    }
    const by = byPath.get(f.path)?.find((k) => k !== f && subsumes.get(k.ruleId)?.includes(f.ruleId) === true && sameSite(f, k));
    if (by === undefined) {
      kept.push(f);
      continue;
    }
    const current = raised.get(by) ?? by;
    const severity = severityRank[f.severity] > severityRank[current.severity] ? f.severity : current.severity;
    const confidence = confidenceRank[f.confidence] > confidenceRank[current.confidence] ? f.confidence : current.confidence;
    if (severity !== current.severity || confidence !== current.confidence) raised.set(by, { ...current, severity, confidence });
  }
  return raised.size === 0 ? kept : kept.map((f) => raised.get(f) ?? f);
}

/** One site: either finding starts within the other's span (`Py_NewRef(PyList_GetItem(l, 0))` and its inner call). */
function sameSite(a: Finding, b: Finding): boolean {
  return startsInside(a, b) || startsInside(b, a);
}

/** Whether `inner` starts within `outer`'s span (both ends included). */
function startsInside(inner: Finding, outer: Finding): boolean {
  const afterStart = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const beforeEnd = inner.line < outer.endLine || (inner.line === outer.endLine && inner.column <= outer.endColumn);
  return afterStart && beforeEnd;
}
