import { directiveLines } from './directive-lines.js';

/** A half-open range of offsets. */
export type Range = [number, number];

/**
 * The regions compiled only when the GIL is enabled: the `#ifndef Py_GIL_DISABLED` arm, and the
 * `#else` arm of `#ifdef Py_GIL_DISABLED`. A cache that such code fills does not exist on the
 * free-threaded build, so it is no hazard there.
 *
 * Worked example:
 *   #ifdef Py_GIL_DISABLED         → free-threaded arm: kept
 *   #else
 *   static int cache_size = 0;     → GIL-only range
 *   #endif
 *
 * One pass over the directive lines of blanked text (comments already removed).
 */
export function gilOnlyRanges(clean: string): Range[] {
  const ranges: Range[] = [];
  // Only an arm whose condition names `Py_GIL_DISABLED` is GIL-only: most files never name it.
  if (!clean.includes('Py_GIL_DISABLED')) return ranges;
  // Per open `#if`: whether its current arm is GIL-only, where that arm started, and whether the
  // condition tested Py_GIL_DISABLED at all.
  const stack: Array<{ tests: boolean; gilOnly: boolean; from: number }> = [];
  for (const { start, end: lineEnd, match: m } of directiveLines(clean, /#[ \t]*(ifdef|ifndef|if|elif|else|endif)\b([^\n]*)/y)) {
    const directive = m[1] ?? '';
    const rest = m[2] ?? '';
    if (directive === 'ifdef' || directive === 'ifndef' || directive === 'if') {
      const tests = /\bPy_GIL_DISABLED\b/.test(rest) && !/&&|\|\|/.test(rest);
      const negated = directive === 'ifndef' || /!\s*defined\s*\(?\s*Py_GIL_DISABLED/.test(rest);
      stack.push({ tests, gilOnly: tests && negated, from: lineEnd });
    } else if (directive === 'else' || directive === 'elif') {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      if (top.gilOnly) ranges.push([top.from, start]);
      top.gilOnly = top.tests && directive === 'else' && !top.gilOnly;
      top.from = lineEnd;
    } else {
      const top = stack.pop();
      if (top?.gilOnly === true) ranges.push([top.from, start]);
    }
  }
  return ranges;
}

/** True when `offset` falls in one of `ranges`. */
export function inRanges(ranges: readonly Range[], offset: number): boolean {
  for (const [a, b] of ranges) if (offset >= a && offset < b) return true;
  return false;
}
