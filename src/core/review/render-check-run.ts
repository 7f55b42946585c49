import { severityRank, type Finding } from '../diagnostics.js';
import type { ReviewPlan } from './build-review.js';
import { ruleWhy } from '../rules/index.js';
import { ruleDocUrl } from './render-finding.js';
import { truncateBody } from './truncate-body.js';

/** The check run's name on every commit; ftbot finds its own run again by it. */
export const CHECK_RUN_NAME = 'ftbot';

/** GitHub accepts at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** At most this many annotations per check run; the summary counts the rest. */
const MAX_ANNOTATIONS = 1000;

/** The check-run API's limits on an annotation's title and message, and on the summary. */
const TITLE_LIMIT = 255;
const MESSAGE_LIMIT = 4000;
const SUMMARY_LIMIT = 60_000;

export type FailOn = 'none' | 'error' | 'warning';

/** One annotation in the shape of the check-runs API. */
export type CheckAnnotation = {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
};

export type CheckRunResult = {
  conclusion: 'success' | 'neutral' | 'failure';
  title: string;
  summary: string;
  /** Every annotation, in the findings' order; the shell sends them 50 at a time. */
  annotations: CheckAnnotation[];
};

const LEVEL = { error: 'failure', warning: 'warning', info: 'notice' } as const;

/**
 * The check run for one review: an annotation per finding in the changed files, and a conclusion
 * from `failOn` counted on the findings the pull request adds (lines it did not touch never fail
 * it, so a check can be required before an old file is clean).
 *
 * | failOn  | a finding the PR adds at or above | none added | conclusion otherwise |
 * | ------- | --------------------------------- | ---------- | -------------------- |
 * | none    | never fails                       | success    | neutral              |
 * | error   | error → failure                   | success    | neutral              |
 * | warning | warning or error → failure        | success    | neutral              |
 *
 * @example
 *   renderCheckRun({ plan, failOn: 'none', docsBaseUrl: '' }).conclusion // → 'neutral' when there are findings
 */
export function renderCheckRun(params: { plan: ReviewPlan; failOn: FailOn; docsBaseUrl: string }): CheckRunResult {
  const { plan, failOn, docsBaseUrl } = params;
  const added = [...plan.inline, ...plan.alreadyPosted, ...plan.overflow];
  const all = [...added, ...plan.outsideDiff, ...plan.lowConfidence].sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
  const threshold = failOn === 'none' ? undefined : severityRank[failOn];
  const failing = threshold === undefined ? [] : added.filter((f) => severityRank[f.severity] >= threshold);
  const conclusion = failing.length > 0 ? 'failure' : all.length === 0 ? 'success' : 'neutral';
  const title =
    all.length === 0
      ? 'No free-threading findings'
      : `${count(added.length, 'finding')} on added lines, ${count(all.length - added.length, 'other')} in the changed files`;
  const lines = [
    all.length === 0 ? 'No free-threading findings in the changed files.' : `${count(all.length, 'free-threading finding')} in the changed files; ${added.length} on lines this pull request adds.`,
    '',
    failOn === 'none'
      ? 'This check does not fail (`fail-on: none`); set `fail-on: error` or `fail-on: warning` in `.github/ftbot.yml` to make it a gate.'
      : `This check fails when the pull request adds a finding of severity ${failOn === 'error' ? '`error`' : '`warning` or `error`'} (\`fail-on: ${failOn}\`)${failing.length > 0 ? `: ${count(failing.length, 'finding')} did.` : '.'}`,
  ];
  if (all.length > MAX_ANNOTATIONS) lines.push('', `The first ${MAX_ANNOTATIONS} findings are annotated; the ftbot summary comment lists the rest.`);
  const annotations = all.slice(0, MAX_ANNOTATIONS).map((f) => annotationOf(f, docsBaseUrl));
  return { conclusion, title, summary: truncateBody(lines.join('\n'), { limit: SUMMARY_LIMIT }), annotations };
}

function annotationOf(f: Finding, docsBaseUrl: string): CheckAnnotation {
  const url = ruleDocUrl(docsBaseUrl, f);
  const message = [f.message, '', `Why: ${ruleWhy(f.ruleId)}`, ...(f.fix?.title ?? f.help ? ['', `Fix: ${f.fix?.title ?? f.help}`] : []), ...(url === undefined ? [] : ['', url])].join('\n');
  return {
    path: f.path,
    start_line: f.line,
    // A multi-line annotation may not carry columns; ftbot's annotations name lines only.
    end_line: Math.max(f.line, f.endLine),
    annotation_level: LEVEL[f.severity],
    title: `${f.ruleId} ${f.ruleName} (${f.confidence} confidence)`.slice(0, TITLE_LIMIT),
    message: message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 1)}…` : message,
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
