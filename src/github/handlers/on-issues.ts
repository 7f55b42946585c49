import type { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { triageIssue } from '../pipeline/triage-issue.js';

export const ISSUES_EVENTS = ['issues.opened', 'issues.labeled', 'issues.edited'] as const;

/**
 * Triages the repository when an issue is opened with the configured label, gets it later (again),
 * or is edited while it carries it. Each run re-reads the default branch and edits the triage
 * comment only when its body changed.
 */
export function onIssues(options: AppOptions, appSlug: () => Promise<string | undefined>) {
  return async (context: Context<(typeof ISSUES_EVENTS)[number]>): Promise<void> => {
    const { payload } = context;
    const issue = payload.issue;
    if ((issue.labels ?? []).length === 0 || issue.state !== 'open') return;
    const repo = context.repo();
    const loaded = await loadRepoConfig(context, repo);
    const label = loaded.config.label;
    if (payload.action === 'labeled' ? payload.label?.name !== label : !(issue.labels ?? []).some((l) => l.name === label)) return;
    const { config, comments } = await prepareRun({ context, repo, issueNumber: issue.number, options, config: loaded });
    await triageIssue({
      context,
      repo,
      issueNumber: issue.number,
      defaultBranch: payload.repository.default_branch,
      config,
      options,
      comments,
      appSlug: await appSlug(),
      first: true,
    });
  };
}
