import type { Logger } from '../../core/ports.js';
import type { AppOptions } from '../app-options.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { triageIssue } from '../pipeline/triage-issue.js';
import type { GitHubWrite } from '../write-github.js';
import { dryRunContext } from './dry-run-context.js';
import type { DryRunOctokit } from './dry-run-octokit.js';
import { findingsOf, type DryRunOutcome } from './dry-run-pull-request.js';

/** The number the synthesised issue carries: GitHub never gives it, so it names "a new issue". */
export const NEW_ISSUE = 0;

export type DryRunTriage = DryRunOutcome & {
  repository: { owner: string; repo: string; url: string; defaultBranch: string };
};

/**
 * Runs the app's triage on a real repository without writing, as if a new issue had been opened
 * with the configured label: reads the repository, synthesises the `issues.labeled` event for
 * issue `NEW_ISSUE`, then runs the handler's steps (`loadRepoConfig`, `prepareRun`, `triageIssue`)
 * with a dry run whose sink collects the writes. The new issue has no comments, so listing them
 * is answered here and never sent.
 */
export async function dryRunTriage(params: { octokit: DryRunOctokit; owner: string; repo: string; options: Omit<AppOptions, 'dryRun'>; log: Logger }): Promise<DryRunTriage> {
  const { octokit } = params;
  const { data: repository } = await octokit.rest.repos.get({ owner: params.owner, repo: params.repo });
  const owner = repository.owner.login;
  const newIssueComments = `/repos/${owner}/${repository.name}/issues/${NEW_ISSUE}/comments`.toLowerCase();
  octokit.hook.wrap('request', async (request, options) => {
    const { method, url } = octokit.request.endpoint.parse(options);
    if (method === 'GET' && new URL(url).pathname.toLowerCase().endsWith(newIssueComments)) return { status: 200, url, headers: {}, data: [] };
    return request(options);
  });

  const writes: GitHubWrite[] = [];
  const options: AppOptions = { ...params.options, dryRun: { sink: (write) => writes.push(write) } };
  const payload: Record<string, unknown> = { action: 'labeled', repository, sender: { login: 'ftbot-cli', type: 'User' } };
  const context = dryRunContext({ name: 'issues', payload, octokit, log: params.log });
  const repo = context.repo();
  const loaded = await loadRepoConfig(context, repo);
  const label = { name: loaded.config.label };
  payload.label = label;
  payload.issue = { number: NEW_ISSUE, title: 'Free-threading support', state: 'open', labels: [label], user: { login: 'ftbot-cli', type: 'User' } };
  const { config, comments } = await prepareRun({ context, repo, issueNumber: NEW_ISSUE, options, config: loaded });
  const output = await triageIssue({ context, repo, issueNumber: NEW_ISSUE, defaultBranch: repository.default_branch, config, options, comments, appSlug: params.options.appSlug });
  const limited = octokit.rateLimitError();
  if (limited !== undefined) throw limited;
  return { repository: { owner, repo: repository.name, url: repository.html_url, defaultBranch: repository.default_branch }, writes, findings: findingsOf(output) };
}
