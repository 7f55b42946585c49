import type { Rule, RuleCategory } from '../engine/define-rule.js';
import { rules } from './registry.js';

/** Every rule, sorted by id: `registry.ts` is generated from the rule files by `npm run generate`. */
export { rules };

/** Looks a rule up by id (`FT001`) or name (`dict-get-item-borrowed`). */
export function findRule(idOrName: string): Rule | undefined {
  const key = idOrName.trim();
  return rules.find((r) => r.meta.id === key.toUpperCase() || r.meta.name === key);
}

/**
 * The ids of the rules in one category, from their metadata: the one source for every per-category
 * id set (which findings are module declarations, which are build findings).
 *
 * @example
 *   ruleIdsIn('module-declaration') // → Set { 'FT008', 'FT009', 'FT010', 'FT011', 'FT012', 'FT013' }
 */
export function ruleIdsIn(category: RuleCategory): ReadonlySet<string> {
  return new Set(rules.filter((r) => r.meta.category === category).map((r) => r.meta.id));
}

/** The one-line reason a rule's findings matter without the GIL (`meta.why`), for review comments. */
export function ruleWhy(ruleId: string): string {
  return findRule(ruleId)?.meta.why ?? 'Code that relied on the GIL for safety can race on a free-threaded build.';
}
