import type { ResolvedConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import { scanFiles, type Grammars, type ScanResult } from '../engine/scan-files.js';
import type { Logger } from '../ports.js';
import type { WheelCheck } from '../wheels/index.js';
import { buildReview, renderReviewBody, skippedOf, type ReviewPlan } from './build-review.js';
import type { KnowledgeLinker } from './create-knowledge-linker.js';
import type { DiffLines } from './diff-lines.js';
import { renderSummary } from './render-summary.js';
import { renderTriage } from './render-triage.js';

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
};

export type PullRequestReview = {
  scan: ScanResult;
  plan: ReviewPlan;
  /** The review body; post a review only when `plan.comments` is not empty. */
  reviewBody: string;
  summaryBody: string;
};

/**
 * The pull-request pipeline shared by the app and `ftbot review --diff`:
 * 1. scan the changed files whole;
 * 2. place findings on the diff (inline, capped) or in the summary;
 * 3. render the review body and the sticky summary (with fixed findings from `previousBody`).
 */
export function reviewPullRequest(
  params: Common & { diff: DiffLines; headSha: string; posted?: ReadonlySet<string>; previousBody?: string | undefined; wheels?: WheelCheck | undefined },
): PullRequestReview {
  const { files, grammars, rules, config, diff, headSha, posted, previousBody, docsBaseUrl, sourceUrl, logger, knowledgeLink, wheels } = params;
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const scan = scanFiles({ files, grammars, rules, config, ...(logger === undefined ? {} : { logger }) });
  const plan = buildReview({
    findings: scan.findings,
    textOf: (path) => texts.get(path),
    diff,
    ...(posted === undefined ? {} : { posted }),
    maxInlineComments: config.maxInlineComments,
    docsBaseUrl,
    knowledgeLink,
  });
  const skipped = [...(params.skipped ?? []), ...skippedOf(scan.diagnostics)];
  const summaryBody = renderSummary({ plan, headSha, previousBody, skipped, docsBaseUrl, sourceUrl, wheels, ...(posted === undefined ? {} : { postedBefore: posted }) });
  return { scan, plan, reviewBody: renderReviewBody(plan), summaryBody };
}

/** The issue pipeline shared by the app and `ftbot review`: scan a tree, render the triage comment. */
export function triageRepository(params: Common & { sha: string; wheels?: WheelCheck | undefined; appSlug?: string | undefined }): { scan: ScanResult; body: string } {
  const { files, grammars, rules, config, sha, docsBaseUrl, sourceUrl, wheels, appSlug, logger, knowledgeLink } = params;
  const scan = scanFiles({ files, grammars, rules, config, ...(logger === undefined ? {} : { logger }) });
  const skipped = [...(params.skipped ?? []), ...skippedOf(scan.diagnostics)];
  const body = renderTriage({ findings: scan.findings, files, project: scan.project, skipped, sha, docsBaseUrl, sourceUrl, wheels, appSlug, knowledgeLink });
  return { scan, body };
}
