import type { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { reviewPullRequest } from '../pipeline/review-pull-request.js';

/** The pull-request actions ftbot reviews on. */
export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.reopened',
  'pull_request.synchronize',
  'pull_request.labeled',
  'pull_request.ready_for_review',
] as const;

/**
 * Reviews a pull request that carries the configured label. Drafts are reviewed only when the
 * label is added explicitly; a `labeled` event for another label does nothing.
 */
export function onPullRequest(options: AppOptions) {
  return async (context: Context<(typeof PULL_REQUEST_EVENTS)[number]>): Promise<void> => {
    const { payload } = context;
    const pr = payload.pull_request;
    // Unlabeled pull requests cost no API call at all.
    if (pr.labels.length === 0 || pr.state !== 'open') return;
    const repo = context.repo();
    const loaded = await loadRepoConfig(context, repo);
    const label = loaded.config.label;
    if (!pr.labels.some((l) => l.name === label)) return;
    if (payload.action === 'labeled') {
      if (payload.label?.name !== label) return;
    } else if (pr.draft) {
      return;
    }
    const { config, comments } = await prepareRun({ context, repo, issueNumber: pr.number, options, config: loaded });
    await reviewPullRequest({ context, repo, pr, config, options, comments, projectName: loaded.projectName });
  };
}
