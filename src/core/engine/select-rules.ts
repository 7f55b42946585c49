import { closestMatch } from '../config/closest-match.js';
import type { Rule, RuleMeta } from './define-rule.js';

/**
 * What selection and configuration checks need of a rule: its `meta` fields as plain data. A `Rule`
 * is one; so is each row of the generated `rules/rule-table.ts`, which loads no rule code.
 */
export type RuleSummary = { meta: Pick<RuleMeta<string>, 'id' | 'name' | 'category' | 'preview'> };

export type RuleSelection = {
  select: readonly string[];
  ignore: readonly string[];
  preview: boolean;
  /** Added to `select` (or to the default set when `select` is empty), as ruff's `extend-select`. */
  extendSelect?: readonly string[];
};

/**
 * Picks the rules to run, ruff-style: `select` entries are ids or prefixes (`FT0`, `FT001`) or
 * `ALL`; `extend-select` adds to them; `ignore` wins over both. With no `select`, every stable
 * rule runs. Preview rules run when `preview` is on, when `ALL` is selected, or when selected by
 * their exact id.
 *
 * @example
 *   selectRules(rules, { select: ['ALL'], ignore: ['FT016'], preview: false })
 *   // → every rule but FT016, preview rules included
 */
export function selectRules<R extends RuleSummary = Rule>(rules: readonly R[], options: RuleSelection): R[] {
  const select = [...(options.select.length === 0 ? ['FT'] : options.select), ...(options.extendSelect ?? [])];
  const all = select.includes('ALL');
  return rules.filter((rule) => {
    const { id, preview } = rule.meta;
    if (options.ignore.some((s) => s === 'ALL' || id.startsWith(s))) return false;
    if (all) return true;
    const exact = select.includes(id);
    if (preview && !options.preview && !exact) return false;
    return exact || select.some((s) => id.startsWith(s));
  });
}

/**
 * Checks rule selectors against the registered rules: each must be `ALL`, a rule id, or a prefix
 * of at least one id (`FT0`, `FT03`). Case is ignored. Returns one message per unknown selector,
 * with the closest id when there is one.
 *
 * @example
 *   unknownSelectors(['ft001', 'FT999'], rules)
 *   // → [{ selector: 'FT999', message: "unknown rule selector 'FT999' (did you mean 'FT009'?)" }]
 */
export function unknownSelectors(selectors: readonly string[], rules: readonly RuleSummary[]): Array<{ selector: string; message: string }> {
  const ids = rules.map((r) => r.meta.id);
  const names = new Map(rules.map((r) => [r.meta.name, r.meta.id]));
  const out: Array<{ selector: string; message: string }> = [];
  for (const raw of selectors) {
    const selector = raw.trim().toUpperCase();
    if (selector === 'ALL' || (selector.length >= 2 && ids.some((id) => id.startsWith(selector)))) continue;
    const byName = names.get(raw.trim());
    const near = byName ?? closestMatch(selector, ids);
    const hint = near === undefined ? ' (expected a rule id such as FT001, a prefix such as FT0, or ALL)' : ` (did you mean '${near}'?)`;
    out.push({ selector: raw, message: `unknown rule selector '${raw}'${hint}` });
  }
  return out;
}
