/**
 * Normalises one term for the index and for queries: lower-case, drop English stop words and
 * one-character terms, and fold simple plurals and verb endings together so "locks", "locking" and
 * "locked" all meet "lock". Code names (anything with a digit, `_`, `.` or `-`) are only
 * lower-cased, so `PyDict_Next` stays `pydict_next`.
 *
 * Example: "Threads" → "thread"; "locking" → "lock"; "Py_GIL_DISABLED" → "py_gil_disabled";
 * "the" → null
 */

/** Function words and question words that say nothing about the topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being
  below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
  during each few for from further had hadn't has hasn't have haven't having he her here hers herself him
  himself his how i i'm if in into is isn't it it's its itself just let's me more most my myself no nor
  not now of on once only or other ought our ours ourselves out over own same she should shouldn't so
  some such than that that's the their theirs them themselves then there these they this those through to
  too under until up very was wasn't we were weren't what when where which while who whom why will with
  won't would wouldn't you your yours yourself yourselves im ive id dont doesnt cant isnt whats hows etc
  also get got getting anyone someone something anything thing things really still want wanted need
  needs needed please thanks almost never always often sometimes usually actually even ever many much thank hi hello hey ok okay yes yeah like way ways use used using uses do does
  make makes made go going know tell tells say says one ones us s t don doesn didn isn aren wasn
  weren won wouldn shouldn couldn haven hasn hadn`
    .split(/\s+/)
    .filter((word) => word !== ''),
);

/**
 * Folds English inflections: a small suffix stripper (plural `-s`/`-es`/`-ies`, `-ing`, `-ed`) that
 * is applied the same way to pages and queries, so it only has to be consistent, not linguistically
 * right. Worked example: "races" → "race", "libraries" → "library", "threading" → "thread",
 * "crashed" → "crash", "status" → "status" (kept: `-us`), "class" → "class" (kept: `-ss`).
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length >= 6) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length >= 5) return undouble(word.slice(0, -2));
  return word;
}

/** "runn" → "run", "stopp" → "stop"; "lock" and "spill" are left alone (ll, ss, ff, zz stay). */
function undouble(word: string): string {
  return /([^aeioulsfz])\1$/.test(word) ? word.slice(0, -1) : word;
}

/**
 * Returns the index term for `term`, or null to drop it.
 *
 * @param term
 *   One raw term from `tokenize`.
 */
export function processTerm(term: string): string | null {
  const lower = term.toLowerCase();
  if (lower.length < 2 && !/\d/.test(lower)) return null;
  if (STOP_WORDS.has(lower)) return null;
  if (/^[a-z]+$/.test(lower)) return stem(lower);
  return lower;
}
