import type { KnowledgeIndex } from '../knowledge/build-index.js';
import { findSectionForRule } from '../knowledge/find-section-for-rule.js';

/** The knowledge section explaining a rule, ready to link: `label` is plain text, `url` absolute. */
export type KnowledgeLink = { label: string; url: string };

/** Gives the section to link for a rule id, or undefined when the knowledge base has none. */
export type KnowledgeLinker = (ruleId: string) => KnowledgeLink | undefined;

/**
 * Builds a linker over `index` whose answers are computed once per rule (ranking the sections
 * costs a search; a triage comment can name the same rule hundreds of times). A rule whose best
 * section is its own docs page gets no link: the rule link already points there.
 *
 * @param params.repoBaseUrl
 *   Where the repository's files are browsed, e.g. `https://github.com/o/ftbot/blob/main/`;
 *   `''` links each section's upstream documentation instead.
 *
 * @example
 *   const link = createKnowledgeLinker({ index, repoBaseUrl: 'https://github.com/o/ftbot/blob/main/' });
 *   link('FT001') // → { label: 'Borrowed references from dict access › …', url: 'https://github.com/o/ftbot/blob/main/knowledge/dict-borrowed-references.md#…' }
 */
export function createKnowledgeLinker(params: { index: KnowledgeIndex; repoBaseUrl: string }): KnowledgeLinker {
  const { index } = params;
  const site = params.repoBaseUrl !== '';
  const base = params.repoBaseUrl.endsWith('/') ? params.repoBaseUrl : `${params.repoBaseUrl}/`;
  const cache = new Map<string, KnowledgeLink | undefined>();
  return (ruleId) => {
    if (cache.has(ruleId)) return cache.get(ruleId);
    const chunk = findSectionForRule({ ruleId, index });
    // Without a docs site (`repoBaseUrl` is '') the upstream page the section cites is linked.
    const link =
      chunk === undefined || chunk.page.startsWith('docs/rules/') || (!site && chunk.upstream === '')
        ? undefined
        : {
            label: chunk.heading === chunk.title ? chunk.title : `${chunk.title} › ${chunk.heading}`,
            url: !site ? chunk.upstream : `${base}${chunk.page}${chunk.anchor === '' ? '' : `#${chunk.anchor}`}`,
          };
    cache.set(ruleId, link);
    return link;
  };
}
