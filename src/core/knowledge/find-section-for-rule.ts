/**
 * Picks the knowledge section a report links to for a rule.
 */
import type { KnowledgeIndex } from './build-index.js';
import { search } from './search.js';
import type { KnowledgeChunk } from './types.js';

/**
 * Returns the best section explaining `ruleId`: among knowledge pages whose front matter lists the
 * rule, the section that best matches the rule id, the rule doc's title and the code names in its
 * "What it does" section; without such a page, the rule doc's first section; else undefined.
 *
 * @param params.ruleId
 *   A rule id such as `FT001`.
 * @param params.index
 *   The knowledge index.
 *
 * @example
 *   findSectionForRule({ ruleId: 'FT001', index })?.id
 *   // → 'knowledge/list-borrowed-references.md#replacing-pylist_getitem-with-pylist_getitemref'
 */
export function findSectionForRule(params: { ruleId: string; index: KnowledgeIndex }): KnowledgeChunk | undefined {
  // 1. Collect the rule doc's chunks and the knowledge chunks of pages that list the rule.
  // 2. Build a query from the rule id, the rule doc's title and its code names.
  // 3. Rank the candidates with `search`; fall back to the first candidate in page order.
  // 4. No knowledge page lists the rule → the rule doc's first chunk.
  const ruleId = params.ruleId.toUpperCase();
  const { index } = params;
  const isRuleDoc = (chunk: KnowledgeChunk): boolean => chunk.page.startsWith('docs/rules/');
  const ruleDoc = index.chunks.filter((chunk) => isRuleDoc(chunk) && chunk.rules.includes(ruleId));
  const candidates = index.chunks.filter((chunk) => !isRuleDoc(chunk) && chunk.rules.includes(ruleId));
  if (candidates.length === 0) return ruleDoc[0];

  const whatItDoes = ruleDoc.find((chunk) => /^what it does$/i.test(chunk.heading));
  const query = [ruleId, ruleDoc[0]?.title ?? '', ...(whatItDoes?.identifiers ?? [])].join(' ');
  const allowed = new Set(candidates.map((chunk) => chunk.id));
  const ranked = search({ index, query, limit: index.chunks.length }).hits.filter((hit) => allowed.has(hit.chunk.id));
  return ranked[0]?.chunk ?? candidates[0];
}
