import { NO_DOCS_SITE } from '../core/review/index.js';
import type { Logger } from '../core/ports.js';
import { VERSION } from '../core/version.js';
import type { AppOptions } from '../github/app-options.js';
import { dryRunOctokit, type DryRunOctokit } from '../github/dry-run/dry-run-octokit.js';
import type { DryRunPullRequest } from '../github/dry-run/dry-run-pull-request.js';
import { NEW_ISSUE, type DryRunTriage } from '../github/dry-run/dry-run-triage.js';
import type { GitHubWrite } from '../github/write-github.js';
import { createPypiIndex } from '../io/pypi-index.js';
import { describeGitHubError } from './describe-github-error.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';

/** One write the app would make, as `--format json` prints it. */
export type DryRunPost = {
  action: 'create-review' | 'create-comment' | 'update-comment' | 'other';
  method: 'POST' | 'PATCH';
  /** The request path; null for a comment on a new issue, which has no number yet. */
  path: string | null;
  /** What is written to, in words: `pull request #12`, `a new issue`, `comment 123 on …`. */
  target: string;
  /** The JSON body, exactly as the app would send it. */
  body: Record<string, unknown>;
};

/**
 * Runs a dry run of the app against real GitHub and prints what it would post: builds the client
 * (`GITHUB_TOKEN`, or anonymous with a note), the app's options (`--docs-url`, `FTBOT_APP_SLUG`,
 * PyPI or `FTBOT_PYPI_URL` for wheel matrices), runs `run`, and turns GitHub's failures into one
 * line each. Exit code: 0 nothing to report, 1 findings, 2 GitHub or network error.
 */
export async function dryRunGitHub(params: {
  io: CliIo;
  command: string;
  /** What is asked for, for messages: `pull request o/r#12`, `repository o/r`. */
  target: string;
  format: 'markdown' | 'json';
  docsBaseUrl: string | undefined;
  run: (octokit: DryRunOctokit, options: Omit<AppOptions, 'dryRun'>, log: Logger) => Promise<DryRunPullRequest | DryRunTriage>;
}): Promise<number> {
  const { io, command, target } = params;
  const token = io.env.GITHUB_TOKEN?.trim() || undefined;
  if (token === undefined) {
    io.stderr(`ftbot ${command}: no GITHUB_TOKEN; asking GitHub anonymously, which allows 60 requests per hour from this address\n`);
  }
  const octokit = dryRunOctokit({ token, fetch: io.fetch, userAgent: `ftbot-cli/${VERSION}` });
  const pypiUrl = io.env.FTBOT_PYPI_URL?.trim() || undefined;
  const options: Omit<AppOptions, 'dryRun'> = {
    appSlug: io.env.FTBOT_APP_SLUG?.trim() || 'ftbot',
    docsBaseUrl: params.docsBaseUrl ?? NO_DOCS_SITE,
    packageIndex: createPypiIndex({ fetch: io.fetch, ...(pypiUrl === undefined ? {} : { baseUrl: pypiUrl }) }),
  };
  const debug = Boolean(io.env.FTBOT_DEBUG);
  const log: Logger = {
    debug: (fields, message) => debug && io.stderr(`ftbot ${command}: ${message} ${JSON.stringify(fields)}\n`),
    info: (fields, message) => debug && io.stderr(`ftbot ${command}: ${message} ${JSON.stringify(fields)}\n`),
    warn: (_fields, message) => io.stderr(`ftbot ${command}: ${message}\n`),
    error: (_fields, message) => io.stderr(`ftbot ${command}: ${message}\n`),
  };
  let result: DryRunPullRequest | DryRunTriage;
  try {
    result = await params.run(octokit, options, log);
  } catch (error) {
    const line = describeGitHubError(error, { target, anonymous: token === undefined, now: Date.now() });
    if (line === undefined) throw error;
    io.stderr(`ftbot ${command}: ${line}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
    return EXIT_ERROR;
  }
  if ('pull' in result && result.pull.state !== 'open') {
    io.stderr(`ftbot ${command}: pull request #${result.pull.number} is ${result.pull.state}; the app reviews open pull requests only, so it would not post this\n`);
  }
  const posts = result.writes.map((w) => toPost(w, 'pull' in result ? `pull request #${result.pull.number}` : 'a new issue'));
  if (params.format === 'json') {
    const subject = 'pull' in result ? { kind: 'review', pullRequest: result.pull } : { kind: 'triage', repository: result.repository };
    io.stdout(`${JSON.stringify({ ...subject, posted: false, posts, findings: result.findings ?? null }, null, 2)}\n`);
  } else {
    io.stdout(renderMarkdown(result, posts));
  }
  return (result.findings ?? 0) > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** The write as a request: method, path and the JSON body without the path parameters. */
function toPost(write: GitHubWrite, thread: string): DryRunPost {
  if (write.route === 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews') {
    const { owner, repo, pull_number, ...body } = write.params;
    return { action: 'create-review', method: 'POST', path: `/repos/${owner}/${repo}/pulls/${pull_number}/reviews`, target: `pull request #${pull_number}`, body };
  }
  if (write.route === 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments') {
    const { owner, repo, issue_number, ...body } = write.params;
    if (issue_number === NEW_ISSUE) return { action: 'create-comment', method: 'POST', path: null, target: 'a new issue', body };
    return { action: 'create-comment', method: 'POST', path: `/repos/${owner}/${repo}/issues/${issue_number}/comments`, target: thread, body };
  }
  if (write.route !== 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}') {
    // Review-thread replies and check runs come from mention commands and the app's check run,
    // which the dry runs do not make; shown by route should one appear.
    const { owner, repo, ...body } = write.params;
    return { action: 'other', method: write.route.startsWith('PATCH') ? 'PATCH' : 'POST', path: `${write.route.split(' ')[1] ?? ''}`.replace('{owner}', owner).replace('{repo}', repo), target: thread, body };
  }
  const { owner, repo, comment_id, ...body } = write.params;
  return { action: 'update-comment', method: 'PATCH', path: `/repos/${owner}/${repo}/issues/comments/${comment_id}`, target: `comment ${comment_id} on ${thread}`, body };
}

function renderMarkdown(result: DryRunPullRequest | DryRunTriage, posts: readonly DryRunPost[]): string {
  const subject =
    'pull' in result
      ? `pull request ${result.pull.owner}/${result.pull.repo}#${result.pull.number} (head ${result.pull.headSha.slice(0, 7)})`
      : `repository ${result.repository.owner}/${result.repository.repo} (default branch \`${result.repository.defaultBranch}\`)`;
  if (posts.length === 0) return `Dry run of ftbot on ${subject}: nothing would be posted; ftbot's comments there are up to date.\n`;
  const parts = [`Dry run of ftbot on ${subject}: nothing was posted. The app would make ${posts.length} write${posts.length === 1 ? '' : 's'}:`];
  for (const post of posts) {
    parts.push('', '---', '');
    const body = typeof post.body.body === 'string' ? post.body.body : '';
    if (post.action === 'create-review') {
      const comments = (post.body.comments ?? []) as Array<{ path: string; line: number; start_line?: number; body: string }>;
      parts.push(`## Would post a review on ${post.target} (${comments.length} inline comment${comments.length === 1 ? '' : 's'})`, '', body);
      for (const c of comments) {
        const lines = c.start_line === undefined ? `${c.line}` : `${c.start_line}-${c.line}`;
        parts.push('', `### Inline comment on \`${c.path}:${lines}\``, '', c.body);
      }
    } else if (post.action === 'other') {
      parts.push(`## Would send ${post.method} ${post.path ?? ''}`, '', '```json', JSON.stringify(post.body, null, 2), '```');
    } else if (post.action === 'create-comment') {
      parts.push(`## Would create a comment on ${post.target}`, '', body);
    } else {
      parts.push(`## Would edit ${post.target}`, '', body);
    }
  }
  return `${parts.join('\n')}\n`;
}
