import type { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { reviewPullRequest } from '../pipeline/review-pull-request.js';

/** Someone pressed "Re-run" on ftbot's check run, or on the whole check suite. */
export const CHECK_EVENTS = ['check_run.rerequested', 'check_suite.rerequested'] as const;

/**
 * Re-runs the review of the pull request a re-requested check belongs to, with a new check run
 * on its head SHA. The pull request is read again (labels and head may have changed); one
 * without the label, closed, or whose head moved on is left alone. GitHub lists no pull request
 * for a check on a fork's branch: such a re-request is logged and skipped.
 */
export function onCheckRerequested(options: AppOptions) {
  return async (context: Context<(typeof CHECK_EVENTS)[number]>): Promise<void> => {
    const { payload } = context;
    const suite = 'check_run' in payload ? payload.check_run.check_suite : payload.check_suite;
    const headSha = 'check_run' in payload ? payload.check_run.head_sha : payload.check_suite.head_sha;
    const listed = 'check_run' in payload && payload.check_run.pull_requests.length > 0 ? payload.check_run.pull_requests : (suite?.pull_requests ?? []);
    const number = listed.find((p) => p.head.sha === headSha)?.number ?? listed[0]?.number;
    if (number === undefined) {
      context.log.info({ headSha }, 'check re-requested without a pull request; nothing to review');
      return;
    }
    const repo = context.repo();
    const { data: pr } = await context.octokit.rest.pulls.get({ ...repo, pull_number: number });
    const loaded = await loadRepoConfig(context, repo);
    if (pr.state !== 'open' || pr.head.sha !== headSha || !pr.labels.some((l) => l.name === loaded.config.label)) {
      context.log.info({ pull: number, headSha }, 'check re-requested on a pull request ftbot does not review now');
      return;
    }
    const { config, comments } = await prepareRun({ context, repo, issueNumber: pr.number, options, config: loaded });
    await reviewPullRequest({ context, repo, pr, config, options, comments, projectName: loaded.projectName, rerequested: true });
  };
}
