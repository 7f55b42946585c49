import type { Context } from 'probot';
import type { ReviewComment } from '../core/review/build-review.js';

/** Every write ftbot makes. Anything else it sends is a read. */
export type GitHubWrite =
  | {
      route: 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
      params: {
        owner: string;
        repo: string;
        pull_number: number;
        commit_id: string;
        event: 'COMMENT';
        body: string;
        comments: ReviewComment[];
      };
    }
  | { route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'; params: { owner: string; repo: string; issue_number: number; body: string } }
  | { route: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}'; params: { owner: string; repo: string; comment_id: number; body: string } };

/**
 * Dry-run mode. `true` logs each write instead of sending it; an object does that too and hands
 * each write, exactly as it would be sent, to `sink` (the CLI's dry runs print them).
 */
export type DryRun = boolean | { sink: (write: GitHubWrite) => void };

/** GitHub's answer when one inline comment of a review is not on a line of the diff. */
const OFF_DIFF = /part of the diff|could not be resolved|start[_ ]line|same hunk|diff hunk|line must|path is invalid/i;

/** Review bodies stay well under GitHub's 65,536-character limit. */
const REVIEW_BODY_LIMIT = 60_000;

/**
 * The single write step. In dry-run mode it logs the exact route and payload that would be sent
 * and sends nothing, so what the log shows is what a real run posts.
 *
 * A POST is sent once: Octokit's retry plugin would re-send it after a 5xx, and a 502 can come
 * after GitHub stored the comment, so a blind re-send duplicates it. The failure goes up instead;
 * inside a queue job it makes the job retry, and the retry reads the thread again (finding the
 * comment by its marker) before it writes. Edits (PATCH) are idempotent and keep Octokit's
 * retries.
 *
 * A review that GitHub rejects with 422 because an inline comment is off the diff (the head
 * moved, or a range crosses hunks) is posted once more without inline comments; they are listed
 * in the review body instead, so nothing is dropped silently.
 */
export async function writeGitHub(context: Context, write: GitHubWrite, options: { dryRun: DryRun }): Promise<void> {
  if (options.dryRun) {
    context.log.info({ dryRun: true, route: write.route, payload: write.params }, 'dry run: not sent');
    if (typeof options.dryRun === 'object') options.dryRun.sink(write);
    return;
  }
  const once = write.route.startsWith('POST ') ? { request: { retries: 0 } } : {};
  try {
    await context.octokit.request(write.route, { ...write.params, ...once });
  } catch (error) {
    if (write.route !== 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews' || !isOffDiff(error) || write.params.comments.length === 0) throw error;
    context.log.warn({ pull: write.params.pull_number, inline: write.params.comments.length }, 'review rejected: inline comment off the diff; posting it without inline comments');
    await context.octokit.request(write.route, { ...write.params, body: withUnplaced(write.params.body, write.params.comments), comments: [], ...once });
  }
}

function isOffDiff(error: unknown): boolean {
  const err = error as { status?: number; message?: string; response?: { data?: { errors?: unknown } } };
  if (err.status !== 422) return false;
  const errors = err.response?.data?.errors;
  return OFF_DIFF.test(`${err.message ?? ''} ${JSON.stringify(errors ?? '')}`);
}

/** The review body followed by the inline comments GitHub would not place, one line each. */
function withUnplaced(body: string, comments: readonly ReviewComment[]): string {
  const lines = ['', '', 'These comments could not be placed on the diff (the pull request changed since it was read):', ''];
  for (const c of comments) {
    const first = c.body.replace(/<!--[\s\S]*?-->/g, '').trim().split('\n')[0] ?? '';
    lines.push(`- \`${c.path.replace(/`/g, "'")}\` line ${c.line}: ${first.slice(0, 300)}`);
  }
  const text = body + lines.join('\n');
  return text.length <= REVIEW_BODY_LIMIT ? text : `${text.slice(0, REVIEW_BODY_LIMIT - 40)}\n\n(list truncated)`;
}
