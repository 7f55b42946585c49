import type { Diagnostic, Finding } from '../diagnostics.js';
import { createFactsReporter } from './create-finding.js';
import type { Rule, RuleTarget } from './define-rule.js';
import type { ProjectFacts } from './project-facts.js';
import type { PendingSource, ReadBuildFile } from './read-files.js';
import { ruleCrashed } from './run-file-rules.js';
import { factsPublishedBy, type ScanFacts } from './scan-facts.js';

/** True for a project rule: one that reads published facts, so it runs after every file rule. */
export function isProjectRule(rule: Rule): boolean {
  return (rule.inputs ?? []).length > 0;
}

/**
 * True for a project rule that reads files again: one with a per-file `check` (not `checkFacts`).
 * Only such rules make the project phase read and parse the files of their targets a second time.
 */
export function readsFilesAgain(rule: Rule): boolean {
  return isProjectRule(rule) && rule.checkFacts === undefined;
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
 * Phase 5, project rules, after the file rules with the facts they published. Returns the
 * findings by file, for one suppression pass per file with its file rules' findings.
 *
 * - A facts-only rule (`checkFacts`) runs once, over the facts, and reports at the anchors they
 *   carry; no file is read. A report on a file outside the rule's targets is a bug in the rule
 *   (`internal-error`), since only those files wait for the project phase.
 * - A rule with `check` runs once per file of its targets: build files from memory, sources read
 *   again one at a time. `runOn` is the same prefilter → parse → run path the file rules took.
 */
export function runProjectRules(params: {
  rules: readonly Rule[];
  builds: readonly ReadBuildFile[];
  sources: readonly PendingSource[];
  facts: Readonly<ScanFacts>;
  project: ProjectFacts;
  /** The files waiting for the project phase, by path, with their target. */
  held: ReadonlyMap<string, RuleTarget>;
  diagnostics: Diagnostic[];
  runOn: (file: { path: string; target: RuleTarget; text: string }, rules: Rule[]) => Finding[];
}): Map<string, Finding[]> {
  const byPath = new Map<string, Finding[]>();
  const add = (path: string, findings: readonly Finding[]): void => {
    if (findings.length === 0) return;
    const list = byPath.get(path);
    if (list === undefined) byPath.set(path, [...findings]);
    else list.push(...findings);
  };
  const projectRules = params.rules.filter(isProjectRule);
  const perFile = projectRules.filter(readsFilesAgain);
  const rulesFor = (target: RuleTarget): Rule[] => perFile.filter((r) => r.meta.targets.includes(target));
  for (const build of params.builds) {
    const rules = rulesFor(build.target);
    if (rules.length > 0) add(build.path, params.runOn(build, rules));
  }
  for (const source of params.sources) {
    const rules = rulesFor(source.language);
    if (rules.length === 0) continue;
    const ignored: Diagnostic[] = [];
    const text = source.read(ignored, true);
    if (text !== undefined) add(source.path, params.runOn({ path: source.path, target: source.language, text }, rules));
  }
  // Facts-only rules: each report carries its file. The occurrence counts of fingerprints are
  // per file and shared by these rules, as `check`'s are by the rules run on one file.
  const seenByPath = new Map<string, Map<string, number>>();
  for (const rule of projectRules) {
    if (rule.checkFacts === undefined) continue;
    const reported: Finding[] = [];
    try {
      rule.checkFacts({ facts: params.facts, project: params.project, report: createFactsReporter({ rule, seenByPath, into: reported }) });
    } catch (error) {
      params.diagnostics.push(ruleCrashed(rule, '.', error));
      continue;
    }
    for (const finding of reported) {
      const target = params.held.get(finding.path);
      if (target !== undefined && rule.meta.targets.includes(target)) add(finding.path, [finding]);
      else params.diagnostics.push(ruleCrashed(rule, finding.path, new Error('reported on a file outside its targets')));
    }
  }
  return byPath;
}
