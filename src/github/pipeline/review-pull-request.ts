import type { Context } from 'probot';
import type { ResolvedConfig } from '../../core/config/schema.js';
import { runPipeline } from '../../core/pipeline/main.js';
import type { ListedFile, PipelineOutput, PipelineRunner } from '../../core/pipeline/types.js';
import { githubSourceUrl, readFingerprintMarkers, readStateMarkers, renderCheckRun, SUMMARY_MARKER } from '../../core/review/index.js';
import type { MarkerSigner } from '../../core/review/markers.js';
import type { AppOptions } from '../app-options.js';
import { finishCheckRun, startCheckRun, type CheckRunHandle } from '../check-run.js';
import { checkRepoDependencies } from '../check-repo-dependencies.js';
import { findOwnComment, listIssueComments, upsertComment, type IssueComment } from '../upsert-comment.js';
import { threadMarkers } from '../thread-markers.js';
import { writeGitHub } from '../write-github.js';
import { fetchFiles } from './fetch-files.js';
import { githubRunnerBase } from './github-runner.js';

/** The parts of a pull request the review needs (from a webhook payload or `pulls.get`). */
export type PullRequestRef = {
  number: number;
  head: { sha: string; repo: { name: string; owner: { login: string } | null } | null };
};

/** What `reviewPullRequest` needs: the event's context, the pull request and the resolved configuration. */
export type ReviewPullRequestParams = {
  context: Context;
  repo: { owner: string; repo: string };
  pr: PullRequestRef;
  config: ResolvedConfig;
  options: AppOptions;
  comments?: readonly IssueComment[];
  /** `[project] name` of the default branch's `pyproject.toml`, when the head does not change it. */
  projectName?: string | undefined;
  /** A re-requested check: create a new check run even when one exists for the head SHA. */
  rerequested?: boolean | undefined;
  /** Leave the check run out (dry runs, which have no app to own one); default true. */
  checkRun?: boolean | undefined;
};

/**
 * Reviews one pull request: `runPipeline` with the pull request's runner. In the app's terms:
 * 0. start the `ftbot` check run on the head SHA (`in_progress`; nothing when it is complete already);
 * 1. list the changed files (all pages, at most 3,000) and their diff hunks;
 * 3. fetch the changed sources and build files at the head SHA from the head repository (forks
 *    included), within the file budget;
 * 4. find what ftbot posted before: inline fingerprints and the sticky summary;
 * 6–7. the wheel matrix when a build file changed, the dependencies at the head when a
 *    dependency file changed;
 * 8–9. drafts from the model when configured (else templates), scan and render;
 * 10. post one review when there is something new, upsert the summary, and complete the check
 *    run (annotations 50 per request, the conclusion from `fail-on`).
 *
 * @returns
 *   What was posted, or undefined when the head repository is gone (nothing to review).
 */
export async function reviewPullRequest(params: ReviewPullRequestParams): Promise<PipelineOutput | undefined> {
  const { context, pr, config } = params;
  const headRepo = pr.head.repo === null || pr.head.repo.owner === null ? null : { owner: pr.head.repo.owner.login, repo: pr.head.repo.name };
  if (headRepo === null) {
    context.log.info({ pull: pr.number }, 'head repository was deleted; nothing to review');
    return undefined;
  }
  const job = {
    kind: 'review' as const,
    headSha: pr.head.sha,
    projectName: params.projectName,
    docsBaseUrl: params.options.docsBaseUrl,
    sourceUrl: githubSourceUrl(`${headRepo.owner}/${headRepo.repo}`, pr.head.sha),
    markers: threadMarkers(params.options, params.repo, pr.number),
  };
  return runPipeline({ job, config, runner: pullRequestRunner({ ...params, headRepo, markers: job.markers }), logger: context.log });
}

/**
 * The pull request's reads and writes. Files are read from the head repository at the head SHA;
 * comments and the review go to the base repository's pull request.
 */
function pullRequestRunner(params: ReviewPullRequestParams & { headRepo: { owner: string; repo: string }; markers: MarkerSigner }): PipelineRunner<ListedFile> {
  const { context, repo, headRepo, pr, config, options, markers } = params;
  const index = options.packageIndex;
  const headSha = pr.head.sha;
  const started = Date.now();
  let checkRun: CheckRunHandle = 'done';
  let comments: readonly IssueComment[] = params.comments ?? [];
  return {
    ...githubRunnerBase({ context, repo, issueNumber: pr.number, config, options }),
    start: async () => {
      if (params.checkRun !== false) checkRun = await startCheckRun({ context, repo, headSha, options, force: params.rerequested === true });
    },
    listFiles: async () => {
      const listed = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, { ...repo, pull_number: pr.number, per_page: 100 });
      return {
        files: listed.map((file) => ({
          path: file.filename,
          removed: file.status === 'removed',
          ...(file.previous_filename === undefined ? {} : { previousPath: file.previous_filename }),
          ...(file.patch === undefined ? {} : { patch: file.patch }),
        })),
      };
    },
    readFiles: async (chosen, skipped) =>
      fetchFiles({ context, ...headRepo, ref: headSha, paths: chosen.map((c) => c.path), skipped, maxFileBytes: config.maxFileSize }),
    readPrevious: async () => {
      const reviewComments = await context.octokit.paginate(context.octokit.rest.pulls.listReviewComments, { ...repo, pull_number: pr.number, per_page: 100 });
      const posted = new Set<string>();
      for (const c of reviewComments) {
        if (c.user?.type === 'Bot') for (const fp of readFingerprintMarkers(c.body, markers)) posted.add(fp);
      }
      comments = params.comments ?? (await listIssueComments(context, { ...repo, issue_number: pr.number }));
      const previousBody = findOwnComment(comments, SUMMARY_MARKER)?.body;
      if (previousBody !== undefined) for (const f of readStateMarkers(previousBody, markers).findings) if (f.posted) posted.add(f.fingerprint);
      return { posted, previousBody };
    },
    ...(index === undefined ? {} : { checkDependencies: async (known) => checkRepoDependencies({ context, ...headRepo, ref: headSha, index, known }) }),
    write: async (output) => {
      if (output.kind !== 'review') return;
      const { review } = output;
      if (review.plan.comments.length > 0) {
        await writeGitHub(
          context,
          {
            route: 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
            params: { ...repo, pull_number: pr.number, commit_id: headSha, event: 'COMMENT', body: review.reviewBody, comments: review.plan.comments },
          },
          options,
        );
      }
      const summary = await upsertComment(context, { ...repo, issue_number: pr.number, marker: SUMMARY_MARKER, body: review.summaryBody, comments, dryRun: options.dryRun });
      const check = renderCheckRun({ plan: review.plan, failOn: config.failOn, docsBaseUrl: options.docsBaseUrl });
      const checkWrites = await finishCheckRun({ context, repo, handle: checkRun, result: check, options });
      context.log.info(
        {
          pull: pr.number,
          files: output.files,
          findings: review.scan.findings.length,
          inline: review.plan.comments.length,
          drafter: output.drafter,
          notices: review.notices.length,
          summary,
          check: checkRun === 'done' ? 'unchanged' : check.conclusion,
          checkWrites,
          ms: Date.now() - started,
        },
        'pull request reviewed',
      );
    },
  };
}
