/**
 * The data every rule produces and every report consumes. Kept free of any I/O so the CLI,
 * the GitHub App and the tests all see exactly the same shapes.
 */

/** How bad the problem is when it is real. */
export type Severity = 'error' | 'warning' | 'info';

/** How sure the detector is that the problem is real (independent of severity). */
export type Confidence = 'high' | 'medium' | 'low';

/** Severities in order, for thresholds and comparisons: `severityRank.error > severityRank.info`. */
export const severityRank: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Confidences in order, for thresholds and comparisons. */
export const confidenceRank: Readonly<Record<Confidence, number>> = { low: 0, medium: 1, high: 2 };

/**
 * Whether a fix may be applied without review.
 * - `safe`: a local rewrite that keeps behaviour; GitHub shows it as a committable suggestion.
 * - `unsafe`: usually right, but changes behaviour in edge cases; shown with a caveat.
 * - `display-only`: shown as a diff to read, never applied automatically.
 */
export type Applicability = 'safe' | 'unsafe' | 'display-only';

/** One text replacement, in UTF-16 offsets of the file's text (what JavaScript strings index). */
export type TextEdit = {
  start: number;
  end: number;
  text: string;
};

/** Where a text edit sits: 1-based lines and UTF-16 columns, end exclusive. */
export type EditRange = { line: number; column: number; endLine: number; endColumn: number };

export type Fix = {
  /** One imperative line, e.g. "Add a `Py_mod_gil` slot". */
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
  /**
   * Where each edit sits (same order as `edits`), set by the engine while it has the text, so
   * reports (JSON, SARIF, rdjson) give line/column ranges without reading the file again.
   */
  ranges?: EditRange[];
};

/** A rule violation at a place in a file. Lines and columns are 1-based; columns count UTF-16 units. */
export type Finding = {
  ruleId: string;
  ruleName: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** One line stating the problem, no advice, no trailing period. */
  message: string;
  /** One imperative line saying what to do (ruff's "fix title"). */
  help?: string;
  severity: Severity;
  confidence: Confidence;
  fix?: Fix;
  /**
   * A hash of rule id, path, the enclosing symbol and the normalised source of the flagged line, so a
   * finding keeps its identity when unrelated lines above it move.
   */
  fingerprint: string;
  /** The enclosing function (or other symbol) when known, for grouping and fingerprints. */
  symbol?: string;
  /** Other places that explain the finding: the declaration of a shared variable, its other writes. */
  related?: RelatedLocation[];
};

/**
 * A place in a file that explains a finding (SARIF `relatedLocations`): a point, or a span when
 * `endLine`/`endColumn` are given (just past its end, like a finding's).
 */
export type RelatedLocation = { path: string; line: number; column: number; endLine?: number; endColumn?: number; message: string };

/** Expected trouble with an input: never thrown, always returned beside the findings. */
export type DiagnosticKind =
  | 'parse-error'
  | 'too-large'
  | 'binary'
  | 'vendored'
  | 'generated'
  | 'unsupported-language'
  | 'config-invalid'
  | 'read-error'
  | 'unused-suppression'
  | 'truncated'
  /** A bug in ftbot: a rule or the parser threw on this file. The message names the rule. */
  | 'internal-error';

export type Diagnostic = {
  kind: DiagnosticKind;
  path?: string;
  line?: number;
  message: string;
};
