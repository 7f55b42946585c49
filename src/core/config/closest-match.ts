/**
 * The candidate closest to `input` by edit distance (case-insensitive), for "did you mean …?"
 * hints; undefined when nothing is close enough (more than a third of the input's length, at
 * least 2, apart). Bounded: inputs and candidates longer than 64 characters are never compared.
 *
 * @example
 *   closestMatch('--fromat', ['--format', '--output']) // → '--format'
 *   closestMatch('FT0001', ['FT001', 'FT002'])        // → 'FT001'
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const a = input.toLowerCase();
  if (a.length === 0 || a.length > 64) return undefined;
  const limit = Math.max(2, Math.floor(a.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const b = candidate.toLowerCase();
    if (b.length > 64 || Math.abs(a.length - b.length) >= bestDistance) continue;
    const d = editDistance(a, b);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `" (did you mean 'x'?)"`, or the empty string when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}

/** Levenshtein distance, one row at a time (both strings are at most 64 characters here). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
