import type { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import type { RateLimit } from '../rate-limit.js';
import { writeGitHub } from '../write-github.js';

/** What a mention command gets: the comment's event, its arguments, and the app's settings. */
export type CommandContext = {
  context: Context<'issue_comment.created'>;
  /** The rest of the command's line, code spans included. */
  args: string;
  /** The paragraph after the command word (several lines joined), for questions. */
  text: string;
  options: AppOptions;
  appSlug: string;
  /** Answers per issue or pull request, shared by `ask`, `wheels` and `deps`. */
  answers: RateLimit;
  /**
   * The review-comment thread the command was given in (`pull_request_review_comment`): the
   * reply goes into that thread. `context` then reads as a comment on the pull request.
   */
  thread?: { pullNumber: number; commentId: number } | undefined;
};

/** Posts a plain reply on the comment's issue or pull request, or in its review-comment thread. */
export async function reply(cmd: CommandContext, body: string): Promise<void> {
  const { owner, repo } = cmd.context.repo();
  if (cmd.thread !== undefined) {
    const { pullNumber, commentId } = cmd.thread;
    await writeGitHub(
      cmd.context,
      { route: 'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies', params: { owner, repo, pull_number: pullNumber, comment_id: commentId, body } },
      cmd.options,
    );
    return;
  }
  await writeGitHub(
    cmd.context,
    { route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', params: { owner, repo, issue_number: cmd.context.payload.issue.number, body } },
    cmd.options,
  );
}
