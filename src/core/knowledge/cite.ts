/**
 * Renders a citation as Markdown for comments and reports.
 */
import type { Citation } from './types.js';

/**
 * Renders one citation: a link to the section in the repository, then the upstream documentation.
 *
 * @param params.citation
 *   A citation from `answerQuestion` (or built from a chunk).
 * @param params.repoBase
 *   Where the repository's files are browsed, without a trailing slash, e.g.
 *   `https://github.com/owner/ftbot/blob/main`; `''` when there is no docs site.
 * @returns
 *   One line of Markdown.
 *
 * @example
 *   cite({ citation, repoBase: 'https://github.com/o/ftbot/blob/main' })
 *   // → '[Replacing borrowed references from list access › Replacing PyList_GetItem with PyList_GetItemRef](https://github.com/o/ftbot/blob/main/knowledge/list-borrowed-references.md#replacing-pylist_getitem-with-pylist_getitemref) · [upstream](https://docs.python.org/3/howto/free-threading-extensions.html)'
 */
export function cite(params: { citation: Citation; repoBase: string }): string {
  const { citation, repoBase } = params;
  const label = citation.heading === citation.title ? citation.title : `${citation.title} › ${citation.heading}`;
  // Without a docs site the section has no page to link: the upstream documentation it cites stands in.
  if (repoBase === '') return citation.url === '' ? escapeLabel(label) : `[${escapeLabel(label)}](${citation.url})`;
  const base = repoBase.replace(/\/+$/, '');
  const fragment = citation.anchor === '' ? '' : `#${citation.anchor}`;
  const link = `[${escapeLabel(label)}](${base}/${citation.page}${fragment})`;
  return citation.url === '' ? link : `${link} · [upstream](${citation.url})`;
}

/** Brackets and backslashes in a heading would end the link text early. */
function escapeLabel(label: string): string {
  return label.replace(/[\\[\]]/g, (character) => `\\${character}`);
}
