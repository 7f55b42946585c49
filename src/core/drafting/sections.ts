/**
 * Knowledge sections for drafting: which to retrieve for a finding, how to cite them, and how to
 * hand them to a prompt.
 */
import type { Finding } from '../diagnostics.js';
import type { KnowledgeIndex } from '../knowledge/build-index.js';
import { findSectionForRule } from '../knowledge/find-section-for-rule.js';
import { search } from '../knowledge/search.js';
import type { Citation, KnowledgeChunk } from '../knowledge/types.js';

/** Most sections handed to a drafter for one finding. */
export const MAX_SECTIONS = 3;

/**
 * The sections for `finding`, best first: the rule's own section, then search hits for its message.
 *
 * @example
 *   retrieveSections({ finding, index }).map((c) => c.id)
 *   // → ['knowledge/dict-borrowed-references.md#…', 'docs/rules/ft001-dict-get-item-borrowed.md#…', …]
 */
export function retrieveSections(params: { finding: Finding; index: KnowledgeIndex }): KnowledgeChunk[] {
  const { finding, index } = params;
  const out: KnowledgeChunk[] = [];
  const add = (chunk: KnowledgeChunk | undefined): void => {
    if (chunk !== undefined && !out.some((c) => c.id === chunk.id) && out.length < MAX_SECTIONS) out.push(chunk);
  };
  add(findSectionForRule({ ruleId: finding.ruleId, index }));
  const response = search({ index, query: `${finding.ruleId} ${finding.message}`, limit: 6 });
  for (const hit of response.hits) add(hit.chunk);
  return out;
}

const EXCERPT_LENGTH = 320;

/** A citation of `chunk`, with the start of its prose as the excerpt. */
export function citationOf(chunk: KnowledgeChunk): Citation {
  return { page: chunk.page, anchor: chunk.anchor, title: chunk.title, heading: chunk.heading, excerpt: clip(proseOf(chunk.text), EXCERPT_LENGTH), url: chunk.upstream };
}

/** The sections as prompt text: each headed by its id, which is what the model may cite. */
export function renderSectionsForPrompt(sections: readonly KnowledgeChunk[]): string {
  if (sections.length === 0) return '(none)';
  return sections.map((c) => `### ${c.id}\n${c.title} › ${c.heading}\n\n${c.text.trim()}`).join('\n\n');
}

/** The first `count` sentences of a section's prose (code and tables skipped). */
export function leadSentences(text: string, count: number): string {
  const prose = proseOf(text);
  const sentences = prose.split(/(?<=[.!?])\s+(?=[A-Z`"'(])/);
  return sentences.slice(0, count).join(' ').trim();
}

function proseOf(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((block) => {
      const lines = block.split('\n');
      const code = lines.filter((l) => /[;{}]\s*$|^\s*#|^\s*(?:\/\/|\/\*|\*)|\s\|\s|^\s*\|/.test(l)).length;
      return code * 2 < lines.length && /[a-z]{3,} [a-z]{2,}/i.test(block);
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function clip(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.lastIndexOf(' ', length);
  return `${text.slice(0, cut > 0 ? cut : length)} …`;
}
