import type { Applicability, Finding, TextEdit } from '../diagnostics.js';

/**
 * Applies the fixes of one file's findings, ruff's way: `safe` fixes always, `unsafe` ones only
 * when asked, `display-only` never. A fix's edits go in together or not at all; a fix whose
 * edits overlap one already taken waits for the next pass (the caller re-scans and calls again),
 * so no pass ever applies two edits to the same text.
 *
 * @example
 *   applyFixes('ab', [findingWithFix({ start: 0, end: 1, text: 'A' })], { unsafe: false })
 *   // → { text: 'Ab', applied: [that finding], deferred: 0 }
 */
export function applyFixes(
  text: string,
  findings: readonly Finding[],
  options: { unsafe: boolean },
): { text: string; applied: Finding[]; deferred: number } {
  const wanted = findings
    .filter((f) => f.fix !== undefined && f.fix.edits.length > 0 && isApplicable(f.fix.applicability, options.unsafe))
    .sort((a, b) => firstStart(a) - firstStart(b));
  const taken: TextEdit[] = [];
  const applied: Finding[] = [];
  let deferred = 0;
  for (const f of wanted) {
    const edits = f.fix?.edits ?? [];
    // Two findings may carry the same fix (one slot serves two rules): apply it once.
    if (edits.every((e) => taken.some((t) => t.start === e.start && t.end === e.end && t.text === e.text))) {
      applied.push(f);
      continue;
    }
    if (edits.some((e) => e.start > e.end || e.end > text.length || taken.some((t) => overlaps(t, e)))) {
      deferred++;
      continue;
    }
    taken.push(...edits);
    applied.push(f);
  }
  let out = text;
  for (const e of [...taken].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, deferred };
}

/** Whether a fix of this applicability is applied with or without `--unsafe-fixes`. */
export function isApplicable(applicability: Applicability, unsafe: boolean): boolean {
  return applicability === 'safe' || (unsafe && applicability === 'unsafe');
}

function firstStart(f: Finding): number {
  return Math.min(...(f.fix?.edits ?? []).map((e) => e.start));
}

/** Overlapping ranges, counting two insertions at one offset as overlapping (their order is unknown). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}
