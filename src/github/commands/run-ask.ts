import type { Context } from 'probot';
import type { Diagnostic, Finding } from '../../core/diagnostics.js';
import { scanFiles } from '../../core/engine/scan-files.js';
import { selectRules } from '../../core/engine/select-rules.js';
import { createLlmAnswerDrafter } from '../../core/drafting/llm-answer-drafter.js';
import { answerQuestion, cite, NOT_COVERED_ANSWER, prepareQuestion, type AnswerDrafter } from '../../core/knowledge/index.js';
import { classifyPath } from '../../core/languages.js';
import { findingListItem, githubSourceUrl, knowledgeMarkdownLink, neutralizeMentions, repoBaseUrl, type KnowledgeLinker } from '../../core/review/index.js';
import { rules as allRules } from '../../core/rules/index.js';
import { loadGrammars } from '../../io/load-grammars.js';
import { loadPrompts } from '../../io/load-prompts.js';
import { knowledgeIndex, knowledgeLinker } from '../knowledge-index.js';
import { loadRepoConfig } from '../load-repo-config.js';
import { fetchFiles } from '../pipeline/fetch-files.js';
import { answerAllowed } from './answer-allowed.js';
import { reply, type CommandContext } from './reply.js';

/** The question's paragraph is searched for `path:line` only in its first this many characters. */
const MAX_REF_SCAN = 2000;
/** Words of the question's paragraph used to find where it starts in the comment. */
const START_WORDS = 6;
/** Findings this many lines above or below the named line count as "near" it. */
const NEAR_LINES = 5;
const MAX_NEAR = 10;

/**
 * `path/to/file.c:120` in a question: a relative path with an extension, then a line number.
 * Worked example: "why is `src/foo.c:120` flagged?" → path `src/foo.c`, line 120.
 */
const FILE_LINE = /(?<![\w./-])((?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z0-9]+):(\d{1,7})(?!\w)/;

/** What the named code holds: findings near the line, or why it could not be read. */
type NearCode = { path: string; line: number; sha: string; findings: Finding[]; problem?: string; sourceUrl?: (path: string, line: number) => string };

/**
 * `ask <question>`: answers from the knowledge base, citing the sections used (linked in this
 * repository's knowledge pages and upstream). On a pull request, a `path:line` in the question
 * adds the findings on or near that line at the head commit. Not covered → a short reply with the
 * commands. A long question with pasted logs or code is read from the comment whole and trimmed
 * (`prepareQuestion`); the reply quotes the sentence that asks. Everything posted, the quoted
 * question first, goes through the mention neutraliser; only the command list (the app's own
 * handle, in code spans) is added after it.
 */
export async function runAsk(cmd: CommandContext, help: string): Promise<void> {
  const { context, options } = cmd;
  if (!(await answerAllowed(cmd))) return;
  const question = cmd.text.replace(/^ask\b/i, '').trim();
  const slug = cmd.appSlug.replace(/[^A-Za-z0-9-]/g, '');
  if (question === '') {
    await reply(cmd, `Ask a question after \`ask\`, for example \`@${slug} ask what replaces PyDict_GetItem?\`\n\n${help}`);
    return;
  }
  const commentBody = (context.payload.comment as { body?: string | null }).body ?? '';
  const prepared = prepareQuestion(questionWithContext(commentBody, question));
  const index = await knowledgeIndex(options, context.log);
  if (index === undefined) {
    await reply(cmd, 'The knowledge base is not available on this server, so ftbot cannot answer questions now.');
    return;
  }

  // 1. The code the question names, on a pull request only.
  const ref = FILE_LINE.exec(question.slice(0, MAX_REF_SCAN));
  const linker = await knowledgeLinker(options, context.log);
  let near: NearCode | undefined;
  if (ref !== null && context.payload.issue.pull_request !== undefined) {
    near = await findingsNear(context, { path: ref[1] ?? '', line: Number(ref[2]) });
  }

  // 2. The answer, searched without the file reference (a path is noise to the search). With a
  //    model configured (and not turned off for the repository) it drafts from the retrieved
  //    sections, on the same path as `ftbot ask`; any claim it cannot cite falls back.
  const query = ref === null ? prepared.text : prepared.text.replace(ref[0], ' ');
  const drafter = await answerDrafter(cmd);
  const answer = await answerQuestion({ question: query, index, logger: context.log, ...(drafter === undefined ? {} : { drafter }) });

  // 3. The reply.
  const parts = [`> ${prepared.quote}`];
  if (near !== undefined) parts.push(renderNear(near, options.docsBaseUrl, linker));
  const showFindingsOnly = !answer.covered && near !== undefined && near.findings.length > 0;
  if (answer.covered) {
    parts.push(answer.answer);
    const base = repoBaseUrl(options.docsBaseUrl);
    parts.push(['Sources:', ...answer.citations.map((citation) => `- ${cite({ citation, repoBase: base })}`)].join('\n'));
  } else if (!showFindingsOnly) {
    parts.push(NOT_COVERED_ANSWER);
  }
  let body = neutralizeMentions(parts.join('\n\n'));
  if (!answer.covered && !showFindingsOnly) body += `\n\n${help}`;
  context.log.info({ issue: context.payload.issue.number, covered: answer.covered, citations: answer.citations.length, near: near?.findings.length }, 'question answered');
  await reply(cmd, body);
}

/**
 * The question with what follows it in the comment (more paragraphs, pasted logs and code, which
 * the mention's paragraph leaves out): the comment from the question's first words on, or the
 * paragraph alone when they cannot be found. The words are matched as text, whitespace between
 * them ignored, and three matching words are enough (a code block inside the paragraph is left out
 * of it, so later words may not follow in the comment); no pattern is built from the comment.
 *
 * Worked example: body "@ftbot ask why does\nimport warn?\n\n```\nRuntimeWarning: …\n```", paragraph
 * "why does import warn?" → "why does\nimport warn?\n\n```\nRuntimeWarning: …\n```".
 */
function questionWithContext(body: string, paragraph: string): string {
  const words = paragraph.split(/\s+/).filter((word) => word !== '').slice(0, START_WORDS);
  const [first] = words;
  if (first === undefined) return paragraph;
  for (let from = body.indexOf(first); from >= 0; from = body.indexOf(first, from + 1)) {
    let at = from;
    let matched = 0;
    for (const word of words) {
      while (at < body.length && /\s/.test(body[at] ?? '')) at += 1;
      if (!body.startsWith(word, at)) break;
      at += word.length;
      matched += 1;
    }
    if (matched >= Math.min(3, words.length)) return body.slice(from);
  }
  return paragraph;
}

/**
 * The LLM answer writer when the app has a model and the repository's `llm.enabled` is not false;
 * its calls are charged to the issue and installation budgets like review drafts.
 */
async function answerDrafter(cmd: CommandContext): Promise<AnswerDrafter | undefined> {
  const { context, options } = cmd;
  if (options.llm === undefined) return undefined;
  const prompt = loadPrompts().get('answer-question');
  if (prompt === undefined) return undefined;
  const repo = context.repo();
  const { config } = await loadRepoConfig(context, repo);
  if (!config.llm.enabled) return undefined;
  const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
  const repository = `${repo.owner}/${repo.repo}`;
  return createLlmAnswerDrafter({
    client: options.llm.client,
    prompt,
    repository,
    logger: context.log,
    scope: { pullRequest: `${repository}#${context.payload.issue.number}`, ...(installation === undefined ? {} : { installation: String(installation) }) },
    ...(options.llm.budget === undefined ? {} : { budget: options.llm.budget }),
  });
}

/**
 * Scans one file of the pull request at its head commit and keeps the findings within
 * `NEAR_LINES` of `line`, nearest first. The file is read through the same helper as the review,
 * and refused when its language is unknown or it is over the configured size limit.
 */
async function findingsNear(context: Context<'issue_comment.created'>, target: { path: string; line: number }): Promise<NearCode> {
  const { path, line } = target;
  const repo = context.repo();
  const pr = (await context.octokit.rest.pulls.get({ ...repo, pull_number: context.payload.issue.number })).data;
  const sha = pr.head.sha;
  const result: NearCode = { path, line, sha, findings: [] };
  const head = pr.head.repo;
  if (head === null || head.owner === null) return { ...result, problem: 'the head repository was deleted' };
  if (path.split('/').includes('..') || classifyPath(path) === undefined) return { ...result, problem: 'ftbot does not scan files of this kind' };
  const { config } = await loadRepoConfig(context, repo);
  const skipped: Diagnostic[] = [];
  const files = await fetchFiles({ context, owner: head.owner.login, repo: head.name, ref: sha, paths: [path], skipped, maxTotalBytes: config.maxFileSize });
  const file = files[0];
  if (file === undefined) return { ...result, problem: skipped[0]?.message ?? 'not found at the head commit' };
  if (file.text.length > config.maxFileSize) return { ...result, problem: `larger than the ${config.maxFileSize}-byte limit` };
  const scan = scanFiles({ files: [file], grammars: await loadGrammars(), rules: selectRules(allRules, config), config, logger: context.log });
  const findings = scan.findings
    .filter((f) => f.path === path && Math.abs(f.line - line) <= NEAR_LINES)
    .sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line) || a.line - b.line)
    .slice(0, MAX_NEAR);
  return { ...result, findings, sourceUrl: githubSourceUrl(`${head.owner.login}/${head.name}`, sha) };
}

function renderNear(near: NearCode, docsBaseUrl: string, linker: KnowledgeLinker | undefined): string {
  const where = `\`${near.path.replace(/`/g, "'")}:${near.line}\` at \`${near.sha.slice(0, 7)}\``;
  if (near.problem !== undefined) return `Could not scan ${where}: ${near.problem}.`;
  if (near.findings.length === 0) return `No findings within ${NEAR_LINES} lines of ${where}.`;
  const items = near.findings.map((finding) => {
    const section = linker?.(finding.ruleId);
    const background = section === undefined ? '' : ` (${knowledgeMarkdownLink({ label: 'background', url: section.url })})`;
    return `${findingListItem({ finding, docsBaseUrl, sourceUrl: near.sourceUrl })}${background}`;
  });
  return [`Findings within ${NEAR_LINES} lines of ${where}:`, '', ...items].join('\n');
}
