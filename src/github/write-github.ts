import type { Context } from 'probot';

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
        comments: Array<{ path: string; line: number; side: 'RIGHT'; start_line?: number; start_side?: 'RIGHT'; body: string }>;
      };
    }
  | { route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'; params: { owner: string; repo: string; issue_number: number; body: string } }
  | { route: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}'; params: { owner: string; repo: string; comment_id: number; body: string } };

/**
 * The single write step. In dry-run mode it logs the exact route and payload that would be sent
 * and sends nothing, so what the log shows is what a real run posts.
 */
export async function writeGitHub(context: Context, write: GitHubWrite, options: { dryRun: boolean }): Promise<void> {
  if (options.dryRun) {
    context.log.info({ dryRun: true, route: write.route, payload: write.params }, 'dry run: not sent');
    return;
  }
  await context.octokit.request(write.route, write.params);
}
