import type { Node } from 'web-tree-sitter';
import type { Diagnostic, Finding } from '../diagnostics.js';
import type { Hit, Rule, RuleContext, RuleTarget } from './define-rule.js';
import { anchorOf, createLineMemo, createReporter, type LineIndex } from './create-finding.js';
import type { ProjectFacts } from './project-facts.js';
import type { FactName, ScanFacts } from './scan-facts.js';

/** One file, ready for its rules: text, tree (sources only), and each rule's hits and prefilter offsets. */
export type PreparedFile = {
  path: string;
  target: RuleTarget;
  text: string;
  root: Node | undefined;
  /** The rules to run and their hits; a rule without an entry had nothing in this file. */
  hits: Map<Rule, Hit[]>;
  prefiltered: Map<Rule, number[]>;
  lineIndex: () => LineIndex;
};

/**
 * Phase 4, file rules (and, with `facts`, phase 5's per-file run): runs each rule that had a hit in
 * the file and returns its findings. A rule that throws is reported as an `internal-error`
 * diagnostic naming the rule; the other rules of the file still run.
 */
export function runFileRules(params: {
  file: PreparedFile;
  rules: readonly Rule[];
  project: ProjectFacts;
  facts: Readonly<ScanFacts>;
  /** Where `ctx.publish` adds facts; undefined in the project phase, where publishing is a bug. */
  publish: ScanFacts | undefined;
  diagnostics: Diagnostic[];
}): Finding[] {
  const { file, project, facts, diagnostics } = params;
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const memo = createLineMemo();
  const anchor = (start: number, end = start) => anchorOf(file.text, file.lineIndex(), start, end, memo);
  for (const rule of params.rules) {
    const hits = file.hits.get(rule);
    if (hits === undefined || rule.check === undefined) continue;
    const ctx: RuleContext<string> = {
      path: file.path,
      target: file.target,
      text: file.text,
      root: file.root,
      hits,
      prefiltered: file.prefiltered.get(rule) ?? [],
      project,
      facts,
      publish: (name, fact) => publishFact(params.publish, rule, name, fact),
      anchor,
      report: createReporter({ rule, path: file.path, text: file.text, lineIndex: file.lineIndex, seen, into: findings, memo }),
    };
    try {
      rule.check(ctx);
    } catch (error) {
      diagnostics.push(ruleCrashed(rule, file.path, error));
    }
  }
  return findings;
}

/** The diagnostic for a rule that threw: a bug in ftbot, reported without ending the scan. */
export function ruleCrashed(rule: Rule, path: string, error: unknown): Diagnostic {
  return { kind: 'internal-error', path, message: `${rule.meta.id} (${rule.meta.name}) failed: ${String(error)}` };
}

function publishFact<K extends FactName>(store: ScanFacts | undefined, rule: Rule, name: K, fact: ScanFacts[K][number]): void {
  if (store === undefined) throw new Error(`${rule.meta.id} published '${name}' from the project phase; only file rules publish facts`);
  if (!(rule.publishes ?? []).includes(name)) throw new Error(`${rule.meta.id} published '${name}' without listing it in \`publishes\``);
  (store[name] as Array<ScanFacts[K][number]>).push(fact);
}
