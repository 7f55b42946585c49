import type { Context } from 'probot';
import { ANNOTATIONS_PER_REQUEST, CHECK_RUN_NAME, type CheckRunResult } from '../core/review/index.js';
import type { AppOptions } from './app-options.js';
import { writeGitHub } from './write-github.js';

/** ftbot's check run on one head SHA: its id (undefined in a dry run), or `done` when nothing is left to write. */
export type CheckRunHandle = { id: number | undefined } | 'done';

/**
 * Starts ftbot's check run on `headSha` (`in_progress`), one per head SHA.
 *
 * A run that already exists for the SHA is not created again, so a redelivered or repeated event
 * writes nothing: a completed run is left as it is (`done`), an `in_progress` one (a job retried
 * after a failure) is reused. A re-request (`force`) always creates a new run, as GitHub expects:
 * the re-run button asks for a fresh one.
 */
export async function startCheckRun(params: {
  context: Context;
  repo: { owner: string; repo: string };
  headSha: string;
  options: Pick<AppOptions, 'dryRun' | 'now'>;
  force?: boolean;
}): Promise<CheckRunHandle> {
  const { context, repo, headSha, options } = params;
  if (params.force !== true) {
    const listed = await context.octokit.rest.checks.listForRef({ ...repo, ref: headSha, check_name: CHECK_RUN_NAME, filter: 'latest', per_page: 10 });
    const own = listed.data.check_runs.find((run) => run.name === CHECK_RUN_NAME);
    if (own !== undefined) return own.status === 'completed' ? 'done' : { id: own.id };
  }
  const created = await writeGitHub(
    context,
    { route: 'POST /repos/{owner}/{repo}/check-runs', params: { ...repo, name: CHECK_RUN_NAME, head_sha: headSha, status: 'in_progress', started_at: isoNow(options) } },
    options,
  );
  const id = (created as { id?: unknown } | undefined)?.id;
  return { id: typeof id === 'number' ? id : undefined };
}

/**
 * Completes the check run: annotations go 50 per request (GitHub's limit; each update appends
 * them), and the last request sets `completed` with the conclusion.
 */
export async function finishCheckRun(params: {
  context: Context;
  repo: { owner: string; repo: string };
  handle: CheckRunHandle;
  result: CheckRunResult;
  options: Pick<AppOptions, 'dryRun' | 'now'>;
}): Promise<number> {
  const { context, repo, handle, result, options } = params;
  if (handle === 'done') return 0;
  // In a dry run the run was never created; the logged writes name it 0.
  const checkRunId = handle.id ?? 0;
  const batches: Array<CheckRunResult['annotations']> = [];
  for (let i = 0; i < result.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(result.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  if (batches.length === 0) batches.push([]);
  for (const [i, annotations] of batches.entries()) {
    const last = i === batches.length - 1;
    const output = { title: result.title, summary: result.summary, ...(annotations.length === 0 ? {} : { annotations }) };
    await writeGitHub(
      context,
      {
        route: 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
        params: last ? { ...repo, check_run_id: checkRunId, status: 'completed', conclusion: result.conclusion, completed_at: isoNow(options), output } : { ...repo, check_run_id: checkRunId, output },
      },
      options,
    );
  }
  return batches.length;
}

function isoNow(options: Pick<AppOptions, 'now'>): string {
  return new Date((options.now ?? Date.now)()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
