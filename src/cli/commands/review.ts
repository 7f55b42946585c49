import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runPipeline } from '../../core/pipeline/main.js';
import type { PipelineOutput } from '../../core/pipeline/types.js';
import { NO_DOCS_SITE, githubSourceUrl, parseDiffLines, repoBaseUrl, type ReviewComment } from '../../core/review/index.js';
import { loadProjectConfig } from '../../io/load-project-config.js';
import { checkoutRunner, MissingCheckoutError } from '../checkout-runner.js';
import { dryRunPullRequest } from '../../github/dry-run/dry-run-pull-request.js';
import { dryRunGitHub } from '../dry-run-github.js';
import { parseGitHubRef } from '../parse-github-ref.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const usage = `Usage: ftbot review [dir] [options]
       ftbot review --pr <url|owner/repo#number> [--format markdown|json] [--docs-url url]

Prints what the ftbot GitHub App would post for a checkout, without GitHub or keys:
the triage comment of an issue, or with --diff the pull-request review (inline comments
restricted to the diff) and its summary comment.

Options:
  --diff <file>                A unified diff (\`git diff main...\`); review it like a pull request
  --format <markdown|json>     Output format (default: markdown)
  --repo <owner/name>          Link findings to this GitHub repository
  --sha <commit>               The commit to name and link (default: the checkout's HEAD)
  --docs-url <url>             Base URL of the rule pages
  --pr <url|owner/repo#number> Dry run against GitHub: read the pull request there (GITHUB_TOKEN,
                               else anonymous) and print the review and summary the app would
                               post; nothing is posted
  --no-llm                     Draft with ftbot's templates only, even when OPENAI_API_KEY is set
  --exit-zero                  Exit 0 even when there are findings

Inline comments carry a drafted change (a committable suggestion when verified), and the
triage comment explains its top examples, as the app does. Triage drafts never ask a model;
with --diff and OPENAI_API_KEY (or FTBOT_LLM_API_KEY) set, a model drafts first.

Exit codes: 0 no findings (or --exit-zero), 1 findings, 2 usage, configuration or internal error.
`;

const ZERO_SHA = '0'.repeat(40);

/** The checkout's HEAD commit, read from `.git` without running git; undefined when unknown. */
function readHeadSha(dir: string): string | undefined {
  try {
    const head = readFileSync(join(dir, '.git', 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (refs\/[\w./-]+)$/.exec(head)?.[1];
    if (ref === undefined) return undefined;
    const sha = readFileSync(join(dir, '.git', ref), 'utf8').trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

function commentHeading(c: ReviewComment): string {
  const lines = c.start_line === undefined ? `${c.line}` : `${c.start_line}-${c.line}`;
  return `### Inline comment on \`${c.path}:${lines}\``;
}

export const command: Command = {
  name: 'review',
  summary: 'Print the review or triage comment the GitHub App would post',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        diff: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        repo: { type: 'string' },
        sha: { type: 'string' },
        'docs-url': { type: 'string' },
        pr: { type: 'string' },
        'no-llm': { type: 'boolean' },
        'exit-zero': { type: 'boolean' },
      },
    });
    const { values, positionals } = parsed;
    const format = values.format;
    if (format !== 'markdown' && format !== 'json') throw new UsageError(`unknown format '${format}' (expected markdown or json)`);
    if (values.pr !== undefined) {
      if (positionals.length > 0 || values.diff !== undefined || values.repo !== undefined || values.sha !== undefined) {
        throw new UsageError('--pr reads everything from GitHub: give no directory, --diff, --repo or --sha');
      }
      const ref = parseGitHubRef(values.pr, 'pull');
      const pullNumber = ref.number ?? 0;
      return dryRunGitHub({
        io,
        command: 'review',
        target: `pull request ${ref.owner}/${ref.repo}#${pullNumber}`,
        format,
        docsBaseUrl: values['docs-url'],
        run: async (octokit, options, log) => dryRunPullRequest({ octokit, owner: ref.owner, repo: ref.repo, pullNumber, options, log }),
      });
    }
    if (positionals.length > 1) throw new UsageError('give one directory');
    if (values.repo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(values.repo)) throw new UsageError(`'${values.repo}' is not owner/name`);
    const dir = resolve(io.cwd, positionals[0] ?? '.');

    const loaded = await loadProjectConfig({ cwd: dir });
    if (loaded.problems.length > 0) {
      for (const p of loaded.problems) io.stderr(`ftbot: invalid configuration in ${p.source}: ${p.path}: ${p.message}\n`);
      return EXIT_ERROR;
    }
    const config = loaded.config;
    let diffText: string | undefined;
    if (values.diff !== undefined) {
      try {
        diffText = readFileSync(resolve(io.cwd, values.diff), 'utf8');
      } catch {
        io.stderr(`ftbot review: cannot read the diff '${values.diff}'\n`);
        return EXIT_ERROR;
      }
    }
    const diff = diffText === undefined ? undefined : parseDiffLines(diffText);

    const sha = values.sha ?? readHeadSha(dir) ?? ZERO_SHA;
    const repo = values.repo;
    const docsBaseUrl = values['docs-url'] ?? NO_DOCS_SITE;
    const sourceUrl = repo === undefined ? (path: string, line: number): string => `${path}#L${line}` : githubSourceUrl(repo, sha);
    const job =
      diff === undefined
        ? { kind: 'triage' as const, sha, repoBase: repoBaseUrl(docsBaseUrl), docsBaseUrl, sourceUrl }
        : { kind: 'review' as const, headSha: sha, docsBaseUrl, sourceUrl };
    // The same pipeline as the app: the same choice of files (classified sources and build files
    // within the budget; for a diff, only the files it changes), scan, drafts and bodies.
    const runner = checkoutRunner({ io, dir, config, diff, repository: repo, llm: values['no-llm'] !== true, write: (output) => print(output, { format, io, sha }) });
    let output;
    try {
      output = await runPipeline({ job, config, runner });
    } catch (error) {
      if (!(error instanceof MissingCheckoutError)) throw error;
      io.stderr(`ftbot: ${error.message}\n`);
      return EXIT_ERROR;
    }
    const findings = (output.kind === 'review' ? output.review.scan : output.scan).findings.length;
    return findings > 0 && values['exit-zero'] !== true ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** The command's write step: prints the triage comment, or the review and its summary, as the app would post them. */
function print(output: PipelineOutput, params: { format: 'markdown' | 'json'; io: CliIo; sha: string }): void {
  const { format, io, sha } = params;
  if (output.kind === 'triage') {
    if (format === 'json') io.stdout(`${JSON.stringify({ kind: 'triage', comment: { body: output.body } }, null, 2)}\n`);
    else io.stdout(`${output.body}\n`);
    return;
  }
  const { review } = output;
  for (const notice of review.notices) io.stderr(`ftbot review: ${notice}\n`);
  const payload = review.plan.comments.length === 0 ? undefined : { commit_id: sha, event: 'COMMENT', body: review.reviewBody, comments: review.plan.comments };
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ kind: 'review', review: payload ?? null, summary: { body: review.summaryBody } }, null, 2)}\n`);
    return;
  }
  const parts = [review.summaryBody];
  if (payload !== undefined) {
    parts.push('---', `## Review (${payload.comments.length} inline comment${payload.comments.length === 1 ? '' : 's'})`, '', payload.body);
    for (const c of payload.comments) parts.push('', commentHeading(c), '', c.body);
  }
  io.stdout(`${parts.join('\n')}\n`);
}
