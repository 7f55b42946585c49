import type { ResolvedConfig } from '../../config/schema.js';
import type { ReadinessCheck } from '../../deps/index.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { Rule } from '../../engine/define-rule.js';
import type { Grammars, ScanResult } from '../../engine/scan-files.js';
import type { Logger, SourceFile } from '../../ports.js';
import type { KnowledgeLinker } from '../../review/create-knowledge-linker.js';
import type { DiffLines } from '../../review/diff-lines.js';
import type { DraftingSetup } from '../../review/draft-findings.js';
import { buildPullRequestReview, buildTriageComment } from '../../review/review-files.js';
import type { WheelCheck } from '../../wheels/index.js';
import type { PipelineJob, PipelineOutput, PreviousPosts } from '../types.js';

/**
 * Step 9: scan (unless the runner scanned already) and render what the job posts: for a review
 * the inline comments, review body and sticky summary; for a triage the triage comment. Drafts
 * come from `drafting` when there is one.
 */
export async function buildOutput(params: {
  job: PipelineJob;
  files: readonly SourceFile[];
  skipped: readonly Diagnostic[];
  diff: DiffLines;
  previous: PreviousPosts | undefined;
  config: ResolvedConfig;
  rules: readonly Rule[];
  grammars: Grammars;
  scan: ScanResult | undefined;
  wheels: WheelCheck | undefined;
  dependencies: ReadinessCheck | undefined;
  drafting: DraftingSetup | undefined;
  knowledgeLink: KnowledgeLinker | undefined;
  logger: Logger | undefined;
}): Promise<PipelineOutput> {
  const { job, files, skipped, config, rules, grammars, scan, wheels, dependencies, drafting, knowledgeLink, logger } = params;
  const common = {
    files,
    grammars,
    rules,
    config,
    skipped,
    scan,
    docsBaseUrl: job.docsBaseUrl,
    sourceUrl: job.sourceUrl,
    knowledgeLink,
    wheels,
    dependencies,
    drafting,
    ...(logger === undefined ? {} : { logger }),
  };
  if (job.kind === 'triage') {
    const { scan: result, body } = await buildTriageComment({ ...common, sha: job.sha, appSlug: job.appSlug, repoBase: job.repoBase });
    return { kind: 'triage', scan: result, body, files: files.length };
  }
  const review = await buildPullRequestReview({
    ...common,
    diff: params.diff,
    headSha: job.headSha,
    markers: job.markers,
    ...(params.previous === undefined ? {} : { posted: params.previous.posted, previousBody: params.previous.previousBody }),
  });
  return { kind: 'review', review, files: files.length, drafter: drafting?.drafter.kind };
}
