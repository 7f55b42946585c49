import type { Rule } from './define-rule.js';

/**
 * Picks the rules to run, ruff-style: `select` entries are ids or prefixes (`FT0`, `FT001`) or
 * `ALL`; `ignore` wins over `select`. With no `select`, every stable rule runs. Preview rules run
 * when `preview` is on, when `ALL` is selected, or when selected by their exact id.
 *
 * @example
 *   selectRules(rules, { select: ['ALL'], ignore: ['FT016'], preview: false })
 *   // → every rule but FT016, preview rules included
 */
export function selectRules(
  rules: readonly Rule[],
  options: { select: readonly string[]; ignore: readonly string[]; preview: boolean },
): Rule[] {
  const select = options.select.length === 0 ? ['FT'] : options.select;
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
