import { lineOfOffset, lineStarts } from '../parsing/syntax.js';
import type { Diagnostic, Finding, RelatedLocation, TextEdit } from '../diagnostics.js';
import { renderSuggestion as renderDraftedSuggestion } from '../drafting/render-suggestion.js';
import type { Suggestion } from '../drafting/types.js';
import { applyEdits } from '../report/edit-positions.js';
import { ruleWhy } from '../rules/index.js';
import { hunkOf, isAddedLine, type DiffLines } from './diff-lines.js';
import { fingerprintMarker, type MarkerSigner } from './markers.js';
import { neutralizeMentions } from './neutralize-mentions.js';
import type { KnowledgeLinker } from './create-knowledge-linker.js';
import type { FindingDraft } from './draft-findings.js';
import { fenceFor, inlineText, knowledgeMarkdownLink, ruleLink } from './render-finding.js';
import { truncateBody } from './truncate-body.js';

/** One inline comment in the shape of the "create a review" API (`line`/`side`, never `position`). */
export type ReviewComment = {
  path: string;
  line: number;
  side: 'RIGHT';
  /** Only for multi-line comments; GitHub rejects `start_line` equal to `line`. */
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
};

/** Where each finding went. Every finding lands in exactly one list. */
export type ReviewPlan = {
  /** New inline comments, in the order posted: one per line, listing every finding on it. */
  comments: ReviewComment[];
  /** The findings behind `comments`, in the same order. */
  inline: Finding[];
  /** On a line the pull request adds and already commented in an earlier run: not posted again. */
  alreadyPosted: Finding[];
  /** On a line the pull request adds, but over the inline-comment cap. */
  overflow: Finding[];
  /** Not on a line the pull request adds (context lines included): listed in the summary. */
  outsideDiff: Finding[];
  /** Low confidence on a line the pull request did not add: only in the summary's collapsed section. */
  lowConfidence: Finding[];
};

/** Longest stretch a multi-line suggestion may cover; larger fixes are shown as a diff instead. */
const MAX_SUGGESTION_LINES = 20;

/**
 * Decides which findings become inline review comments and renders them.
 *
 * Steps:
 * 1. A finding on a line the pull request does not add (a context line of a hunk, or outside the
 *    diff) is commented on the first of its related places the pull request adds, if any (a new
 *    write of a variable reported at its declaration, a new method of a class reported at the
 *    class): the author wrote that line. Otherwise it goes to the summary: low-confidence ones to
 *    its collapsed section, the rest to "Outside the diff".
 * 2. Findings already posted in an earlier run (same fingerprint) are not posted again.
 * 3. The rest are grouped by line: one comment per line lists every rule that fires there, at
 *    any confidence (a low one is labelled so). The first `maxInlineComments` lines get comments;
 *    the others are overflow.
 *
 * @param params
 *   `findings` sorted by path and line; `textOf` gives a scanned file's text (for suggestions);
 *   `diff` the commentable lines per file; `posted` the fingerprints already commented;
 *   `docsBaseUrl` where rule pages live ('' for none).
 * @returns
 *   The comments and the findings sorted into the plan's lists.
 */
export function buildReview(params: {
  findings: readonly Finding[];
  textOf: (path: string) => string | undefined;
  diff: DiffLines;
  posted?: ReadonlySet<string>;
  maxInlineComments: number;
  docsBaseUrl: string;
  /** Links each comment to the knowledge section that explains its rule. */
  knowledgeLink?: KnowledgeLinker | undefined;
  /** Drafted changes by finding fingerprint (`draftFindings`), shown instead of the rule's fix line. */
  drafts?: ReadonlyMap<string, FindingDraft> | undefined;
  /** `owner/name` the review is posted to, for sanitising drafts. */
  repository?: string | undefined;
  /** Signs each comment's fingerprint markers (`fingerprintMarker`); unsigned without it. */
  markers?: MarkerSigner | undefined;
}): ReviewPlan {
  const { findings, textOf, diff, posted = new Set<string>(), maxInlineComments, docsBaseUrl, knowledgeLink, drafts, repository, markers } = params;
  const plan: ReviewPlan = { comments: [], inline: [], alreadyPosted: [], overflow: [], outsideDiff: [], lowConfidence: [] };
  const lines = new Map<string, Finding[]>();
  /** Findings commented on an added related place instead of their own line. */
  const movedTo = new Map<Finding, RelatedLocation>();
  for (const finding of findings) {
    // 1.
    let at: { path: string; line: number } = finding;
    if (!isAddedLine(diff.get(finding.path), finding.line)) {
      const place = finding.related?.find((r) => isAddedLine(diff.get(r.path), r.line));
      if (place === undefined) {
        (finding.confidence === 'low' ? plan.lowConfidence : plan.outsideDiff).push(finding);
        continue;
      }
      movedTo.set(finding, place);
      at = place;
    }
    // 2.
    if (posted.has(finding.fingerprint)) {
      plan.alreadyPosted.push(finding);
      continue;
    }
    const key = `${at.path}\u0000${at.line}`;
    const group = lines.get(key);
    if (group === undefined) lines.set(key, [finding]);
    else group.push(finding);
  }
  // 3.
  for (const group of lines.values()) {
    if (plan.comments.length >= maxInlineComments) {
      plan.overflow.push(...group);
      continue;
    }
    const [first] = group as [Finding, ...Finding[]];
    const firstMoved = movedTo.get(first);
    const path = firstMoved?.path ?? first.path;
    const text = textOf(first.path);
    // A finding commented on a related place shows its fix as text only: the fix's edits are at
    // its own line, outside this comment's lines.
    const anchor = firstMoved === undefined ? placeComment(first, diff, text, drafts?.get(first.fingerprint), true) : { start: firstMoved.line, end: firstMoved.line, fixBlock: undefined };
    const parts = group.map((finding, i) => {
      const moved = movedTo.get(finding);
      const draft = moved === undefined ? drafts?.get(finding.fingerprint) : undefined;
      // Only the first finding may carry a committable suggestion: the comment spans its lines.
      const placed = i === 0 ? anchor : moved === undefined ? placeComment(finding, diff, textOf(finding.path), draft, false) : { fixBlock: undefined };
      const part = renderFindingPart({ finding, docsBaseUrl, fixBlock: placed.fixBlock, knowledgeLink, draft, suggestionBlock: 'draftBlock' in placed ? placed.draftBlock : undefined, repository });
      return moved === undefined ? part : `${movedNote(finding, moved)}\n\n${part}`;
    });
    const comment: ReviewComment = {
      path,
      line: anchor.end,
      side: 'RIGHT',
      body: truncateBody(parts.join('\n\n---\n\n'), { tail: group.map((f) => fingerprintMarker(f.fingerprint, markers)).join('\n') }),
    };
    if (anchor.start < anchor.end) {
      comment.start_line = anchor.start;
      comment.start_side = 'RIGHT';
    }
    plan.comments.push(comment);
    plan.inline.push(...group);
  }
  return plan;
}

type Placement = { start: number; end: number; fixBlock: string | undefined; draftBlock?: boolean };

/**
 * The line that opens the part of a finding commented on one of its related places:
 * `This line is one of the places of the finding at line 40: \`cache\` also written in \`put\`.`
 */
function movedNote(finding: Finding, place: RelatedLocation): string {
  const where = place.path === finding.path ? `line ${finding.line}` : `\`${inlineText(finding.path).replace(/`/g, "'")}:${finding.line}\``;
  return `This line is one of the places of the finding at ${where}: ${inlineText(place.message)}.`;
}

/**
 * Finds the lines a comment on `finding` (on a line the pull request adds) may span. A committable
 * suggestion replaces every line from `start_line` to `line`, so it is offered only when `spans`
 * allows it, the fix's lines (and the finding's line, when close) lie in one hunk, and the range
 * holds the finding's added line or ends on an added line; otherwise the fix is shown as a
 * ```diff block on the finding's line.
 *
 * Worked example: finding on added line 145, safe fix inserting before line 149, hunk 140–150,
 * line 149 added → comment on lines 145–149 with a suggestion holding lines 145–149 after the edit.
 */
function placeComment(finding: Finding, diff: DiffLines, text: string | undefined, draft: FindingDraft | undefined, spans: boolean): Placement {
  const file = diff.get(finding.path);
  const fits = (c: { start: number; end: number }): boolean => {
    if (!spans || c.end - c.start >= MAX_SUGGESTION_LINES) return false;
    // The comment must sit on code the pull request adds: its last line, or the finding's (added)
    // line inside the range it spans. A suggestion may run on over unchanged lines of the hunk.
    if (!isAddedLine(file, c.end) && (finding.line < c.start || finding.line > c.end)) return false;
    const hunk = hunkOf(file, c.start);
    return hunk >= 0 && hunk === hunkOf(file, c.end);
  };
  const single = { start: finding.line, end: finding.line };
  // A verified drafted edit replaces whole lines: a committable suggestion when those lines (and
  // the finding's) lie in one hunk, else a plain code block on the finding's line.
  const edit = draft?.kind === 'drafted' && draft.suggestion.verified ? draft.suggestion.edit : undefined;
  if (edit !== undefined) {
    const start = Math.min(edit.startLine, finding.line);
    const end = Math.max(edit.endLine, finding.line);
    if (start === edit.startLine && end === edit.endLine && fits({ start, end })) return { start, end, fixBlock: undefined, draftBlock: true };
    return { ...single, fixBlock: undefined, draftBlock: false };
  }
  const fix = finding.fix;
  if (fix !== undefined && fix.edits.length > 0 && text !== undefined) {
    const range = editLineRange(text, fix.edits);
    if (fix.applicability !== 'display-only') {
      const union = { start: Math.min(range.start, finding.line), end: Math.max(range.end, finding.line) };
      for (const c of [union, range]) {
        if (fits(c)) return { ...c, fixBlock: renderSuggestion(text, fix.edits, c, fix.applicability) };
      }
    }
    return { ...single, fixBlock: renderDiffBlock(text, fix.edits, range) };
  }
  return { ...single, fixBlock: undefined };
}

/**
 * The 1-based lines the edits touch. An edit ending at the start of a line does not touch that
 * line; a pure insertion touches the line it is inserted into.
 */
function editLineRange(text: string, edits: readonly TextEdit[]): { start: number; end: number } {
  const starts = lineStarts(text);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const e of edits) {
    const a = lineOfOffset(starts, e.start);
    let b = lineOfOffset(starts, e.end);
    if (e.end > e.start && starts[b - 1] === e.end) b -= 1;
    start = Math.min(start, a);
    end = Math.max(end, b, a);
  }
  return { start, end };
}

/** The text of lines `start..end` (without the final newline) before and after the edits. */
function rewriteLines(text: string, edits: readonly TextEdit[], range: { start: number; end: number }): { before: string; after: string } {
  const starts = lineStarts(text);
  const from = starts[range.start - 1] ?? 0;
  const nextStart = starts[range.end];
  const to = nextStart === undefined ? text.length : nextStart - 1;
  const before = text.slice(from, to);
  const shifted = edits.map((e) => ({ start: e.start - from, end: Math.min(e.end, to) - from, text: e.text }));
  let after = applyEdits(before, shifted);
  if (after.endsWith('\n')) after = after.slice(0, -1);
  return { before, after };
}

function renderSuggestion(
  text: string,
  edits: readonly TextEdit[],
  range: { start: number; end: number },
  applicability: 'safe' | 'unsafe',
): string {
  const { after } = rewriteLines(text, edits, range);
  const fence = fenceFor(after);
  const caveat = applicability === 'unsafe' ? 'Check before committing: this fix can change behaviour in edge cases.\n\n' : '';
  return `${caveat}${fence}suggestion\n${after}\n${fence}`;
}

function renderDiffBlock(text: string, edits: readonly TextEdit[], range: { start: number; end: number }): string {
  const { before, after } = rewriteLines(text, edits, range);
  const body = [...before.split('\n').map((l) => `-${l}`), ...after.split('\n').map((l) => `+${l}`)].join('\n');
  const fence = fenceFor(body);
  return `${fence}diff\n${body}\n${fence}`;
}

/**
 * The body of one inline comment:
 *
 *   **FT001** `PyDict_GetItem` returns a borrowed reference … ([FT001](…))
 *
 *   Why: … one line …
 *
 *   Related: line 40 (`cache` lazily initialised in `get`)      (when the finding has related places)
 *
 *   Background: [Borrowed references from dict access › …](…/knowledge/dict-borrowed-references.md#…)
 *
 *   Fix: Use `PyDict_GetItemRef` …
 *   ```suggestion
 *   …
 *   ```
 *   <!-- ftbot:fp 0123… -->
 */
export function renderInlineBody(params: InlinePartParams & { markers?: MarkerSigner | undefined }): string {
  return truncateBody(renderFindingPart(params), { tail: fingerprintMarker(params.finding.fingerprint, params.markers) });
}

type InlinePartParams = {
  finding: Finding;
  docsBaseUrl: string;
  fixBlock?: string | undefined;
  knowledgeLink?: KnowledgeLinker | undefined;
  /** A drafted change (or the rule on this line whose part carries it). */
  draft?: FindingDraft | undefined;
  /** The comment spans the draft's edit: show it as a committable suggestion. */
  suggestionBlock?: boolean | undefined;
  repository?: string | undefined;
};

/** One finding's part of an inline comment, without its marker. */
function renderFindingPart(params: InlinePartParams): string {
  const { finding: f, docsBaseUrl, fixBlock, knowledgeLink, draft } = params;
  // Code the pull request adds is commented at any confidence; a low one says so.
  const confidence = f.confidence === 'low' ? ', low confidence' : '';
  const lines = [`**${f.ruleId}** ${inlineText(f.message)} (${ruleLink(docsBaseUrl, f)}: ${f.ruleName}${confidence})`, '', `Why: ${inlineText(ruleWhy(f.ruleId))}`];
  const related = relatedLine(f);
  if (related !== undefined) lines.push('', related);
  const background = knowledgeLink?.(f.ruleId);
  if (background !== undefined) lines.push('', `Background: ${knowledgeMarkdownLink(background)}`);
  if (draft?.kind === 'drafted') {
    lines.push('', renderDraftSection(draft.suggestion, { suggestionBlock: params.suggestionBlock === true, repository: params.repository }));
  } else {
    const help = f.fix?.title ?? f.help;
    if (help !== undefined) lines.push('', `Fix: ${inlineText(help)}`);
    // Code inside the fence is not parsed for mentions, and must stay byte-exact to be committable.
    if (fixBlock !== undefined) lines.push('', fixBlock);
    if (draft?.kind === 'same-line') lines.push('', `Drafted change: see ${draft.ruleId.replace(/[^A-Z0-9]/g, '')} above.`);
  }
  return lines.join('\n');
}

/** Related places shown in a comment; the rest are counted. */
const MAX_RELATED_SHOWN = 5;

/**
 * The places a finding stands for besides its own line (the other writes of a variable, the other
 * methods of a class), as one line: `Related: line 40 (\`cache\` lazily initialised in \`get\`); \`b.c:7\` (…)`.
 * A place in the same file is named by its line, one in another file by path and line.
 */
function relatedLine(f: Finding): string | undefined {
  const related = f.related ?? [];
  if (related.length === 0) return undefined;
  const shown = related.slice(0, MAX_RELATED_SHOWN).map((r) => {
    const where = r.path === f.path ? `line ${r.line}` : `\`${inlineText(r.path).replace(/`/g, "'")}:${r.line}\``;
    return `${where} (${inlineText(r.message)})`;
  });
  const more = related.length > MAX_RELATED_SHOWN ? `; and ${related.length - MAX_RELATED_SHOWN} more` : '';
  return `Related: ${shown.join('; ')}${more}`;
}

/**
 * A drafted change as part of an inline comment: who drafted it, the explanation, the edit (a
 * committable suggestion only when verified and anchored on its lines), the sources and the
 * `<!-- ftbot:draft … -->` marker naming the drafter and prompt. Sanitised by `renderSuggestion`
 * (mentions, links outside the allow-list, secrets, HTML).
 */
export function renderDraftSection(suggestion: Suggestion, options: { suggestionBlock: boolean; repository?: string | undefined }): string {
  const who = suggestion.drafter === 'llm' ? 'a language model' : "ftbot's templates";
  const label =
    suggestion.edit !== undefined
      ? `Suggested change (drafted by ${who}, verified by ftbot: it parses, clears the finding and adds none):`
      : `Fix (drafted by ${who}):`;
  // `renderSuggestion` sanitises the whole text: mentions in prose are neutralised the same way
  // `neutralizeMentions` does it, and the suggestion block stays byte-exact (it was verified).
  return `${label}\n\n${renderDraftedSuggestion(suggestion, { heading: false, suggestionBlock: options.suggestionBlock, repository: options.repository })}`;
}

/** The short body of the review itself; the details live in the sticky summary. */
export function renderReviewBody(plan: ReviewPlan): string {
  const n = plan.inline.length;
  const lines = plan.comments.length;
  const where = lines === n ? '' : ` (${lines} line${lines === 1 ? '' : 's'})`;
  const more = plan.overflow.length + plan.outsideDiff.length + plan.lowConfidence.length;
  const rest = more > 0 ? ` ${more} more ${more === 1 ? 'is' : 'are'} listed in the ftbot summary comment.` : '';
  return neutralizeMentions(`ftbot: ${n} new free-threading finding${n === 1 ? '' : 's'} on lines this pull request adds${where}.${rest}`);
}

/** Diagnostics worth telling the user about: files ftbot did not read. */
export function skippedOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.kind === 'binary' || d.kind === 'too-large' || d.kind === 'truncated' || d.kind === 'read-error' || d.kind === 'parse-error' || d.kind === 'internal-error');
}
