/**
 * GitHub-style heading anchors, so `knowledge/x.md#anchor` links work both in our citations and when
 * the page is read on github.com.
 *
 * GitHub lower-cases the heading text, drops everything that is not a letter, mark, number,
 * underscore, hyphen or space, and turns each space into `-`. A repeated slug gets `-1`, `-2`, …
 *
 * Example: "`PyDict_Next` and critical sections" → "pydict_next-and-critical-sections";
 * a second "Example" heading on the same page → "example-1".
 */
export type Slugger = {
  /** Returns the next unique anchor for `text` on this page. */
  slug(text: string): string;
};

const NOT_SLUG_CHARACTER = /[^\p{L}\p{M}\p{N}\p{Pc} -]/gu;

/** Returns the anchor GitHub gives `text`, without de-duplication. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(NOT_SLUG_CHARACTER, '').replace(/ /g, '-');
}

/**
 * Creates a slugger for one page: it remembers the anchors handed out so far and de-duplicates the
 * way GitHub does (the counter belongs to the base slug, and a suffixed slug that already exists as a
 * heading of its own is skipped).
 */
export function createSlugger(): Slugger {
  const occurrences = new Map<string, number>();
  return {
    slug(text) {
      const base = slugify(text);
      let result = base;
      while (occurrences.has(result)) {
        const count = (occurrences.get(base) ?? 0) + 1;
        occurrences.set(base, count);
        result = `${base}-${count}`;
      }
      occurrences.set(result, 0);
      return result;
    },
  };
}
