import { neutralizeMentions } from '../../core/review/index.js';
import { checkWheels, renderWheelReport } from '../../core/wheels/index.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { answerAllowed } from './answer-allowed.js';
import { reply, type CommandContext } from './reply.js';

/**
 * `wheels [project[==version]]`: the free-threaded wheel matrix of a release on PyPI. Without an
 * argument the project is the repository's `pypi-name` setting, else its `pyproject.toml`
 * `[project] name`. Index trouble (404, timeout, bad answer) is shown as the report's "could not
 * check" note; the client never throws for it.
 */
export async function runWheels(cmd: CommandContext): Promise<void> {
  const { context, options } = cmd;
  if (!(await answerAllowed(cmd))) return;
  const index = options.packageIndex;
  if (index === undefined) {
    await reply(cmd, 'The wheel check is not configured on this server.');
    return;
  }
  const spec = cmd.args.split(/\s+/)[0]?.replace(/^`|`$/g, '') ?? '';
  let project: string | undefined;
  let version: string | undefined;
  if (spec !== '') {
    const at = spec.indexOf('==');
    project = at === -1 ? spec : spec.slice(0, at);
    version = at === -1 ? undefined : spec.slice(at + 2) || undefined;
  } else {
    const loaded = await loadRepoConfig(context, context.repo());
    project = loaded.config.pypiName ?? loaded.projectName;
  }
  if (project === undefined || project === '') {
    const slug = cmd.appSlug.replace(/[^A-Za-z0-9-]/g, '');
    await reply(cmd, `Name a project: \`@${slug} wheels <project>[==<version>]\`. This repository sets no \`pypi-name\` and its \`pyproject.toml\` has no \`[project] name\`.`);
    return;
  }
  const check = await checkWheels(version === undefined ? { project, index } : { project, version, index });
  context.log.info({ issue: context.payload.issue.number, project: check.project, status: check.status }, 'wheels checked');
  await reply(cmd, neutralizeMentions(renderWheelReport(check, 'markdown').trimEnd()));
}
