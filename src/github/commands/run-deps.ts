import { renderReadiness } from '../../core/deps/index.js';
import { neutralizeMentions, truncateBody } from '../../core/review/index.js';
import { checkRepoDependencies } from '../check-repo-dependencies.js';
import { answerAllowed } from './answer-allowed.js';
import { reply, type CommandContext } from './reply.js';

/** Table rows and "Not checked" entries shown in a reply. */
const MAX_ROWS = 50;

/**
 * `deps`: which of the repository's dependencies install on free-threaded CPython. Reads the
 * dependency files at the pull request's head (forks included) or the default branch on an
 * issue, checks them on PyPI and replies with the report, blockers first. Index trouble shows as
 * "unknown" rows; the client never throws for it.
 */
export async function runDeps(cmd: CommandContext): Promise<void> {
  const { context, options } = cmd;
  if (!(await answerAllowed(cmd))) return;
  const index = options.packageIndex;
  if (index === undefined) {
    await reply(cmd, 'The dependency check is not configured on this server.');
    return;
  }
  const issue = context.payload.issue;
  let where = { ...context.repo(), ref: context.payload.repository.default_branch };
  let label = 'the default branch';
  if (issue.pull_request !== undefined) {
    const pr = await context.octokit.rest.pulls.get({ ...context.repo(), pull_number: issue.number });
    const head = pr.data.head;
    if (head.repo === null) {
      await reply(cmd, 'The head repository of this pull request was deleted, so its dependency files cannot be read.');
      return;
    }
    where = { owner: head.repo.owner.login, repo: head.repo.name, ref: head.sha };
    label = 'the head commit';
  }
  const check = await checkRepoDependencies({ context, ...where, index });
  const at = `${label} (\`${where.ref.replace(/`/g, "'").slice(0, 40)}\`)`;
  if (check === undefined) {
    await reply(cmd, `No \`pyproject.toml\`, \`setup.cfg\` or \`requirements*.txt\` at the top of ${at}: no dependency to check.`);
    return;
  }
  context.log.info({ issue: issue.number, dependencies: check.dependencies.length, blockers: check.blockers.length }, 'deps checked');
  const report = renderReadiness(check, 'markdown', { maxRows: MAX_ROWS }).trimEnd();
  await reply(cmd, truncateBody(neutralizeMentions(`${report}\n\nRead at ${at}; the latest release of each dependency on PyPI.`)));
}
