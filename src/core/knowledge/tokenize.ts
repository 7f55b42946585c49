/**
 * Splits text into search terms. Code names stay whole *and* are split into their parts, so
 * `PyDict_GetItemRef` is found by the exact name, by `PyDict_GetItem` (prefix) and by "get item ref".
 *
 * Example: "Wrap `PyDict_Next` in a free-threaded build"
 * → ["Wrap", "PyDict_Next", "PyDict", "Next", "Py", "Dict", "in", "a", "free-threaded", "free",
 *    "threaded", "build"]
 * (`processTerm` then lower-cases, drops stop words and stems.)
 */

/** A word, optionally joined to more words by `.`, `-` or `_` (`tool.cibuildwheel`, `free-threaded`). */
const WORD = /[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/gu;
const JOINERS = /[._-]+/;
/** Camel-case humps: `GILOnceCell` → GIL, Once, Cell; `PyO3` → Py, O3; `getItemRef` → get, Item, Ref. */
const CAMEL_PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[A-Z]?\d+[a-z]*|[A-Z][0-9]+/g;

/**
 * Returns the raw terms of `text` (before lower-casing and stemming).
 *
 * @param text
 *   A field of a chunk or a search query.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    terms.push(word);
    const parts = word.split(JOINERS).filter((part) => part !== '');
    if (parts.length > 1) terms.push(...parts);
    for (const part of parts) {
      const humps = part.match(CAMEL_PART) ?? [];
      if (humps.length > 1) terms.push(...humps);
    }
  }
  return terms;
}
