import { classifyPath } from '../../core/languages.js';
import { suggestOnLine } from '../../core/review/index.js';
import { inlineText } from '../../core/review/render-finding.js';
import { selectRules } from '../../core/engine/select-rules.js';
import { rules as allRules } from '../../core/rules/index.js';
import { loadGrammars } from '../../io/load-grammars.js';
import { draftingSetup } from '../drafting-setup.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { readRepoFile } from '../read-repo-file.js';
import { answerAllowed } from './answer-allowed.js';
import { reply, type CommandContext } from './reply.js';

/**
 * `path/to/file.c:120`, possibly in backticks: a relative path with an extension, then a line.
 * Worked example: "suggest `src/spam.c:18` please" → path `src/spam.c`, line 18.
 */
const FILE_LINE = /(?<![\w./-])((?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z0-9]+):(\d{1,7})(?!\w)/;

/**
 * `suggest <path>:<line>`: drafts changes for the findings on one line and replies with them.
 *
 * Steps:
 * 1. take one answer from the issue's hourly allowance (shared with `ask` and `wheels`);
 * 2. read `path:line` from the arguments and refuse what ftbot cannot scan;
 * 3. read the file (and `pyproject.toml`, for `requires-python`) at the pull request's head
 *    commit, or on an issue at the default branch;
 * 4. scan, draft (the model when configured, else templates; edits verified) and reply with the
 *    rendered suggestions, sanitised (core `suggestOnLine`).
 */
export async function runSuggest(cmd: CommandContext): Promise<void> {
  const { context, options } = cmd;
  // 1.
  if (!(await answerAllowed(cmd))) return;
  // 2.
  const slug = cmd.appSlug.replace(/[^A-Za-z0-9-]/g, '');
  // `text`, not `args`: a target written as a code span is blanked out of `args`.
  const ref = FILE_LINE.exec(cmd.text);
  if (ref === null) {
    await reply(cmd, `Name the line to draft a fix for, for example \`@${slug} suggest src/spammodule.c:18\`.`);
    return;
  }
  const path = ref[1] ?? '';
  const line = Number(ref[2]);
  const quoted = `\`${inlineText(path).replace(/`/g, "'")}\``;
  if (line < 1) {
    await reply(cmd, 'Line numbers start at 1.');
    return;
  }
  if (path.split('/').includes('..') || classifyPath(path)?.type !== 'source') {
    await reply(cmd, `${quoted} is not a C, C++, Cython or Rust source file, so ftbot has nothing to draft there.`);
    return;
  }
  // 3.
  const repo = context.repo();
  const issue = context.payload.issue;
  let at: string;
  let source: { owner: string; repo: string; ref?: string };
  if (issue.pull_request !== undefined) {
    const pr = (await context.octokit.rest.pulls.get({ ...repo, pull_number: issue.number })).data;
    const head = pr.head.repo;
    if (head === null || head.owner === null) {
      await reply(cmd, 'The head repository of this pull request was deleted, so ftbot cannot read its files.');
      return;
    }
    source = { owner: head.owner.login, repo: head.name, ref: pr.head.sha };
    at = pr.head.sha.slice(0, 7);
  } else {
    // The default branch, as `triage` reads it.
    source = repo;
    at = context.payload.repository.default_branch;
  }
  const { config } = await loadRepoConfig(context, repo);
  const text = await readRepoFile(context, { ...source, path });
  if (text === undefined) {
    await reply(cmd, `${quoted} does not exist at \`${inlineText(at)}\`.`);
    return;
  }
  if (text.length > config.maxFileSize) {
    await reply(cmd, `${quoted} is larger than the ${config.maxFileSize}-byte limit, so ftbot does not scan it.`);
    return;
  }
  const pyproject = await readRepoFile(context, { ...source, path: 'pyproject.toml' });
  const setup = await draftingSetup({ context, repo, issueNumber: issue.number, config, options, allowLlm: true, requestText: cmd.text });
  if (setup === undefined) {
    await reply(cmd, 'The knowledge base is not available on this server, so ftbot cannot draft fixes now.');
    return;
  }
  // 4.
  const { body, findings } = await suggestOnLine({
    path,
    line,
    text,
    at,
    grammars: await loadGrammars(),
    rules: selectRules(allRules, config),
    config,
    setup,
    contextFiles: pyproject === undefined ? [] : [{ path: 'pyproject.toml', text: pyproject }],
    logger: context.log,
  });
  context.log.info({ issue: issue.number, path, line, findings, drafter: setup.drafter.kind }, 'suggest answered');
  await reply(cmd, body);
}
