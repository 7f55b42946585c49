import { loadRepoConfig } from '../load-repo-config.js';
import { prepareRun } from '../prepare-run.js';
import { reviewPullRequest } from '../pipeline/review-pull-request.js';
import { triageIssue } from '../pipeline/triage-issue.js';
import { reply, type CommandContext } from './reply.js';
import { runAsk } from './run-ask.js';
import { runDeps } from './run-deps.js';
import { runSuggest } from './run-suggest.js';
import { runWheels } from './run-wheels.js';

export { reply, type CommandContext } from './reply.js';

export type MentionCommand = {
  /** One line for the `help` reply. */
  summary: string;
  /** Who may run it: anyone, or people with write access (it costs API calls or money). */
  access: 'anyone' | 'collaborators';
  run: (cmd: CommandContext) => Promise<void>;
};

/**
 * The mention commands, sorted by name. To add one (`suggest`, `deps`), add an entry here; `help`
 * lists every entry. A mention whose first word is none of these but reads as a question runs `ask`.
 */
export const mentionCommands: Record<string, MentionCommand> = {
  ask: {
    summary: 'Answer a question from the knowledge base (on a pull request, `path:line` in it adds that code\'s findings)',
    access: 'anyone',
    run: async (cmd) => runAsk(cmd, renderHelp(cmd.appSlug)),
  },
  deps: {
    summary: 'Check which of this project\'s dependencies install on free-threaded CPython (PyPI\'s latest releases; blockers first)',
    access: 'anyone',
    run: runDeps,
  },
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
  suggest: {
    summary: 'Draft a fix for the findings on `<path>:<line>` (the head commit, or the default branch on an issue); edits are verified before they are shown',
    // Drafting may ask a language model, which costs money.
    access: 'collaborators',
    run: runSuggest,
  },
  triage: {
    summary: 'Re-run the triage of the default branch on this issue (the comment is edited only when something changed)',
    access: 'collaborators',
    run: runTriage,
  },
  wheels: {
    summary: 'Show which free-threaded builds can install the latest release from PyPI (this project, or `<project>[==<version>]`)',
    access: 'anyone',
    run: runWheels,
  },
};

/**
 * `author_association` values that may hold write access. Only `OWNER` (the account that owns the
 * repository) implies it; `MEMBER` (of the owning organization) and `COLLABORATOR` (invited,
 * possibly read-only) are checked through the API. Anyone else is refused without a request.
 */
const MAY_WRITE = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** Permission levels (`permission` of the collaborator permission API) that include write access. */
const WRITE_LEVELS = new Set(['admin', 'maintain', 'write']);

/** True when the commenter may run `command`: anyone, or a person GitHub says can push to the repository. */
export async function mayRun(command: MentionCommand, context: CommandContext['context']): Promise<boolean> {
  if (command.access === 'anyone') return true;
  const association = context.payload.comment.author_association;
  if (!MAY_WRITE.has(association)) return false;
  if (association === 'OWNER') return true;
  const username = context.payload.comment.user?.login;
  if (username === undefined) return false;
  try {
    const { data } = await context.octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...context.repo(), username });
    return WRITE_LEVELS.has(data.permission) || WRITE_LEVELS.has(data.role_name);
  } catch (error) {
    // 404: not a collaborator. Any failure refuses: a command that needs write access never runs on a guess.
    context.log.info({ username, status: (error as { status?: number }).status }, 'permission check failed');
    return false;
  }
}

/** The reply to `help` and to an unknown command. */
export function renderHelp(appSlug: string, unknown?: string): string {
  const names = Object.keys(mentionCommands).sort();
  const lines = unknown === undefined ? [] : [`Unknown command \`${unknown.replace(/[^\w-]/g, '')}\`.`, ''];
  lines.push('Commands (mention the app, then the command):', '');
  // Backticks keep the app's own handle from becoming a live mention.
  for (const name of names) lines.push(`- \`@${appSlug} ${name}\`: ${mentionCommands[name]?.summary ?? ''}`);
  lines.push('', `A mention followed by a question, such as \`@${appSlug} what replaces PyList_GetItem?\`, is answered like \`ask\`.`);
  lines.push(`\`/${appSlug} <command>\` at the start of a line works as well, here and in review-comment threads (answered in the thread).`);
  return lines.join('\n');
}

/** `triage` on an issue re-runs the triage; on a pull request the review is what `scan` re-runs. */
async function runTriage(cmd: CommandContext): Promise<void> {
  if (cmd.context.payload.issue.pull_request !== undefined) {
    await reply(cmd, `Triage describes the default branch on an issue; on a pull request, \`@${cmd.appSlug} scan\` re-runs the review.`);
    return;
  }
  await runScan(cmd);
}

async function runScan(cmd: CommandContext): Promise<void> {
  const { context, options } = cmd;
  const repo = context.repo();
  const issue = context.payload.issue;
  const loaded = await loadRepoConfig(context, repo);
  const { config, comments } = await prepareRun({ context, repo, issueNumber: issue.number, options, config: loaded });
  if (issue.pull_request !== undefined) {
    const pr = await context.octokit.rest.pulls.get({ ...repo, pull_number: issue.number });
    await reviewPullRequest({ context, repo, pr: pr.data, config, options, comments, projectName: loaded.projectName });
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
