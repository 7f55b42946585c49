import { selectRules } from '../engine/select-rules.js';
import type { Logger } from '../ports.js';
import { rules as allRules } from '../rules/index.js';
import { buildOutput } from './build-output/build-output.js';
import { dependencyCheck } from './dependency-check/dependency-check.js';
import { projectName, rootPyproject } from './project-name/project-name.js';
import { releaseWheels } from './release-wheels/release-wheels.js';
import { selectFiles } from './select-files/select-files.js';
import type { FileListing, ListedFile, PipelineOutput, PipelineParams } from './types.js';

/**
 * The one pipeline of a review or a triage, for the GitHub App, its dry runs and `ftbot review`.
 * Every read and write goes through `runner` (Octokit for the app, the file system for the CLI);
 * the steps here are pure or take the runner's ports.
 *
 * Steps:
 * 0. start (the app's check run on the head SHA);
 * 1. list the files the job could read (a pull request's changed files, a tree, a checkout);
 * 2. exclude → classify → budget (`selectFiles`), and the diff lines of a review;
 * 3. read the chosen files (what cannot be read is noted);
 * 4. read what ftbot posted before on the thread (reviews: fingerprints and the sticky summary);
 * 5. the top-level `pyproject.toml`'s facts, read once for steps 5 and 7, and the project's
 *    published name (`projectName`);
 * 6. the release's wheel matrix (`releaseWheels`: triage always, a review when a build file changed);
 * 7. the dependencies' readiness (`dependencyCheck`: triage always, a review when a dependency
 *    file changed);
 * 8. the drafters (a model only for reviews, when configured; else ftbot's templates);
 * 9. scan and render (`buildOutput`);
 * 10. write: the runner's single write step posts (or prints) the output.
 *
 * @returns
 *   What was written: the review or the triage comment with the scan behind it.
 */
export async function runPipeline<F extends ListedFile>(params: PipelineParams<F> & { logger?: Logger | undefined }): Promise<PipelineOutput> {
  const { job, config, runner, logger } = params;
  // 0.
  await runner.start?.();
  // 1.
  // 2.
  const { listing, chosen, skipped, diff } = await listAndSelect(params);
  // 3.
  const files = await runner.readFiles(chosen, skipped);
  // 4.
  const previous = job.kind === 'review' ? await runner.readPrevious?.() : undefined;
  // 5.
  const pyproject = rootPyproject(files);
  const project = projectName({ pyproject, config, fallback: job.kind === 'review' ? job.projectName : undefined });
  // 6.
  const wheels = await releaseWheels({ kind: job.kind, listed: listing.files, project, index: runner.packageIndex });
  // 7.
  const dependencies = await dependencyCheck({ kind: job.kind, listing, files, pyproject, runner });
  // 8.
  const drafting = await runner.drafting({ allowLlm: job.kind === 'review' });
  // 9.
  const rules = selectRules(allRules, config);
  const grammars = await runner.grammars();
  const scan = await runner.scan?.(files, rules);
  const knowledgeLink = await runner.knowledgeLink?.();
  const output = await buildOutput({ job, files, skipped, diff, previous, config, rules, grammars, scan, wheels, dependencies, drafting, knowledgeLink, logger });
  // 10.
  await runner.write(output);
  return output;
}

/**
 * Steps 1 and 2 in a frame of their own. A pull request's patches (its whole diff: tens of MB on
 * a large one) are read into the diff lines here and then dropped from the listing and the chosen
 * files, so the rest of the run (fetching, scanning, rendering) does not hold them. Measured on
 * the app benchmark's 3,000-file pull request, this lowered the peak RSS growth by about 80 MB.
 */
async function listAndSelect<F extends ListedFile>(params: PipelineParams<F>): Promise<ReturnType<typeof selectFiles<F>> & { listing: FileListing<F> }> {
  const { job, config, runner } = params;
  const listed = await runner.listFiles();
  const { chosen, skipped, diff } = selectFiles({ job, listing: listed, exclude: config.exclude, maxFileSize: config.maxFileSize });
  return { listing: { ...listed, files: listed.files.map(withoutPatch) }, chosen: chosen.map(withoutPatch), skipped, diff };
}

/** The file without its patch; every other field (the runner's own among them) is kept. */
function withoutPatch<F extends ListedFile>(file: F): F {
  if (file.patch === undefined) return file;
  const { patch: _patch, ...rest } = file;
  // Dropping an optional field leaves a valid `F`: `patch` is optional in every `ListedFile`.
  return rest as unknown as F;
}
