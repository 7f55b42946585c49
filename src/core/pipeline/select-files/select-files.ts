import ignore from 'ignore';
import type { Diagnostic } from '../../diagnostics.js';
import { classifyPath } from '../../languages.js';
import { budgetFiles, DEFAULT_FILE_BUDGET } from '../../review/budget-files.js';
import { patchLines, type DiffLines, type FileDiffLines } from '../../review/diff-lines.js';
import type { FileListing, ListedFile, PipelineJob } from '../types.js';

/** A pull request lists at most this many changed files (GitHub's own limit on the files endpoint). */
export const MAX_CHANGED_FILES = 3000;

/** Triage reads fewer files than a review: it walks a whole tree, not a change. */
export const TRIAGE_BUDGET = { maxFiles: 1500, maxTotalBytes: 32 * 1024 * 1024 };

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
 * Step 2: exclude → classify → budget. Keeps the listed files ftbot reads (sources and build
 * files, not removed, not matched by `exclude`), within the job's budget.
 *
 * A review keeps the first `MAX_CHANGED_FILES` changed files in the listing's order and takes
 * the diff from their patches (or the listing's local diff). A triage over its file budget reads
 * build files first: they decide the project's facts and are few; the stable sort keeps the
 * tree's order otherwise.
 *
 * @returns
 *   The chosen files, what was left out (`too-large`, `truncated`; the listing's own problems
 *   first) and, for a review, the diff lines inline comments may go on.
 */
export function selectFiles<F extends ListedFile>(params: {
  job: PipelineJob;
  listing: FileListing<F>;
  exclude: readonly string[];
  maxFileSize: number;
}): { chosen: F[]; skipped: Diagnostic[]; diff: DiffLines } {
  const { job, listing, maxFileSize } = params;
  const excluded = ignore().add([...params.exclude]);
  const skipped: Diagnostic[] = [...(listing.skipped ?? [])];
  const listed = job.kind === 'review' ? listing.files.slice(0, MAX_CHANGED_FILES) : listing.files;
  const candidates = listed.filter((f) => f.removed !== true && classifyPath(f.path) !== undefined && !excluded.ignores(f.path));
  const diff: DiffLines = listing.diff ?? new Map<string, FileDiffLines>();
  if (listing.diff === undefined) {
    // Binary and very large files come without a patch: nothing on them can be commented inline.
    for (const f of candidates) if (f.patch !== undefined) diff.set(f.path, patchLines(f.patch));
  }
  if (job.kind === 'review') {
    const budget = budgetFiles(candidates, { ...DEFAULT_FILE_BUDGET, maxFileSize });
    return { chosen: budget.chosen, skipped: [...skipped, ...budget.skipped], diff };
  }
  const maxFiles = job.first === true ? FIRST_TRIAGE_FILES : TRIAGE_BUDGET.maxFiles;
  if (candidates.length > maxFiles) candidates.sort((a, b) => buildFirst(a.path) - buildFirst(b.path));
  const budget = budgetFiles(candidates, { ...TRIAGE_BUDGET, maxFiles, maxFileSize });
  skipped.push(...budget.skipped);
  if (job.first === true && candidates.length > maxFiles) {
    skipped.push({ kind: 'truncated', message: `the first triage reads at most ${maxFiles} files; the triage command (write access) reads up to ${TRIAGE_BUDGET.maxFiles}` });
  }
  return { chosen: budget.chosen, skipped, diff };
}
