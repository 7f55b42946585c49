import type { Context } from 'probot';
import { writeGitHub, type DryRun } from './write-github.js';

/** An issue or pull-request conversation comment, as far as ftbot reads it. */
export type IssueComment = { id: number; body?: string | undefined; user: { type?: string | undefined } | null };

/**
 * Lists the conversation comments of an issue or pull request (all pages: a busy thread has
 * more than 100).
 */
export async function listIssueComments(context: Context, target: { owner: string; repo: string; issue_number: number }): Promise<IssueComment[]> {
  return await context.octokit.paginate(context.octokit.rest.issues.listComments, { ...target, per_page: 100 });
}

/** ftbot's own comment holding `marker`: written by a bot and carrying the hidden marker. */
export function findOwnComment(comments: readonly IssueComment[], marker: string): IssueComment | undefined {
  return comments.find((c) => c.user?.type === 'Bot' && c.body?.includes(marker) === true);
}

/**
 * Creates the comment holding `marker`, or edits the existing one in place; an unchanged body
 * is not written again.
 */
export async function upsertComment(
  context: Context,
  params: { owner: string; repo: string; issue_number: number; marker: string; body: string; comments: readonly IssueComment[]; dryRun: DryRun },
): Promise<'created' | 'updated' | 'unchanged'> {
  const { owner, repo, issue_number, marker, body, comments, dryRun } = params;
  const existing = findOwnComment(comments, marker);
  if (existing === undefined) {
    await writeGitHub(context, { route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', params: { owner, repo, issue_number, body } }, { dryRun });
    return 'created';
  }
  if (existing.body === body) return 'unchanged';
  await writeGitHub(context, { route: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', params: { owner, repo, comment_id: existing.id, body } }, { dryRun });
  return 'updated';
}
