import type { PipelineOutput } from '../../core/pipeline/types.js';
import type { Logger } from '../../core/ports.js';
import type { AppOptions } from '../app-options.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { reviewPullRequest } from '../pipeline/review-pull-request.js';
import type { GitHubWrite } from '../write-github.js';
import { dryRunContext } from './dry-run-context.js';
import type { DryRunOctokit } from './dry-run-octokit.js';

/** What a dry run found: the writes the app would make, in order, and the number of findings. */
export type DryRunOutcome = { writes: GitHubWrite[]; findings: number | undefined };

export type DryRunPullRequest = DryRunOutcome & {
  pull: { owner: string; repo: string; number: number; title: string; url: string; headSha: string; state: string };
};

/**
 * Runs the app's pull-request pipeline on a real pull request without writing: reads the pull
 * request, synthesises the `pull_request.labeled` event the app reviews on (the configured label
 * added), then runs the handler's steps (`loadRepoConfig`, `prepareRun`, `reviewPullRequest`) with
 * a dry run whose sink collects the writes. Reads go to GitHub through `octokit`; errors (401,
 * 403, 404, network) are thrown to the caller, and so is a rate limit met on the way.
 */
export async function dryRunPullRequest(params: {
  octokit: DryRunOctokit;
  owner: string;
  repo: string;
  pullNumber: number;
  options: Omit<AppOptions, 'dryRun'>;
  log: Logger;
}): Promise<DryRunPullRequest> {
  const { octokit } = params;
  const { data: pr } = await octokit.rest.pulls.get({ owner: params.owner, repo: params.repo, pull_number: params.pullNumber });
  const writes: GitHubWrite[] = [];
  const options: AppOptions = { ...params.options, dryRun: { sink: (write) => writes.push(write) } };

  const payload: Record<string, unknown> = { action: 'labeled', number: pr.number, pull_request: pr, repository: pr.base.repo, sender: { login: 'ftbot-cli', type: 'User' } };
  const context = dryRunContext({ name: 'pull_request', payload, octokit, log: params.log });
  const repo = context.repo();
  const loaded = await loadRepoConfig(context, repo);
  const label = pr.labels.find((l) => l.name === loaded.config.label) ?? { name: loaded.config.label };
  payload.label = label;
  if (!pr.labels.some((l) => l.name === label.name)) pr.labels.push(label as (typeof pr.labels)[number]);
  const { config, comments } = await prepareRun({ context, repo, issueNumber: pr.number, options, config: loaded });
  // The check run is left out: it needs the app's `checks: write`, and a dry run has no app.
  const output = await reviewPullRequest({ context, repo, pr, config, options, comments, projectName: loaded.projectName, checkRun: false });
  const limited = octokit.rateLimitError();
  if (limited !== undefined) throw limited;
  return {
    pull: { owner: repo.owner, repo: repo.repo, number: pr.number, title: pr.title, url: pr.html_url, headSha: pr.head.sha, state: pr.state },
    writes,
    findings: findingsOf(output),
  };
}

/** The number of findings behind what a dry run would post; undefined when nothing was reviewed. */
export function findingsOf(output: PipelineOutput | undefined): number | undefined {
  if (output === undefined) return undefined;
  return (output.kind === 'review' ? output.review.scan : output.scan).findings.length;
}
