import type { ResolvedConfig } from '../config/schema.js';
import type { DependencyFile, ReadinessCheck } from '../deps/index.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import type { Grammars, ScanResult } from '../engine/scan-files.js';
import type { PackageIndex, SourceFile } from '../ports.js';
import type { KnowledgeLinker } from '../review/create-knowledge-linker.js';
import type { DiffLines } from '../review/diff-lines.js';
import type { DraftingSetup } from '../review/draft-findings.js';
import type { MarkerSigner } from '../review/markers.js';
import type { PullRequestReview } from '../review/review-files.js';

/**
 * What one run is for. `review`: a change (a pull request, or a local diff) is reviewed inline
 * with a sticky summary. `triage`: a whole tree is described in one comment.
 */
export type PipelineJob = { docsBaseUrl: string; sourceUrl: (path: string, line: number) => string | undefined } & (
  | {
      kind: 'review';
      headSha: string;
      /** `[project] name` of the default branch, for the wheel matrix when the change does not touch `pyproject.toml`. */
      projectName?: string | undefined;
      /** Signs and checks this thread's hidden state markers; unsigned without it (local runs). */
      markers?: MarkerSigner | undefined;
    }
  | {
      kind: 'triage';
      sha: string;
      /** The automatic triage of an issue event reads at most `FIRST_TRIAGE_FILES` files. */
      first?: boolean | undefined;
      appSlug?: string | undefined;
      /** Where the cited knowledge pages are linked. */
      repoBase: string;
    }
);

/** One file the runner can read: a changed file of a pull request, a blob of a tree, a file on disk. */
export type ListedFile = {
  path: string;
  /** Bytes, when the listing says (trees and disks do, a pull request's file list does not). */
  size?: number | undefined;
  /** A removed file of a change: never read, but it still counts as a changed build or dependency file. */
  removed?: boolean | undefined;
  /** A renamed file's old path. */
  previousPath?: string | undefined;
  /** The file's unified diff hunks (a pull request's file list carries them). */
  patch?: string | undefined;
};

/** What the runner lists in step 1. */
export type FileListing<F extends ListedFile = ListedFile> = {
  files: readonly F[];
  /** Problems met while listing (a truncated tree), reported first. */
  skipped?: readonly Diagnostic[] | undefined;
  /** The diff of a local review; the files' `patch`es make it otherwise. */
  diff?: DiffLines | undefined;
};

/** What ftbot posted before on the thread: inline fingerprints and the sticky summary. */
export type PreviousPosts = { posted: Set<string>; previousBody: string | undefined };

/** The result of a run, handed to the write step and returned. */
export type PipelineOutput =
  | { kind: 'review'; review: PullRequestReview; files: number; drafter: string | undefined }
  | { kind: 'triage'; scan: ScanResult; body: string; files: number };

/**
 * All the I/O of a run (release-drafter v7's runner): the GitHub App implements it with Octokit,
 * the CLI with the file system. The pipeline's `main` only calls these and the pure steps.
 */
export interface PipelineRunner<F extends ListedFile = ListedFile> {
  /** 0. Anything to do before reading (the app starts its check run). */
  start?(): Promise<void>;
  /** 1. The files the job could read. */
  listFiles(): Promise<FileListing<F>>;
  /** 3. Reads the chosen files; what cannot be read is noted in `skipped` (or left out). */
  readFiles(chosen: readonly F[], skipped: Diagnostic[]): Promise<SourceFile[]>;
  /** 4. What ftbot posted on the thread before (reviews). */
  readPrevious?(): Promise<PreviousPosts>;
  /** 6. Where wheel matrices are looked up; without it there is none. */
  packageIndex?: PackageIndex | undefined;
  /** 7. Reads the dependency files and checks them; absent: no dependency check. */
  checkDependencies?(known: readonly DependencyFile[], listing: FileListing<F>): Promise<ReadinessCheck | undefined>;
  /** 8. The drafters, or undefined when there is no knowledge base (no drafts then). */
  drafting(params: { allowLlm: boolean }): Promise<DraftingSetup | undefined>;
  grammars(): Promise<Grammars>;
  knowledgeLink?(): Promise<KnowledgeLinker | undefined>;
  /** 9. The scan on a worker thread with a budget, or undefined to scan in this thread. */
  scan?(files: readonly SourceFile[], rules: readonly Rule[]): Promise<ScanResult | undefined>;
  /** 10. The single write step: post (or print) the output. */
  write(output: PipelineOutput): Promise<void>;
}

export type PipelineParams<F extends ListedFile = ListedFile> = {
  job: PipelineJob;
  config: ResolvedConfig;
  runner: PipelineRunner<F>;
};
