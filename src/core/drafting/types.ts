/**
 * The shapes drafting works with: what a drafter is asked, what it answers, and the verified
 * suggestion that reports show.
 */
import type { Finding } from '../diagnostics.js';
import type { Citation, KnowledgeChunk } from '../knowledge/types.js';

/** A whole-line rewrite: lines `startLine`…`endLine` (1-based, inclusive) become `replacement`. */
export type LineEdit = {
  path: string;
  startLine: number;
  endLine: number;
  /** The new lines, joined with `\n`, without a trailing newline. */
  replacement: string;
};

/** What drafting needs to know about the project. */
export type DraftProject = {
  /** `[project] requires-python`, e.g. `>=3.9`. */
  requiresPython?: string;
  /** The lowest supported Python minor, e.g. `[3, 9]`. */
  minPython?: [number, number];
};

/** The lines of the function around a finding. */
export type FunctionSource = { startLine: number; endLine: number; text: string };

/** One finding to draft a change for, with everything a drafter may use. */
export type DraftRequest = {
  finding: Finding;
  path: string;
  fileText: string;
  /** The enclosing function, when the finding is inside one. */
  functionSource?: FunctionSource;
  /** Retrieved knowledge sections, best first; the only sections a draft may cite. */
  sections: KnowledgeChunk[];
  project: DraftProject;
  /** The text of the comment or pull request that asked for the draft (untrusted), if any. */
  requestText?: string;
  /** Budget scope: which pull request and installation the call is charged to. */
  scope?: { installation?: string; pullRequest?: string };
};

/** A drafted change: always an explanation, sometimes an edit (verified later, before showing). */
export type Draft = {
  drafter: 'llm' | 'deterministic';
  explanation: string;
  edit?: LineEdit;
  /** Ids (`page#anchor`) of the request's sections the draft relies on. */
  citedIds: string[];
  /** `<prompt id>@<version>` for LLM drafts. */
  promptId?: string;
};

export type DraftOutcome =
  | { status: 'drafted'; draft: Draft }
  /** The drafter could not answer; `notice` is a one-line message to show once (budget, quota). */
  | { status: 'failed'; reason: string; notice?: string };

/** Writes a draft for one finding. The LLM drafter and the deterministic drafter implement it. */
export interface Drafter {
  readonly kind: 'llm' | 'deterministic';
  draft(request: DraftRequest): Promise<DraftOutcome>;
}

/** A finding with its drafted (and verified) change, ready to render. */
export type Suggestion = {
  finding: Finding;
  drafter: 'llm' | 'deterministic';
  /** True only when `edit` passed every check of `verifyDraft`. */
  verified: boolean;
  /** Present only when verified. */
  edit?: LineEdit;
  explanation: string;
  citations: Citation[];
  /** Why a drafted edit was withheld (empty when verified or when no edit was drafted). */
  problems: string[];
  promptId?: string;
};
