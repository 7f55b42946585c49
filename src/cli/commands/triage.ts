import { parseArgs } from 'node:util';
import { dryRunTriage } from '../../github/dry-run/dry-run-triage.js';
import { dryRunGitHub } from '../dry-run-github.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { parseGitHubRef } from '../parse-github-ref.js';

const usage = `Usage: ftbot triage --repo <owner/repo> [options]

Dry run of the GitHub App's triage on a real repository: reads its default branch from GitHub
(configuration, file tree and the files ftbot scans, as the app does) and prints the triage
comment the app would post on a new issue labelled for free-threading. Nothing is posted.

Options:
  --repo <owner/repo>          The repository (owner/repo or https://github.com/owner/repo)
  --format <markdown|json>     Output format (default: markdown)
  --docs-url <url>             Base URL of the rule pages

Environment: GITHUB_TOKEN (read access; without it GitHub allows 60 requests per hour),
FTBOT_APP_SLUG (the slug named in the comment; default ftbot), FTBOT_PYPI_URL, FTBOT_DEBUG.

Exit codes: 0 no findings, 1 findings, 2 usage error, or GitHub or the network failed.
`;

export const command: Command = {
  name: 'triage',
  summary: 'Print the triage comment the GitHub App would post for a repository',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: { repo: { type: 'string' }, format: { type: 'string', default: 'markdown' }, 'docs-url': { type: 'string' } },
    });
    const format = values.format;
    if (format !== 'markdown' && format !== 'json') throw new UsageError(`unknown format '${format}' (expected markdown or json)`);
    if (values.repo === undefined) throw new UsageError('give the repository with --repo <owner/repo>');
    const ref = parseGitHubRef(values.repo, 'repo');
    return dryRunGitHub({
      io,
      command: 'triage',
      target: `repository ${ref.owner}/${ref.repo}`,
      format,
      docsBaseUrl: values['docs-url'],
      run: async (octokit, options, log) => dryRunTriage({ octokit, owner: ref.owner, repo: ref.repo, options, log }),
    });
  },
};
