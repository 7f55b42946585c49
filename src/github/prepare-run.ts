import type { Context } from 'probot';
import type { ResolvedConfig } from '../core/config/schema.js';
import { CONFIG_MARKER, renderConfigProblems } from '../core/review/index.js';
import type { AppOptions } from './app-options.js';
import { loadRepoConfig } from './load-repo-config.js';
import { listIssueComments, upsertComment, type IssueComment } from './upsert-comment.js';

/**
 * Loads the repository's configuration and the thread's comments before a run. Invalid settings
 * are reported once in their own comment (edited in place, never repeated) and the run goes on
 * with the defaults.
 */
export async function prepareRun(params: {
  context: Context;
  repo: { owner: string; repo: string };
  issueNumber: number;
  options: AppOptions;
  config?: { config: ResolvedConfig; problems: Array<{ source: string; path: string; message: string }> };
}): Promise<{ config: ResolvedConfig; comments: IssueComment[] }> {
  const { context, repo, issueNumber, options } = params;
  const loaded = params.config ?? (await loadRepoConfig(context, repo));
  const comments = await listIssueComments(context, { ...repo, issue_number: issueNumber });
  if (loaded.problems.length > 0) {
    context.log.warn({ problems: loaded.problems.length }, 'invalid configuration; using defaults');
    await upsertComment(context, { ...repo, issue_number: issueNumber, marker: CONFIG_MARKER, body: renderConfigProblems(loaded.problems), comments, dryRun: options.dryRun });
  }
  return { config: loaded.config, comments };
}
