import ignore from 'ignore';
import type { Context } from 'probot';
import type { ResolvedConfig } from '../core/config/schema.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { collectProjectFacts, emptyProjectFacts } from '../core/engine/project-facts.js';
import { selectRules } from '../core/engine/select-rules.js';
import { classifyPath } from '../core/languages.js';
import { budgetFiles, githubSourceUrl, TRIAGE_MARKER, triageRepository, triageRepositoryWithDrafts } from '../core/review/index.js';
import { rules as allRules } from '../core/rules/index.js';
import { checkWheels, type WheelCheck } from '../core/wheels/index.js';
import { loadGrammars } from '../io/load-grammars.js';
import { runScan } from './run-scan.js';
import type { ReadinessCheck } from '../core/deps/index.js';
import { FETCH_CONCURRENCY, type AppOptions } from './app-options.js';
import { checkRepoDependencies } from './check-repo-dependencies.js';
import { draftingSetup } from './drafting-setup.js';
import { knowledgeBase, knowledgeLinker } from './knowledge-index.js';
import { mapConcurrently } from '../core/map-concurrently.js';
import { upsertComment, type IssueComment } from './upsert-comment.js';

/** Triage reads fewer files than a review: it walks a whole tree, not a change. */
const TRIAGE_BUDGET = { maxFiles: 1500, maxTotalBytes: 32 * 1024 * 1024 };

/**
 * Files (one GitHub request each) a triage started by an issue event reads. Anyone may open an
 * issue, and an issue form may add the label, so the automatic triage is the cheap one: about
 * 230 requests at most, build files first. `@app triage` (write access) reads up to 1,500.
 */
export const FIRST_TRIAGE_FILES = 200;

/** 0 for build files, 1 for sources. */
function buildFirst(path: string): number {
  return classifyPath(path)?.type === 'build' ? 0 : 1;
}

/**
 * Triages a repository for an issue.
 *
 * Steps:
 * 1. resolve the default branch to a commit and read its tree (recursive; GitHub truncates very
 *    large trees, which is noted);
 * 2. pick sources and build files within the budget and fetch their blobs;
 * 3. look up the release's wheels when a package index is configured and the project has a name,
 *    and the dependencies' readiness from the dependency files in the tree (bounded reads);
 * 4. scan and render (core), hazards linked to their knowledge sections and the top examples
 *    explained by ftbot's templates (triage never asks a model), then upsert the triage comment.
 */
export async function triageIssue(params: {
  context: Context;
  repo: { owner: string; repo: string };
  issueNumber: number;
  defaultBranch: string;
  config: ResolvedConfig;
  options: AppOptions;
  comments: readonly IssueComment[];
  appSlug?: string | undefined;
  /** The automatic triage of an issue event: at most `FIRST_TRIAGE_FILES` files are read. */
  first?: boolean | undefined;
}): Promise<void> {
  const { context, repo, issueNumber, defaultBranch, config, options, comments } = params;
  const started = Date.now();
  // 1.
  const branch = await context.octokit.rest.repos.getBranch({ ...repo, branch: defaultBranch });
  const sha = branch.data.commit.sha;
  const tree = await context.octokit.rest.git.getTree({ ...repo, tree_sha: branch.data.commit.commit.tree.sha, recursive: 'true' });
  const skipped: Diagnostic[] = [];
  if (tree.data.truncated) skipped.push({ kind: 'truncated', message: 'GitHub truncated the file tree; some files were not seen' });

  // 2.
  const excluded = ignore().add(config.exclude);
  const candidates = tree.data.tree.flatMap((entry) =>
    entry.type === 'blob' && entry.path !== undefined && entry.sha !== undefined && classifyPath(entry.path) !== undefined && !excluded.ignores(entry.path)
      ? [{ path: entry.path, sha: entry.sha, size: entry.size }]
      : [],
  );
  const maxFiles = params.first === true ? FIRST_TRIAGE_FILES : TRIAGE_BUDGET.maxFiles;
  // Build files first: they decide the project's facts and are few; the stable sort keeps the tree's order otherwise.
  if (candidates.length > maxFiles) candidates.sort((a, b) => buildFirst(a.path) - buildFirst(b.path));
  const budget = budgetFiles(candidates, { ...TRIAGE_BUDGET, maxFiles, maxFileSize: config.maxFileSize });
  skipped.push(...budget.skipped);
  if (params.first === true && candidates.length > maxFiles) {
    skipped.push({ kind: 'truncated', message: `the first triage reads at most ${maxFiles} files; the triage command (write access) reads up to ${TRIAGE_BUDGET.maxFiles}` });
  }
  const texts = await mapConcurrently(budget.chosen, FETCH_CONCURRENCY, async (entry) => {
    try {
      const blob = await context.octokit.rest.git.getBlob({ ...repo, file_sha: entry.sha });
      return Buffer.from(blob.data.content, blob.data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    } catch (error) {
      skipped.push({ kind: 'read-error', path: entry.path, message: `could not fetch (${(error as { status?: number }).status ?? 'network error'})` });
      return undefined;
    }
  });
  const files = budget.chosen.flatMap((entry, i) => {
    const text = texts[i];
    return text === undefined ? [] : [{ path: entry.path, text }];
  });

  // 3.
  let wheels: WheelCheck | undefined;
  const pyproject = files.find((f) => f.path === 'pyproject.toml');
  const facts = emptyProjectFacts();
  if (pyproject !== undefined) collectProjectFacts(facts, pyproject.path, 'pyproject', pyproject.text);
  const project = config.pypiName ?? facts.projectName;
  if (options.packageIndex !== undefined && project !== undefined) {
    wheels = await checkWheels({ project, index: options.packageIndex });
  }
  let dependencies: ReadinessCheck | undefined;
  if (options.packageIndex !== undefined) {
    const paths = tree.data.tree.flatMap((e) => (e.type === 'blob' && e.path !== undefined ? [{ path: e.path, size: e.size }] : []));
    dependencies = await checkRepoDependencies({ context, ...repo, ref: sha, index: options.packageIndex, paths, known: files });
  }

  // 4.
  const drafting = await draftingSetup({ context, repo, issueNumber, config, options, allowLlm: false });
  const triageParams = {
    files,
    grammars: await loadGrammars(),
    rules: selectRules(allRules, config),
    config,
    skipped,
    scan: await runScan(options, { files, rules: selectRules(allRules, config), config }),
    docsBaseUrl: options.docsBaseUrl,
    sourceUrl: githubSourceUrl(`${repo.owner}/${repo.repo}`, sha),
    sha,
    wheels,
    dependencies,
    appSlug: params.appSlug,
    logger: context.log,
    knowledgeLink: await knowledgeLinker(options, context.log),
  };
  const { scan, body } =
    drafting === undefined ? triageRepository(triageParams) : await triageRepositoryWithDrafts({ ...triageParams, drafting, repoBase: knowledgeBase(options) });
  const result = await upsertComment(context, { ...repo, issue_number: issueNumber, marker: TRIAGE_MARKER, body, comments, dryRun: options.dryRun });
  context.log.info({ issue: issueNumber, files: files.length, findings: scan.findings.length, comment: result, ms: Date.now() - started }, 'issue triaged');
}
