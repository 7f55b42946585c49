import type { ResolvedConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import { scanFiles, type Grammars, type ScanResult } from '../engine/scan-files.js';
import type { Logger } from '../ports.js';
import type { WheelCheck } from '../wheels/index.js';
import type { ReadinessCheck } from '../deps/index.js';
import { buildReview, renderReviewBody, skippedOf, type ReviewPlan } from './build-review.js';
import type { KnowledgeLinker } from './create-knowledge-linker.js';
import type { DiffLines } from './diff-lines.js';
import { draftFindings, draftProjectOf, type DraftingSetup, type FindingDraft } from './draft-findings.js';
import type { MarkerSigner } from './markers.js';
import { renderSummary } from './render-summary.js';
import { renderTriage, triageExamples, type TriageDraft } from './render-triage.js';

type Common = {
  /** Files with their text; the shell has already applied its count and byte budgets. */
  files: ReadonlyArray<{ path: string; text: string }>;
  grammars: Grammars;
  rules: readonly Rule[];
  config: ResolvedConfig;
  /** Files the shell did not fetch (binary, too many, too large), reported beside the scan's own. */
  skipped?: readonly Diagnostic[];
  docsBaseUrl: string;
  sourceUrl: (path: string, line: number) => string | undefined;
  logger?: Logger;
  /** Links findings to the knowledge section that explains their rule. */
  knowledgeLink?: KnowledgeLinker | undefined;
  /** The dependencies' readiness, when the shell checked it (triage; summaries of dependency changes). */
  dependencies?: ReadinessCheck | undefined;
  /** The scan of `files`, when the shell ran it already (the app runs it on a worker thread with a budget); else it runs here. */
  scan?: ScanResult | undefined;
};

export type PullRequestReview = {
  scan: ScanResult;
  plan: ReviewPlan;
  /** The review body; post a review only when `plan.comments` is not empty. */
  reviewBody: string;
  summaryBody: string;
  /** Drafting notices shown in the summary (empty without drafting). */
  notices: string[];
};

type PullRequestParams = Common & {
  diff: DiffLines;
  headSha: string;
  posted?: ReadonlySet<string>;
  previousBody?: string | undefined;
  wheels?: WheelCheck | undefined;
  /** Signs the state markers for this pull request and checks the previous summary's (`MarkerSigner`). */
  markers?: MarkerSigner | undefined;
};

/**
 * The pull-request review (pipeline step 9), shared by the app and `ftbot review --diff`:
 * 1. scan the changed files whole (unless the shell scanned them already);
 * 2. place findings on the diff (inline, capped) or in the summary;
 * 3. with `drafting`: draft for the inline findings (`draftFindings`: one draft per line,
 *    verified, sanitised) and plan again with the drafts: a verified edit whose lines lie in one
 *    hunk becomes a committable suggestion, anything else an explanation; notices (budget,
 *    quota) go into the summary;
 * 4. render the review body and the sticky summary (with fixed findings from `previousBody`).
 */
export async function buildPullRequestReview(params: PullRequestParams & { drafting?: DraftingSetup | undefined }): Promise<PullRequestReview> {
  const { files, grammars, rules, config, logger, drafting } = params;
  // 1.
  const scan = params.scan ?? scanFiles({ files, grammars, rules, config, ...(logger === undefined ? {} : { logger }) });
  // 2.
  const first = planReview(params, scan);
  if (drafting === undefined) return first;
  // 3.
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const { drafts, notices } = await draftFindings({
    findings: first.plan.inline.filter((f) => f.fix === undefined),
    textOf: (path) => texts.get(path),
    project: draftProjectOf(scan.project),
    grammars,
    rules,
    setup: drafting,
    contextFiles: files.filter((f) => /(^|\/)(pyproject\.toml|Cargo\.toml)$/.test(f.path)),
    ...(logger === undefined ? {} : { logger }),
  });
  // 4.
  return planReview(params, scan, { drafts, notices, repository: drafting.repository });
}

function planReview(
  params: PullRequestParams,
  scan: ScanResult,
  drafting: { drafts: ReadonlyMap<string, FindingDraft>; notices: string[]; repository?: string | undefined } = { drafts: new Map(), notices: [] },
): PullRequestReview {
  const { files, config, diff, headSha, posted, previousBody, docsBaseUrl, sourceUrl, knowledgeLink, wheels, markers } = params;
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const plan = buildReview({
    findings: scan.findings,
    textOf: (path) => texts.get(path),
    diff,
    ...(posted === undefined ? {} : { posted }),
    maxInlineComments: config.maxInlineComments,
    docsBaseUrl,
    knowledgeLink,
    drafts: drafting.drafts,
    repository: drafting.repository,
    markers,
  });
  const skipped = [...(params.skipped ?? []), ...skippedOf(scan.diagnostics)];
  const summaryBody = renderSummary({
    plan,
    headSha,
    previousBody,
    skipped,
    docsBaseUrl,
    sourceUrl,
    wheels,
    dependencies: params.dependencies,
    notices: drafting.notices,
    markers,
    ...(posted === undefined ? {} : { postedBefore: posted }),
  });
  return { scan, plan, reviewBody: renderReviewBody(plan), summaryBody, notices: drafting.notices };
}

/**
 * The triage comment (pipeline step 9), shared by the app and `ftbot review`: scan a tree and
 * render the comment. With `drafting`, the top examples (one per rule, `triageExamples`) get a
 * short explanation and citation drafted by `drafting.drafter` (the deterministic drafter: triage
 * asks no model), and the cited knowledge pages are linked under `repoBase`.
 */
export async function buildTriageComment(
  params: Common & { sha: string; wheels?: WheelCheck | undefined; appSlug?: string | undefined; drafting?: DraftingSetup | undefined; repoBase: string },
): Promise<{ scan: ScanResult; body: string }> {
  const { files, grammars, rules, config, sha, docsBaseUrl, sourceUrl, wheels, appSlug, logger, knowledgeLink, drafting, repoBase } = params;
  const scan = params.scan ?? scanFiles({ files, grammars, rules, config, ...(logger === undefined ? {} : { logger }) });
  const skipped = [...(params.skipped ?? []), ...skippedOf(scan.diagnostics)];
  const common = { findings: scan.findings, files, project: scan.project, skipped, sha, docsBaseUrl, sourceUrl, wheels, appSlug, knowledgeLink, dependencies: params.dependencies };
  if (drafting === undefined) return { scan, body: renderTriage(common) };
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const examples = triageExamples(scan.findings);
  const { drafts } = await draftFindings({
    findings: examples,
    textOf: (path) => texts.get(path),
    project: draftProjectOf(scan.project),
    grammars,
    rules,
    setup: drafting,
    ...(logger === undefined ? {} : { logger }),
  });
  const triageDrafts: TriageDraft[] = examples.flatMap((finding) => {
    const draft = drafts.get(finding.fingerprint);
    return draft?.kind === 'drafted' ? [{ finding, suggestion: draft.suggestion }] : [];
  });
  return { scan, body: renderTriage({ ...common, drafts: triageDrafts, repoBase, repository: drafting.repository }) };
}
