import type { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { reviewPullRequest } from '../review-pull-request.js';
import { triageIssue } from '../triage-issue.js';
import { writeGitHub } from '../write-github.js';

/** What a mention command gets: the comment's event, its arguments, and the app's settings. */
export type CommandContext = {
  context: Context<'issue_comment.created'>;
  args: string;
  options: AppOptions;
  appSlug: string;
};

export type MentionCommand = {
  /** One line for the `help` reply. */
  summary: string;
  /** Who may run it: anyone, or people with write access (it costs API calls or money). */
  access: 'anyone' | 'collaborators';
  run: (cmd: CommandContext) => Promise<void>;
};

/**
 * The mention commands, sorted by name. To add one (`ask`, `wheels`, `suggest`, `deps`), add an
 * entry here; `help` lists every entry.
 */
export const mentionCommands: Record<string, MentionCommand> = {
  help: {
    summary: 'List the commands',
    access: 'anyone',
    run: async (cmd) => reply(cmd, renderHelp(cmd.appSlug)),
  },
  scan: {
    summary: 'Re-run the review on this pull request, or the triage on this issue',
    access: 'collaborators',
    run: runScan,
  },
};

/** `author_association` values that mean write access to the repository. */
const COLLABORATORS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** True when the commenter may run `command`. */
export function mayRun(command: MentionCommand, association: string): boolean {
  return command.access === 'anyone' || COLLABORATORS.has(association);
}

/** The reply to `help` and to an unknown command. */
export function renderHelp(appSlug: string, unknown?: string): string {
  const names = Object.keys(mentionCommands).sort();
  const lines = unknown === undefined ? [] : [`Unknown command \`${unknown.replace(/[^\w-]/g, '')}\`.`, ''];
  lines.push('Commands (mention the app, then the command):', '');
  // Backticks keep the app's own handle from becoming a live mention.
  for (const name of names) lines.push(`- \`@${appSlug} ${name}\`: ${mentionCommands[name]?.summary ?? ''}`);
  return lines.join('\n');
}

/** Posts a plain reply on the comment's issue or pull request. */
export async function reply(cmd: CommandContext, body: string): Promise<void> {
  const { owner, repo } = cmd.context.repo();
  await writeGitHub(
    cmd.context,
    { route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', params: { owner, repo, issue_number: cmd.context.payload.issue.number, body } },
    cmd.options,
  );
}

async function runScan(cmd: CommandContext): Promise<void> {
  const { context, options } = cmd;
  const repo = context.repo();
  const issue = context.payload.issue;
  const loaded = await loadRepoConfig(context, repo);
  const { config, comments } = await prepareRun({ context, repo, issueNumber: issue.number, options, config: loaded });
  if (issue.pull_request !== undefined) {
    const pr = await context.octokit.rest.pulls.get({ ...repo, pull_number: issue.number });
    await reviewPullRequest({ context, repo, pr: pr.data, config, options, comments });
    return;
  }
  await triageIssue({
    context,
    repo,
    issueNumber: issue.number,
    defaultBranch: context.payload.repository.default_branch,
    config,
    options,
    comments,
    appSlug: cmd.appSlug,
  });
}
