/**
 * Drafts changes for the findings a review or a reply shows: one draft per line, so two rules
 * flagging the same call (FT001 and FT004 on `PyDict_GetItem` … `Py_NewRef`) cost one drafter call
 * and get one suggestion.
 */
import type { Finding } from '../diagnostics.js';
import type { BudgetScope } from '../drafting/budget.js';
import { draftSuggestions } from '../drafting/draft-suggestions.js';
import type { DraftVerifier } from '../drafting/verify-draft.js';
import type { Drafter, DraftProject, Suggestion } from '../drafting/types.js';
import type { Rule } from '../engine/define-rule.js';
import type { Grammars } from '../engine/scan-files.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import type { KnowledgeIndex } from '../knowledge/build-index.js';
import { silentLogger, type Logger } from '../ports.js';

/** What drafting needs besides the findings: the drafters, the knowledge base, where it is posted. */
export type DraftingSetup = {
  knowledge: KnowledgeIndex;
  /** The LLM drafter when one is configured, else the deterministic one. */
  drafter: Drafter;
  /** The deterministic drafter, used when `drafter` fails, is refused by a budget, or fails verification. */
  fallback: Drafter;
  /** `owner/name` the drafts are posted to: links into it survive sanitising. */
  repository?: string | undefined;
  /** Which pull request (or issue) and installation LLM calls are charged to. */
  scope?: BudgetScope | undefined;
  /** The comment that asked for the drafts (untrusted), if any. */
  requestText?: string | undefined;
  /** Verifies drafts off the event loop (the app's worker thread); default: in this thread. */
  verifier?: DraftVerifier | undefined;
};

/** The draft shown on a finding's comment, or the finding on the same line that carries it. */
export type FindingDraft = { kind: 'drafted'; suggestion: Suggestion } | { kind: 'same-line'; ruleId: string };

/** Rules that restate another rule's finding on the same call; the other rule's draft is preferred. */
const DERIVED_RULES = new Set(['FT004']);

/**
 * Picks one finding per `path:line` to draft: the first finding of a primary rule on the line,
 * else the first finding. Worked example: FT004 at 32:12 and FT002 at 32:22 → FT002 is drafted
 * and FT004 points at it.
 */
export function pickDraftTargets(findings: readonly Finding[]): { targets: Finding[]; covered: Map<Finding, Finding> } {
  const byLine = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.path}\n${f.line}`;
    byLine.set(key, [...(byLine.get(key) ?? []), f]);
  }
  const targets: Finding[] = [];
  const covered = new Map<Finding, Finding>();
  for (const group of byLine.values()) {
    const target = group.find((f) => !DERIVED_RULES.has(f.ruleId)) ?? group[0];
    if (target === undefined) continue; // a group holds at least one finding
    targets.push(target);
    for (const f of group) if (f !== target) covered.set(f, target);
  }
  return { targets, covered };
}

/** The `DraftProject` of a scan's project facts. */
export function draftProjectOf(project: Pick<ProjectFacts, 'requiresPython' | 'minPython'>): DraftProject {
  return {
    ...(project.requiresPython === undefined ? {} : { requiresPython: project.requiresPython }),
    ...(project.minPython === undefined ? {} : { minPython: project.minPython }),
  };
}

/**
 * Drafts (and verifies) a change for each finding, one per line, file by file.
 *
 * Steps:
 * 1. pick one target per line (`pickDraftTargets`);
 * 2. per file, ask `draftSuggestions` for the targets (LLM first when configured, the
 *    deterministic drafter on any failure; edits verified, text sanitised);
 * 3. map each finding to its draft, or to the finding on its line that has one;
 * 4. collect the notices (budget exhausted, quota) once each.
 *
 * @param params.findings
 *   The findings to draft for (already filtered: inline comments, a requested line).
 * @param params.textOf
 *   The scanned text of a file.
 * @returns
 *   Drafts keyed by finding fingerprint, and one-line notices to show once.
 */
export async function draftFindings(params: {
  findings: readonly Finding[];
  textOf: (path: string) => string | undefined;
  project: DraftProject;
  grammars: Grammars;
  rules: readonly Rule[];
  setup: DraftingSetup;
  contextFiles?: ReadonlyArray<{ path: string; text: string }>;
  logger?: Logger;
}): Promise<{ drafts: Map<string, FindingDraft>; notices: string[] }> {
  const { findings, textOf, project, grammars, rules, setup, logger = silentLogger } = params;
  // 1.
  const { targets, covered } = pickDraftTargets(findings);
  const byPath = new Map<string, Finding[]>();
  for (const f of targets) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const drafts = new Map<string, FindingDraft>();
  const notices = new Set<string>();
  // 2.
  for (const [path, fileFindings] of byPath) {
    const fileText = textOf(path);
    if (fileText === undefined) continue;
    const result = await draftSuggestions({
      findings: fileFindings,
      fileText,
      path,
      knowledge: setup.knowledge,
      drafter: setup.drafter,
      fallback: setup.fallback,
      project,
      grammars,
      rules,
      logger,
      ...(params.contextFiles === undefined ? {} : { contextFiles: params.contextFiles }),
      ...(setup.repository === undefined ? {} : { repository: setup.repository }),
      ...(setup.requestText === undefined ? {} : { requestText: setup.requestText }),
      ...(setup.scope === undefined ? {} : { scope: setup.scope }),
      verifier: setup.verifier,
    });
    // 4.
    for (const n of result.notices) notices.add(n);
    for (const suggestion of result.suggestions) {
      let shown = suggestion;
      if (addsMention(suggestion, fileText)) {
        // A model that read attacker text may smuggle `@team` into code, where sanitising cannot
        // defuse it without changing the verified edit: use the templates' draft for this finding.
        logger.warn({ ruleId: suggestion.finding.ruleId, path, line: suggestion.finding.line }, 'drafted code adds a mention; using the deterministic drafter');
        const again = await draftSuggestions({
          findings: [suggestion.finding],
          fileText,
          path,
          knowledge: setup.knowledge,
          drafter: setup.fallback,
          project,
          grammars,
          rules,
          logger,
          ...(params.contextFiles === undefined ? {} : { contextFiles: params.contextFiles }),
          ...(setup.repository === undefined ? {} : { repository: setup.repository }),
          verifier: setup.verifier,
        });
        const fallback = again.suggestions[0];
        shown = fallback !== undefined && !addsMention(fallback, fileText) ? fallback : withoutEdit(suggestion, 'the drafted code adds an @-mention');
      }
      drafts.set(suggestion.finding.fingerprint, { kind: 'drafted', suggestion: shown });
    }
  }
  // 3.
  for (const [finding, target] of covered) {
    if (drafts.has(target.fingerprint)) drafts.set(finding.fingerprint, { kind: 'same-line', ruleId: target.ruleId });
  }
  return { drafts, notices: [...notices] };
}

// `@name` or `@org/team` as GitHub reads it (a word character must not precede the `@`).
const MENTION = /(?<![\w`])@[A-Za-z0-9][\w-]*(?:\/[\w.-]+)?/g;

/** True when the edit's replacement mentions someone the replaced lines did not. */
function addsMention(suggestion: Suggestion, fileText: string): boolean {
  const edit = suggestion.edit;
  if (edit === undefined) return false;
  const before = new Set(fileText.split('\n').slice(edit.startLine - 1, edit.endLine).join('\n').match(MENTION) ?? []);
  return (edit.replacement.match(MENTION) ?? []).some((m) => !before.has(m));
}

function withoutEdit(suggestion: Suggestion, problem: string): Suggestion {
  const { edit: _edit, ...rest } = suggestion;
  return { ...rest, verified: false, problems: [problem] };
}
