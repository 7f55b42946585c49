import type { Diagnostic, Finding } from '../diagnostics.js';
import type { ReviewPlan } from './build-review.js';
import { readStateMarkers, renderStateMarkers, SUMMARY_MARKER, type MarkerSigner, type RememberedFinding } from './markers.js';
import { neutralizeMentions } from './neutralize-mentions.js';
import { findingListItem, inlineText, ruleLink } from './render-finding.js';
import { truncateBody } from './truncate-body.js';
import { renderWheelReport, type WheelCheck } from '../wheels/index.js';
import { renderReadiness, type ReadinessCheck } from '../deps/index.js';

/** At most this many entries per list; the rest are counted. */
const MAX_LIST = 100;
/** The state block remembers at most this many findings (about 60 characters each). */
const MAX_REMEMBERED = 500;
/** Rows of the dependency table (and "Not checked" entries) in a summary. */
const MAX_DEPENDENCY_ROWS = 30;

export type SummaryParams = {
  plan: ReviewPlan;
  headSha: string;
  /** Body of the previous summary, to find fixed findings and earlier inline comments. */
  previousBody?: string | undefined;
  /** Files not read (binary, too large, over the count or byte budget). */
  skipped: readonly Diagnostic[];
  docsBaseUrl: string;
  sourceUrl?: ((path: string, line: number) => string | undefined) | undefined;
  /** Fingerprints commented inline in earlier runs, as found on the pull request. */
  postedBefore?: ReadonlySet<string>;
  /** Signs the state block and checks the previous one; without it the state is written unsigned and not read back. */
  markers?: MarkerSigner | undefined;
  /** The release's wheel matrix, shown when the pull request changes a build file. */
  wheels?: WheelCheck | undefined;
  /** The dependencies' readiness, shown when the pull request changes a dependency file. */
  dependencies?: ReadinessCheck | undefined;
  /** One-line notices from drafting (LLM budget used up, quota), each shown once. */
  notices?: readonly string[] | undefined;
};

/**
 * Renders the sticky summary comment of a pull request: counts by rule, findings outside the diff,
 * overflow over the inline cap, low-confidence findings (collapsed), findings fixed since the last
 * run, skipped files, and hidden markers for the next run. Always under GitHub's size limit.
 */
export function renderSummary(params: SummaryParams): string {
  const { plan, headSha, previousBody, skipped, docsBaseUrl, sourceUrl, postedBefore = new Set<string>(), wheels, notices = [] } = params;
  const all = [...plan.inline, ...plan.alreadyPosted, ...plan.overflow, ...plan.outsideDiff, ...plan.lowConfidence];
  const item = (finding: Finding): string => findingListItem({ finding, docsBaseUrl, sourceUrl });
  const out: string[] = [SUMMARY_MARKER, '## ftbot: free-threading review', ''];

  const files = new Set(all.map((f) => f.path)).size;
  out.push(
    all.length === 0
      ? `No free-threading findings in the changed files at \`${headSha.slice(0, 7)}\`.`
      : `${count(all.length, 'finding')} in ${count(files, 'changed file')} at \`${headSha.slice(0, 7)}\`: ` +
          // New and earlier inline comments are counted together, so a re-run on the same commit
          // renders the same body and is not written again.
          `${plan.inline.length + plan.alreadyPosted.length} commented inline, ` +
          `${plan.outsideDiff.length} outside the diff, ${plan.overflow.length} over the inline limit, ` +
          `${plan.lowConfidence.length} low confidence.`,
    '',
  );
  for (const notice of new Set(notices)) out.push(`> Note: ${inlineText(notice)}`, '');

  if (all.length > 0) {
    out.push('| Rule | Findings |', '| :-- | --: |');
    const byRule = new Map<string, { finding: Finding; n: number }>();
    for (const f of all) {
      const entry = byRule.get(f.ruleId) ?? { finding: f, n: 0 };
      entry.n++;
      byRule.set(f.ruleId, entry);
    }
    for (const [, { finding, n }] of [...byRule].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      out.push(`| ${ruleLink(docsBaseUrl, finding)} ${finding.ruleName} | ${n} |`);
    }
    out.push('');
  }

  if (plan.outsideDiff.length > 0) {
    out.push(`<details><summary>Outside the diff (${plan.outsideDiff.length})</summary>`, '');
    out.push('This pull request did not add these lines, so they get no inline comment.', '');
    out.push(...capped(plan.outsideDiff.map(item)), '', '</details>', '');
  }
  section(out, 'Over the inline-comment limit', 'Listed here instead of inline to keep the review readable.', plan.overflow.map(item));

  if (plan.lowConfidence.length > 0) {
    out.push(`<details><summary>Low-confidence findings (${plan.lowConfidence.length})</summary>`, '');
    out.push(...capped(plan.lowConfidence.map(item)), '', '</details>', '');
  }

  // Findings of the last run that this run no longer reports.
  const previous = previousBody === undefined ? [] : readStateMarkers(previousBody, params.markers).findings;
  const current = new Set(all.map((f) => f.fingerprint));
  const fixed = previous.filter((p) => !current.has(p.fingerprint));
  section(
    out,
    'Fixed since the last run',
    undefined,
    fixed.map((p) => `- ~~\`${inlineText(p.path).replace(/`/g, "'")}:${p.line}\` ${p.ruleId}~~ no longer reported`),
  );

  if (wheels !== undefined) out.push(neutralizeMentions(renderWheelReport(wheels, 'markdown').trimEnd()), '');
  if (params.dependencies !== undefined) {
    out.push(neutralizeMentions(renderReadiness(params.dependencies, 'markdown', { maxRows: MAX_DEPENDENCY_ROWS }).trimEnd()), '');
  }

  section(out, 'Skipped', undefined, skipped.map((d) => `- ${d.path === undefined ? '' : `\`${inlineText(d.path).replace(/`/g, "'")}\`: `}${inlineText(d.message)}`));

  const posted = new Set([...postedBefore, ...previous.filter((p) => p.posted).map((p) => p.fingerprint)]);
  for (const f of plan.inline) posted.add(f.fingerprint);
  const remembered: RememberedFinding[] = all
    .slice(0, MAX_REMEMBERED)
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path, line: f.line, posted: posted.has(f.fingerprint) }));
  return truncateBody(out.join('\n').trimEnd(), { tail: renderStateMarkers({ headSha, findings: remembered, signer: params.markers }) });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function capped(items: readonly string[]): string[] {
  if (items.length <= MAX_LIST) return [...items];
  return [...items.slice(0, MAX_LIST), `- … and ${items.length - MAX_LIST} more`];
}

function section(out: string[], title: string, intro: string | undefined, items: readonly string[]): void {
  if (items.length === 0) return;
  out.push(`### ${title} (${items.length})`, '');
  if (intro !== undefined) out.push(intro, '');
  out.push(...capped(items), '');
}
