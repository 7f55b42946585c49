/**
 * The drafting entry point: one verified suggestion (or explanation) per finding.
 */
import type { Finding } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import type { Grammars } from '../engine/scan-files.js';
import type { KnowledgeIndex } from '../knowledge/build-index.js';
import { enclosingFunction } from '../parsing/syntax.js';
import { silentLogger, type Logger } from '../ports.js';
import { sanitizeCode, sanitizeOutput } from '../safety/sanitize-output.js';
import { createDeterministicDrafter, offsetOf } from './deterministic-drafter.js';
import { parseSource } from './parse-source.js';
import { citationOf, retrieveSections } from './sections.js';
import type { Draft, DraftProject, DraftRequest, Drafter, FunctionSource, Suggestion } from './types.js';
import { verifyDraft, type DraftVerifier, type Verification } from './verify-draft.js';

export type DraftSuggestionsResult = {
  /** One per finding of `path`, in the order given. */
  suggestions: Suggestion[];
  /** One-line notices to show once (budget exhausted, quota error); deduplicated. */
  notices: string[];
};

/**
 * Drafts a change for each finding in one file, verifies it, and sanitises what will be shown.
 *
 * Steps, per finding:
 * 1. Retrieve the knowledge sections for the finding and the enclosing function's lines.
 * 2. Ask `drafter`; when it fails (no key, budget, quota, timeout, bad answer), ask the
 *    deterministic drafter instead and keep the notice it returned.
 * 3. Sanitise the draft (explanation as Markdown, replacement as code) so what is verified is
 *    exactly what is shown.
 * 4. Verify the edit (`verifyDraft`); an LLM edit that fails is replaced by the deterministic
 *    draft; an edit that still fails is withheld (`verified: false`, no `edit`, `problems` say why).
 * 5. Keep only citations of the sections retrieved in step 1.
 *
 * @param params.findings
 *   Findings from `scanFiles`; those of other files are skipped.
 * @param params.fileText
 *   The text of `path` the findings were computed on.
 * @param params.knowledge
 *   The knowledge index (citations come only from it).
 * @param params.drafter
 *   The LLM drafter, or the deterministic one when there is no key.
 * @param params.project
 *   The supported Python range (`requires-python`).
 * @param params.grammars
 *   Parsers, for templates and verification.
 * @param params.rules
 *   The rules to re-run when verifying (normally the ones that produced the findings).
 * @param params.repository
 *   `owner/name` the output is posted to; links into it survive sanitising.
 *
 * @example
 *   const { suggestions } = await draftSuggestions({ findings, fileText, path: 'src/spam.c', knowledge,
 *     drafter: createDeterministicDrafter({ grammars }), project: {}, grammars, rules });
 *   suggestions[0].verified // → true
 */
export async function draftSuggestions(params: {
  findings: readonly Finding[];
  fileText: string;
  path: string;
  knowledge: KnowledgeIndex;
  drafter: Drafter;
  project: DraftProject;
  grammars: Grammars;
  rules: readonly Rule[];
  fallback?: Drafter;
  contextFiles?: ReadonlyArray<{ path: string; text: string }>;
  repository?: string;
  requestText?: string;
  scope?: DraftRequest['scope'];
  /** Verifies off this thread (the app's worker); default: `verifyDraft` here. */
  verifier?: DraftVerifier | undefined;
  logger?: Logger;
}): Promise<DraftSuggestionsResult> {
  const { fileText, path, knowledge, drafter, project, grammars, rules, logger = silentLogger } = params;
  const fallback = params.fallback ?? (drafter.kind === 'deterministic' ? drafter : createDeterministicDrafter({ grammars }));
  const sanitizeOptions = params.repository === undefined ? {} : { repository: params.repository };
  const notices = new Set<string>();
  const suggestions: Suggestion[] = [];
  const functions = functionSources(path, fileText, grammars, params.findings);

  for (const finding of params.findings) {
    if (finding.path !== path) continue;
    // 1. Context.
    const sections = retrieveSections({ finding, index: knowledge });
    const functionSource = functions.get(finding);
    const request: DraftRequest = {
      finding,
      path,
      fileText,
      sections,
      project,
      ...(functionSource === undefined ? {} : { functionSource }),
      ...(params.requestText === undefined ? {} : { requestText: params.requestText }),
      ...(params.scope === undefined ? {} : { scope: params.scope }),
    };
    // 2. Draft, falling back on failure.
    let outcome = await safeDraft(drafter, request, logger);
    if (outcome.status === 'failed') {
      if (outcome.notice !== undefined) notices.add(outcome.notice);
      logger.warn({ ruleId: finding.ruleId, path, line: finding.line, reason: outcome.reason }, 'drafter failed; using the deterministic drafter');
      outcome = await safeDraft(fallback, request, logger);
    }
    if (outcome.status === 'failed') {
      suggestions.push({ finding, drafter: 'deterministic', verified: false, explanation: sanitizeOutput(finding.help ?? finding.message, sanitizeOptions), citations: sections.slice(0, 1).map(citationOf), problems: [] });
      continue;
    }
    // 3–4. Sanitise and verify.
    const verify = async (draft: Draft): Promise<{ draft: Draft; verified: boolean; problems: string[] }> => {
      const clean: Draft = { ...draft, explanation: sanitizeOutput(draft.explanation, sanitizeOptions) };
      if (draft.edit === undefined) return { draft: clean, verified: false, problems: [] };
      clean.edit = { ...draft.edit, path, replacement: sanitizeCode(draft.edit.replacement, sanitizeOptions) };
      const contextFiles = params.contextFiles === undefined ? {} : { contextFiles: params.contextFiles };
      const result: Verification =
        params.verifier === undefined
          ? verifyDraft({ fileText, edit: clean.edit, finding, grammars, rules, ...contextFiles })
          : await params.verifier({ fileText, edit: clean.edit, finding, ruleIds: rules.map((r) => r.meta.id), ...contextFiles });
      return { draft: clean, verified: result.ok, problems: result.problems };
    };
    let checked = await verify(outcome.draft);
    if (!checked.verified && outcome.draft.drafter === 'llm' && checked.draft.edit !== undefined) {
      logger.warn({ ruleId: finding.ruleId, path, line: finding.line, problems: checked.problems }, 'drafted edit failed verification; using the deterministic drafter');
      const second = await safeDraft(fallback, request, logger);
      if (second.status === 'drafted') {
        const again = await verify(second.draft);
        checked = again.verified || again.draft.edit === undefined ? again : { ...again, problems: [...checked.problems, ...again.problems] };
      }
    }
    // 5. Citations.
    const byId = new Map(sections.map((s) => [s.id, s]));
    const cited = [...new Set(checked.draft.citedIds)].map((id) => byId.get(id)).filter((c) => c !== undefined);
    const citations = (cited.length > 0 ? cited : sections.slice(0, 1)).map(citationOf);
    suggestions.push({
      finding,
      drafter: checked.draft.drafter,
      verified: checked.verified,
      explanation: checked.draft.explanation,
      citations,
      problems: checked.verified ? [] : checked.problems,
      ...(checked.verified && checked.draft.edit !== undefined ? { edit: checked.draft.edit } : {}),
      ...(checked.draft.promptId === undefined ? {} : { promptId: checked.draft.promptId }),
    });
  }
  return { suggestions, notices: [...notices] };
}

/** A drafter that throws is a bug, but one finding must not stop the others. */
async function safeDraft(drafter: Drafter, request: DraftRequest, logger: Logger) {
  try {
    return await drafter.draft(request);
  } catch (error) {
    logger.error({ drafter: drafter.kind, err: error instanceof Error ? error.message : String(error) }, 'drafter threw');
    return { status: 'failed' as const, reason: 'drafter threw' };
  }
}

/** The enclosing function of each finding, as numbered lines for prompts. */
function functionSources(path: string, text: string, grammars: Grammars, findings: readonly Finding[]): Map<Finding, FunctionSource> {
  const out = new Map<Finding, FunctionSource>();
  const tree = parseSource({ path, text, grammars });
  if (tree === undefined) return out;
  try {
    const lines = text.split('\n');
    for (const finding of findings) {
      if (finding.path !== path) continue;
      const offset = offsetOf(text, finding.line, finding.column);
      const node = tree.rootNode.descendantForIndex(offset, offset + 1);
      const fn = node === null ? undefined : node.type === 'function_definition' ? node : enclosingFunction(node);
      if (fn === undefined) continue;
      const startLine = fn.startPosition.row + 1;
      const endLine = Math.min(fn.endPosition.row + 1, startLine + 200);
      out.set(finding, { startLine, endLine, text: lines.slice(startLine - 1, endLine).join('\n') });
    }
  } finally {
    tree.delete();
  }
  return out;
}
