/**
 * Picks the knowledge section a report links to for a rule.
 */
import type { KnowledgeIndex } from './build-index.js';
import { rankChunks } from './search.js';
import type { KnowledgeChunk } from './types.js';

/**
 * Returns the best section explaining `ruleId`: among knowledge pages whose front matter lists the
 * rule, the section that best matches the rule doc's title (which names the pattern, e.g. "Dict
 * iterated with `PyDict_Next` outside a critical section") and the rule id; without such a page,
 * the rule doc's first section; else undefined.
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
  // 2. Build a query from the rule doc's title and the rule id.
  // 3. Rank the candidates; fall back to the first candidate in page order.
  // 4. No knowledge page lists the rule → the rule doc's first chunk.
  const ruleId = params.ruleId.toUpperCase();
  const { index } = params;
  const isRuleDoc = (chunk: KnowledgeChunk): boolean => chunk.page.startsWith('docs/rules/');
  const ruleDoc = index.chunks.filter((chunk) => isRuleDoc(chunk) && chunk.rules.includes(ruleId));
  const candidates = index.chunks.filter((chunk) => !isRuleDoc(chunk) && chunk.rules.includes(ruleId));
  if (candidates.length === 0) return ruleDoc[0];

  const title = (ruleDoc[0]?.title ?? '').replace(/^FT\d{3}:?\s*/, '');
  const query = `${title} ${ruleId}`;
  const allowed = new Set(candidates.map((chunk) => chunk.id));
  const ranked = rankChunks({ index, query }).filter((hit) => allowed.has(hit.chunk.id));
  return ranked[0]?.chunk ?? candidates[0];
}
