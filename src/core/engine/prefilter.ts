import type { Rule, RuleTarget } from './define-rule.js';

/**
 * The rules for one language or build-file kind, with their combined prefilter: one regex of every
 * trigger name, so a file is searched once however many rules there are.
 */
export type PrefilterPlan = {
  rules: Rule[];
  /** `\b(?:name1|name2|…)\b`, global; undefined when no rule has triggers. */
  pattern: RegExp | undefined;
  rulesByTrigger: Map<string, Rule[]>;
};

/** Where the prefilter found something in one file. */
export type PrefilterResult = {
  /** Trigger occurrences by rule, in file order (not yet checked to sit in code). */
  triggers: Map<Rule, Array<{ name: string; index: number }>>;
  /** The offsets each rule's own `prefilter` function returned, for rules that found any. */
  prefiltered: Map<Rule, number[]>;
  /** Every offset above. Empty means the file is done. */
  offsets: number[];
  /**
   * The offsets of the rules that read the syntax tree (every trigger, and the prefilter offsets of
   * rules without `needsTree: false`): the parts of the file worth parsing. Empty means no parse.
   */
  treeOffsets: number[];
};

/**
 * Builds the prefilter of a set of rules. Trigger names are the rules' own constants (never
 * repository text), escaped, longest first so `PyDict_GetItemRef` is not cut short by `PyDict_GetItem`.
 *
 * @example
 *   createPrefilterPlan([ft001, ft003]).pattern
 *   // → /\b(?:PyWeakref_GET_OBJECT|PyWeakref_GetObject|PyDict_GetItem|…)\b/g
 */
export function createPrefilterPlan(rules: Rule[]): PrefilterPlan {
  const rulesByTrigger = new Map<string, Rule[]>();
  for (const rule of rules) {
    for (const trigger of rule.meta.triggers) {
      const list = rulesByTrigger.get(trigger) ?? [];
      list.push(rule);
      rulesByTrigger.set(trigger, list);
    }
  }
  const names = [...rulesByTrigger.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = names.length === 0 ? undefined : new RegExp(`\\b(?:${names.join('|')})\\b`, 'g');
  return { rules, pattern, rulesByTrigger };
}

/**
 * Phase 2, prefilter: finds the trigger names and runs each rule's own `prefilter` function. A
 * file with no offset is not parsed and no rule runs on it. A rule whose `prefilter` throws is
 * handed to `crashed` and skipped for this file.
 */
export function prefilter(plan: PrefilterPlan, text: string, target: RuleTarget, crashed: (rule: Rule, error: unknown) => void): PrefilterResult {
  const triggers: PrefilterResult['triggers'] = new Map();
  const offsets: number[] = [];
  const treeOffsets: number[] = [];
  if (plan.pattern !== undefined) {
    plan.pattern.lastIndex = 0;
    for (let m = plan.pattern.exec(text); m !== null; m = plan.pattern.exec(text)) {
      for (const rule of plan.rulesByTrigger.get(m[0]) ?? []) {
        let list = triggers.get(rule);
        if (list === undefined) triggers.set(rule, (list = []));
        list.push({ name: m[0], index: m.index });
      }
      offsets.push(m.index);
      treeOffsets.push(m.index);
    }
  }
  const prefiltered = new Map<Rule, number[]>();
  for (const rule of plan.rules) {
    if (rule.prefilter === undefined) continue;
    let found: number[];
    try {
      found = rule.prefilter(text, target);
    } catch (error) {
      crashed(rule, error);
      continue;
    }
    if (found.length > 0) {
      prefiltered.set(rule, found);
      offsets.push(...found);
      if (needsTree(rule)) treeOffsets.push(...found);
    }
  }
  return { triggers, prefiltered, offsets, treeOffsets };
}

/** Whether a rule reads the syntax tree: every rule with triggers (its hits are resolved in it), and any rule not marked `needsTree: false`. */
export function needsTree(rule: Rule): boolean {
  return rule.needsTree !== false || rule.meta.triggers.length > 0;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
