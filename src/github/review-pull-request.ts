import ignore from 'ignore';
import type { Context } from 'probot';
import type { ResolvedConfig } from '../core/config/schema.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { selectRules } from '../core/engine/select-rules.js';
import { collectProjectFacts, emptyProjectFacts } from '../core/engine/project-facts.js';
import { classifyPath } from '../core/languages.js';
import {
  budgetFiles,
  DEFAULT_FILE_BUDGET,
  githubSourceUrl,
  patchLines,
  readFingerprintMarkers,
  renderCheckRun,
  readStateMarkers,
  reviewPullRequest as buildPullRequestReview,
  reviewPullRequestWithDrafts,
  SUMMARY_MARKER,
  type DiffLines,
} from '../core/review/index.js';
import { rules as allRules } from '../core/rules/index.js';
import { checkWheels, type WheelCheck } from '../core/wheels/index.js';
import { loadGrammars } from '../io/load-grammars.js';
import { isDependencyFile, type ReadinessCheck } from '../core/deps/index.js';
import { FETCH_CONCURRENCY, type AppOptions } from './app-options.js';
import { checkRepoDependencies } from './check-repo-dependencies.js';
import { finishCheckRun, startCheckRun } from './check-run.js';
import { draftingSetup } from './drafting-setup.js';
import { knowledgeLinker } from './knowledge-index.js';
import { mapConcurrently } from '../core/map-concurrently.js';
import { runScan } from './run-scan.js';
import { FileTooLargeError, readRepoFile } from './read-repo-file.js';
import { threadMarkers } from './thread-markers.js';
import { findOwnComment, listIssueComments, upsertComment, type IssueComment } from './upsert-comment.js';
import { writeGitHub } from './write-github.js';

/** The parts of a pull request the review needs (from a webhook payload or `pulls.get`). */
export type PullRequestRef = {
  number: number;
  head: { sha: string; repo: { name: string; owner: { login: string } | null } | null };
};

/**
 * Reviews one pull request.
 *
 * Steps:
 * 0. start the `ftbot` check run on the head SHA (`in_progress`; nothing when it is complete already);
 * 1. list the changed files (all pages, at most 3,000) and their diff hunks;
 * 2. fetch the changed sources and build files at the head SHA from the head repository (forks
 *    included), within the file budget;
 * 3. find what ftbot posted before: inline fingerprints and the sticky summary;
 * 4. when a build file changed (`pyproject.toml`, `setup.py`, `setup.cfg`, CMake, Cargo, Meson,
 *    workflows), look up the release's wheel matrix for the summary; when a dependency file
 *    changed (`pyproject.toml`, `setup.cfg`, `requirements*.txt`), check the dependencies at the head;
 * 5. scan and build the review and the summary (core), each finding linked to its knowledge section
 *    and each inline finding with a drafted change (the model when configured, else templates;
 *    a committable suggestion only when verified; budget and quota notices in the summary);
 * 6. post one review when there is something new, then upsert the summary;
 * 7. complete the check run: annotations 50 per request, the conclusion from `fail-on`.
 */
export async function reviewPullRequest(params: {
  context: Context;
  repo: { owner: string; repo: string };
  pr: PullRequestRef;
  config: ResolvedConfig;
  options: AppOptions;
  comments?: readonly IssueComment[];
  /** `[project] name` of the default branch's `pyproject.toml`, when the head does not change it. */
  projectName?: string | undefined;
  /** A re-requested check: create a new check run even when one exists for the head SHA. */
  rerequested?: boolean | undefined;
  /** Leave the check run out (dry runs, which have no app to own one); default true. */
  checkRun?: boolean | undefined;
}): Promise<void> {
  const { context, repo, pr, config, options } = params;
  const log = context.log;
  const headRepo = pr.head.repo === null || pr.head.repo.owner === null ? null : { name: pr.head.repo.name, owner: pr.head.repo.owner };
  if (headRepo === null) {
    log.info({ pull: pr.number }, 'head repository was deleted; nothing to review');
    return;
  }
  const headSha = pr.head.sha;
  const started = Date.now();

  // 0.
  const checkRun = params.checkRun === false ? 'done' : await startCheckRun({ context, repo, headSha, options, force: params.rerequested === true });

  // 1.
  const listed = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, { ...repo, pull_number: pr.number, per_page: 100 });
  const excluded = ignore().add(config.exclude);
  const diff: DiffLines = new Map();
  const candidates: Array<{ path: string }> = [];
  for (const file of listed.slice(0, 3000)) {
    if (file.status === 'removed' || classifyPath(file.filename) === undefined || excluded.ignores(file.filename)) continue;
    candidates.push({ path: file.filename });
    // Binary and very large files come without a patch: nothing on them can be commented inline.
    if (file.patch !== undefined) diff.set(file.filename, patchLines(file.patch));
  }

  // 2.
  const { chosen, skipped } = budgetFiles(candidates, { ...DEFAULT_FILE_BUDGET, maxFileSize: config.maxFileSize });
  const files = await fetchFiles({ context, owner: headRepo.owner.login, repo: headRepo.name, ref: headSha, paths: chosen.map((c) => c.path), skipped, maxFileBytes: config.maxFileSize });

  // 3.
  const reviewComments = await context.octokit.paginate(context.octokit.rest.pulls.listReviewComments, { ...repo, pull_number: pr.number, per_page: 100 });
  const posted = new Set<string>();
  const markers = threadMarkers(options, repo, pr.number);
  for (const c of reviewComments) {
    if (c.user?.type === 'Bot') for (const fp of readFingerprintMarkers(c.body, markers)) posted.add(fp);
  }
  const comments = params.comments ?? (await listIssueComments(context, { ...repo, issue_number: pr.number }));
  const previousBody = findOwnComment(comments, SUMMARY_MARKER)?.body;
  if (previousBody !== undefined) for (const f of readStateMarkers(previousBody, markers).findings) if (f.posted) posted.add(f.fingerprint);

  // 4.
  let wheels: WheelCheck | undefined;
  const buildChanged = listed.some((file) => classifyPath(file.filename)?.type === 'build');
  if (buildChanged && options.packageIndex !== undefined) {
    const facts = emptyProjectFacts();
    const pyproject = files.find((f) => f.path === 'pyproject.toml');
    if (pyproject !== undefined) collectProjectFacts(facts, pyproject.path, 'pyproject', pyproject.text);
    const project = config.pypiName ?? facts.projectName ?? params.projectName;
    if (project !== undefined) wheels = await checkWheels({ project, index: options.packageIndex });
  }
  let dependencies: ReadinessCheck | undefined;
  const dependenciesChanged = listed.some((file) => isDependencyFile(file.filename) || (file.previous_filename !== undefined && isDependencyFile(file.previous_filename)));
  if (dependenciesChanged && options.packageIndex !== undefined) {
    dependencies = await checkRepoDependencies({ context, owner: headRepo.owner.login, repo: headRepo.name, ref: headSha, index: options.packageIndex, known: files });
  }

  // 5.
  const drafting = await draftingSetup({ context, repo, issueNumber: pr.number, config, options, allowLlm: true });
  const reviewParams = {
    files,
    grammars: await loadGrammars(),
    rules: selectRules(allRules, config),
    config,
    skipped,
    scan: await runScan(options, { files, rules: selectRules(allRules, config), config }),
    docsBaseUrl: options.docsBaseUrl,
    sourceUrl: githubSourceUrl(`${headRepo.owner.login}/${headRepo.name}`, headSha),
    diff,
    headSha,
    posted,
    previousBody,
    logger: log,
    knowledgeLink: await knowledgeLinker(options, log),
    wheels,
    dependencies,
    markers,
  };
  const review = drafting === undefined ? buildPullRequestReview(reviewParams) : await reviewPullRequestWithDrafts({ ...reviewParams, drafting });

  // 6.
  if (review.plan.comments.length > 0) {
    await writeGitHub(
      context,
      {
        route: 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
        params: { ...repo, pull_number: pr.number, commit_id: headSha, event: 'COMMENT', body: review.reviewBody, comments: review.plan.comments },
      },
      options,
    );
  }
  const summary = await upsertComment(context, { ...repo, issue_number: pr.number, marker: SUMMARY_MARKER, body: review.summaryBody, comments, dryRun: options.dryRun });

  // 7.
  const check = renderCheckRun({ plan: review.plan, failOn: config.failOn, docsBaseUrl: options.docsBaseUrl });
  const checkWrites = await finishCheckRun({ context, repo, handle: checkRun, result: check, options });
  log.info(
    { pull: pr.number, files: files.length, findings: review.scan.findings.length, inline: review.plan.comments.length, drafter: drafting?.drafter.kind, notices: review.notices.length, summary, check: checkRun === 'done' ? 'unchanged' : check.conclusion, checkWrites, ms: Date.now() - started },
    'pull request reviewed',
  );
}

/**
 * Fetches files at `ref` through the contents API, a few at a time. A file that is gone or
 * unreadable, or that would pass the byte budget, is noted in `skipped`; the rest go on. Each
 * download stops at `maxFileBytes` or at what is left of `maxTotalBytes`, whichever is smaller,
 * so the pull request's file list (which has no sizes) cannot make a review hold more than the
 * budget plus one capped file per concurrent fetch.
 */
export async function fetchFiles(params: {
  context: Context;
  owner: string;
  repo: string;
  ref: string;
  paths: readonly string[];
  skipped: Diagnostic[];
  maxTotalBytes?: number;
  maxFileBytes?: number;
}): Promise<Array<{ path: string; text: string }>> {
  const { context, owner, repo, ref, paths, skipped } = params;
  const maxTotalBytes = params.maxTotalBytes ?? DEFAULT_FILE_BUDGET.maxTotalBytes;
  let bytes = 0;
  let overBudget = 0;
  const texts = await mapConcurrently(paths, FETCH_CONCURRENCY, async (path) => {
    if (bytes > maxTotalBytes) {
      overBudget++;
      return undefined;
    }
    const maxFileBytes = params.maxFileBytes ?? Number.POSITIVE_INFINITY;
    const maxBytes = Math.min(maxFileBytes, maxTotalBytes - bytes);
    try {
      const text = await readRepoFile(context, { owner, repo, path, ref, maxBytes });
      if (text === undefined) skipped.push({ kind: 'read-error', path, message: 'not found at the head commit' });
      else bytes += text.length;
      return text;
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        if (error.maxBytes >= maxFileBytes) skipped.push({ kind: 'too-large', path, message: `skipped: over the ${maxFileBytes}-byte limit` });
        else overBudget++;
        return undefined;
      }
      skipped.push({ kind: 'read-error', path, message: `could not fetch (${(error as { status?: number }).status ?? 'network error'})` });
      return undefined;
    }
  });
  if (overBudget > 0) skipped.push({ kind: 'truncated', message: `${overBudget} more files not scanned: the limit is ${maxTotalBytes} bytes per run` });
  return paths.flatMap((path, i) => {
    const text = texts[i];
    return text === undefined ? [] : [{ path, text }];
  });
}
