import type { Context } from 'probot';
import type { ResolvedConfig } from '../../core/config/schema.js';
import { mapConcurrently } from '../../core/map-concurrently.js';
import { runPipeline } from '../../core/pipeline/main.js';
import type { ListedFile, PipelineOutput, PipelineRunner } from '../../core/pipeline/types.js';
import { githubSourceUrl, TRIAGE_MARKER } from '../../core/review/index.js';
import { FETCH_CONCURRENCY, type AppOptions } from '../app-options.js';
import { checkRepoDependencies } from '../check-repo-dependencies.js';
import { knowledgeBase } from '../knowledge-index.js';
import { upsertComment, type IssueComment } from '../upsert-comment.js';
import { githubRunnerBase } from './github-runner.js';

/** A blob of the default branch's tree. */
type TreeFile = ListedFile & { sha: string };

/**
 * Triages a repository for an issue: `runPipeline` with the default branch's runner. In the
 * app's terms:
 * 1. resolve the default branch to a commit and read its tree (recursive; GitHub truncates very
 *    large trees, which is noted);
 * 2–3. pick sources and build files within the budget (`first`: the automatic triage reads at
 *    most `FIRST_TRIAGE_FILES`, build files first) and fetch their blobs;
 * 6–7. the release's wheels when a package index is configured and the project has a name, and
 *    the dependencies' readiness from the dependency files in the tree (bounded reads);
 * 8–9. scan and render, hazards linked to their knowledge sections and the top examples
 *    explained by ftbot's templates (triage never asks a model);
 * 10. upsert the triage comment.
 */
export async function triageIssue(params: {
  context: Context;
  repo: { owner: string; repo: string };
  issueNumber: number;
  defaultBranch: string;
  config: ResolvedConfig;
  options: AppOptions;
  comments: readonly IssueComment[];
  appSlug?: string | undefined;
  /** The automatic triage of an issue event: at most `FIRST_TRIAGE_FILES` files are read. */
  first?: boolean | undefined;
}): Promise<PipelineOutput> {
  const { context, repo, defaultBranch, config, options } = params;
  const started = Date.now();
  // The tree's commit is known only after step 1; the job reads it when it is built.
  const branch = await context.octokit.rest.repos.getBranch({ ...repo, branch: defaultBranch });
  const sha = branch.data.commit.sha;
  const job = {
    kind: 'triage' as const,
    sha,
    first: params.first,
    appSlug: params.appSlug,
    repoBase: knowledgeBase(options),
    docsBaseUrl: options.docsBaseUrl,
    sourceUrl: githubSourceUrl(`${repo.owner}/${repo.repo}`, sha),
  };
  return runPipeline({ job, config, runner: treeRunner({ ...params, sha, treeSha: branch.data.commit.commit.tree.sha, started }), logger: context.log });
}

/** The default branch's reads (its tree and blobs) and the issue's one write. */
function treeRunner(params: {
  context: Context;
  repo: { owner: string; repo: string };
  issueNumber: number;
  sha: string;
  treeSha: string;
  options: AppOptions;
  config: ResolvedConfig;
  comments: readonly IssueComment[];
  started: number;
}): PipelineRunner<TreeFile> {
  const { context, repo, issueNumber, sha, options, config } = params;
  const index = options.packageIndex;
  return {
    ...githubRunnerBase({ context, repo, issueNumber, config, options }),
    listFiles: async () => {
      const tree = await context.octokit.rest.git.getTree({ ...repo, tree_sha: params.treeSha, recursive: 'true' });
      return {
        files: tree.data.tree.flatMap((e) => (e.type === 'blob' && e.path !== undefined && e.sha !== undefined ? [{ path: e.path, sha: e.sha, size: e.size }] : [])),
        skipped: tree.data.truncated ? [{ kind: 'truncated' as const, message: 'GitHub truncated the file tree; some files were not seen' }] : [],
      };
    },
    readFiles: async (chosen, skipped) => {
      const texts = await mapConcurrently(chosen, FETCH_CONCURRENCY, async (entry) => {
        try {
          const blob = await context.octokit.rest.git.getBlob({ ...repo, file_sha: entry.sha });
          return Buffer.from(blob.data.content, blob.data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
        } catch (error) {
          skipped.push({ kind: 'read-error', path: entry.path, message: `could not fetch (${(error as { status?: number }).status ?? 'network error'})` });
          return undefined;
        }
      });
      return chosen.flatMap((entry, i) => {
        const text = texts[i];
        return text === undefined ? [] : [{ path: entry.path, text }];
      });
    },
    ...(index === undefined ? {} : { checkDependencies: async (known, listing) => checkRepoDependencies({ context, ...repo, ref: sha, index, paths: listing.files, known }) }),
    write: async (output) => {
      if (output.kind !== 'triage') return;
      const result = await upsertComment(context, { ...repo, issue_number: issueNumber, marker: TRIAGE_MARKER, body: output.body, comments: params.comments, dryRun: options.dryRun });
      context.log.info({ issue: issueNumber, files: output.files, findings: output.scan.findings.length, comment: result, ms: Date.now() - params.started }, 'issue triaged');
    },
  };
}
