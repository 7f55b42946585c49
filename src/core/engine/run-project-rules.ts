import type { Diagnostic, Finding } from '../diagnostics.js';
import type { Rule, RuleTarget } from './define-rule.js';
import type { PendingSource, ReadBuildFile } from './read-files.js';
import { factsPublishedBy, type ScanFacts } from './scan-facts.js';

/** True for a project rule: one that reads published facts, so it runs after every file rule. */
export function isProjectRule(rule: Rule): boolean {
  return (rule.inputs ?? []).length > 0;
}

/**
 * The rules a scan runs: the selected ones, plus (silently) every available rule that publishes a
 * fact a selected project rule reads. Silent rules run in the file-rules phase but report nothing.
 *
 * @example
 *   // FT034 reads `undeclaredModules`, which the module-declaration rules FT008–FT013 publish.
 *   planRules([ft034], registry) // → { run: [ft034, ft008, …, ft013], silent: Set{ft008, …, ft013} }
 */
export function planRules(selected: readonly Rule[], available: readonly Rule[]): { run: Rule[]; silent: Set<Rule> } {
  const needed = new Set(selected.flatMap((rule) => rule.inputs ?? []));
  const silent = new Set<Rule>();
  if (needed.size > 0) {
    for (const rule of available) {
      if (selected.includes(rule) || isProjectRule(rule)) continue;
      if (factsPublishedBy(rule).some((name) => needed.has(name))) silent.add(rule);
    }
  }
  return { run: [...selected, ...silent], silent };
}

/**
 * Phase 5, project rules: runs each project rule on each file of its targets, after the file rules,
 * with the facts they published. Build files come from memory; sources are read again one at a
 * time. `runOn` is the same prefilter → parse → run path the file rules took.
 */
export function runProjectRules(params: {
  rules: readonly Rule[];
  builds: readonly ReadBuildFile[];
  sources: readonly PendingSource[];
  facts: Readonly<ScanFacts>;
  runOn: (file: { path: string; target: RuleTarget; text: string }, rules: Rule[]) => Finding[];
  collect: (findings: Finding[], path: string, text: string) => void;
}): void {
  const projectRules = params.rules.filter(isProjectRule);
  if (projectRules.length === 0) return;
  const rulesFor = (target: RuleTarget): Rule[] => projectRules.filter((r) => r.meta.targets.includes(target));
  for (const build of params.builds) {
    const rules = rulesFor(build.target);
    if (rules.length > 0) params.collect(params.runOn(build, rules), build.path, build.text);
  }
  for (const source of params.sources) {
    const rules = rulesFor(source.language);
    if (rules.length === 0) continue;
    const ignored: Diagnostic[] = [];
    const text = source.read(ignored, true);
    if (text !== undefined) params.collect(params.runOn({ path: source.path, target: source.language, text }, rules), source.path, text);
  }
}
