/**
 * Answers a maintainer's question from the knowledge base, citing the sections it used.
 */
import type { Logger } from '../ports.js';
import { silentLogger } from '../ports.js';
import type { KnowledgeIndex } from './build-index.js';
import { composeAnswer } from './compose-answer.js';
import { search } from './search.js';
import { prepareQuestion } from './prepare-question.js';
import type { Answer, Citation, KnowledgeChunk, SearchHit } from './types.js';
import { understandQuery } from './understand-query.js';

/** Most sections an answer cites. */
export const MAX_CITATIONS = 4;

/** A section is cited only when it scores at least this share of the best one. */
const RELATIVE_CUTOFF = 0.3;

/** At most this many cited sections come from one page, so related pages get a turn. */
const PER_PAGE = 2;

const EXCERPT_LENGTH = 320;

export const NOT_COVERED_ANSWER =
  'The ftbot knowledge base does not cover this question. It covers porting C, C++, Cython, PyO3, pybind11 and nanobind extensions to free-threaded CPython: C-API hazards, locking, declaring support, wheels and CI, and testing.';

/** A retrieved section as handed to a drafter. */
export type RetrievedSection = {
  /** `<page>#<anchor>`; the only ids a drafter may cite. */
  id: string;
  chunk: KnowledgeChunk;
  score: number;
};

/**
 * The LLM seam: it writes the answer text from the retrieved sections. Every claim must carry a
 * citation mark (`[knowledge/x.md#anchor]`) of a section in `sections` (see `checkDraft`); a draft
 * that breaks this, or a drafter that throws, gives way to the deterministic answer.
 */
export interface AnswerDrafter {
  answer(params: { question: string; sections: RetrievedSection[] }): Promise<{ answer: string; citedIds: string[] }>;
}

/**
 * Answers `question` from `index`. Without a drafter the answer is deterministic
 * (`composeAnswer`): the fix or direct answer from the best section, whole blocks and its code, then
 * why, then the other cited sections. With a drafter, the drafter writes the text, and it is used
 * only when every claim cites a retrieved section (`checkDraft`).
 *
 * @param params.question
 *   The question as asked, of any length: long pastes are trimmed first (`prepareQuestion`).
 * @param params.index
 *   The knowledge index.
 * @param params.drafter
 *   Optional writer that replaces the deterministic synthesis.
 * @param params.logger
 *   Receives a warning when the drafter fails and the deterministic answer is used.
 * @returns
 *   The answer, its citations best first (at most four), and whether the question was covered.
 *
 * @example
 *   const { answer, citations } = await answerQuestion({ question: 'What replaces PyList_GetItem?', index });
 *   // citations[0] → { page: 'knowledge/list-borrowed-references.md', anchor: 'replacing-pylist_getitem-with-pylist_getitemref', … }
 */
export async function answerQuestion(params: {
  question: string;
  index: KnowledgeIndex;
  drafter?: AnswerDrafter;
  logger?: Logger;
}): Promise<Answer> {
  // 1. Trim pasted logs and code (prepareQuestion), then retrieve; an off-topic or unanswerable
  //    question stops here.
  // 2. Pick the sections to cite: close enough to the best, at most two per page, at most four.
  // 3. Let the drafter write the text when there is one, keeping only citations it was given.
  // 4. Otherwise (or on drafter failure) write the deterministic answer.
  const { index, drafter, logger = silentLogger } = params;
  const question = prepareQuestion(params.question).text;
  const response = search({ index, query: question, limit: 20 });
  if (!response.covered) return { answer: NOT_COVERED_ANSWER, citations: [], covered: false };

  const selected = selectHits(specificFirst(response.hits));
  if (drafter !== undefined) {
    const sections = selected.map((hit) => ({ id: hit.chunk.id, chunk: hit.chunk, score: hit.score }));
    try {
      const drafted = await drafter.answer({ question, sections });
      const checked = checkDraft(drafted.answer, selected);
      if (checked.ok) {
        return { answer: checked.answer, citations: checked.cited.map((hit) => toCitation(hit)), covered: true };
      }
      logger.warn({ citedIds: drafted.citedIds, problem: checked.problem }, `drafted answer rejected (${checked.problem}); using the deterministic answer`);
    } catch (error) {
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'drafter failed; using the deterministic answer');
    }
  }
  return {
    answer: composeAnswer({ selected, understood: understandQuery(question) }) || NOT_COVERED_ANSWER,
    citations: selected.map((hit) => toCitation(hit)),
    covered: true,
  };
}

/** `[knowledge/page.md#anchor]`: a drafted answer's citation of one section. */
const CITATION_MARK = /\[((?:knowledge|docs\/rules)\/[\w.-]+\.md(?:#[\w.-]*)?)\]/g;

/**
 * Checks a drafted answer against the sections it was given. Every paragraph and list item that
 * makes a claim (outside code blocks, three words or more) must end with at least one citation
 * mark, and every mark must name a retrieved section; otherwise the draft is rejected. Marks are
 * rewritten to `[n]`, numbered in the order of the returned citations.
 *
 * Worked example: "Use `PyMutex` [knowledge/pymutex.md#using-pymutex]." with that section
 * retrieved → ok, answer "Use `PyMutex` [1].", cited [that section].
 */
export function checkDraft(
  text: string,
  retrieved: readonly SearchHit[],
): { ok: true; answer: string; cited: SearchHit[] } | { ok: false; problem: string } {
  const answer = text.trim();
  if (answer === '') return { ok: false, problem: 'empty answer' };
  const byId = new Map(retrieved.map((hit) => [hit.chunk.id, hit]));
  const order: string[] = [];
  for (const match of answer.matchAll(CITATION_MARK)) {
    const id = match[1] ?? '';
    if (!byId.has(id)) return { ok: false, problem: `cites ${id}, which was not retrieved` };
    if (!order.includes(id)) order.push(id);
  }
  if (order.length === 0) return { ok: false, problem: 'no citation marks' };
  let fenced = false;
  for (const unit of claimUnits(answer)) {
    if (unit.fence) {
      fenced = !fenced;
      continue;
    }
    if (fenced || unit.text.split(/\s+/).length < 3) continue;
    if (unit.text.search(CITATION_MARK) < 0) return { ok: false, problem: `a claim without a citation: "${unit.text.slice(0, 60)}"` };
  }
  const numbered = answer.replace(CITATION_MARK, (_mark, id: string) => `[${order.indexOf(id) + 1}]`);
  return { ok: true, answer: numbered, cited: order.map((id) => byId.get(id) as SearchHit) };
}

/** Paragraphs and list items of Markdown text, with fence lines marked. */
function claimUnits(text: string): Array<{ text: string; fence: boolean }> {
  const units: Array<{ text: string; fence: boolean }> = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) units.push({ text: current.join(' ').trim(), fence: false });
    current = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) {
      flush();
      units.push({ text: line, fence: true });
    } else if (line.trim() === '') flush();
    else if (/^\s*(?:[-*+]|\d+\.)\s/.test(line)) {
      flush();
      current.push(line);
    } else current.push(line);
  }
  flush();
  return units;
}

/** A page's overview yields the lead to a section of the same page scoring at least this share of it. */
const INTRO_YIELD = 0.6;
/** How far down the ranking that section may be. */
const INTRO_REACH = 10;

/**
 * A page's opening section is its overview. When it ranks first and a section of the same page
 * scores close to it, that section is the specific answer and goes first: "how do I declare that
 * my module does not need the GIL" wants the section with the slot, not the page's summary. The
 * overview stays among the hits.
 */
function specificFirst(hits: readonly SearchHit[]): readonly SearchHit[] {
  const [first] = hits;
  if (first === undefined || first.chunk.heading !== first.chunk.title) return hits;
  const specific = hits
    .slice(1, INTRO_REACH)
    .find((hit) => hit.chunk.page === first.chunk.page && hit.chunk.heading !== hit.chunk.title && hit.score >= first.score * INTRO_YIELD);
  if (specific === undefined) return hits;
  return [{ ...specific, score: first.score }, ...hits.filter((hit) => hit !== specific)];
}

function selectHits(hits: readonly SearchHit[]): SearchHit[] {
  const best = hits[0]?.score ?? 0;
  const perPage = new Map<string, number>();
  const selected: SearchHit[] = [];
  for (const hit of hits) {
    if (selected.length >= MAX_CITATIONS || hit.score < best * RELATIVE_CUTOFF) break;
    const count = perPage.get(hit.chunk.page) ?? 0;
    if (count >= PER_PAGE) continue;
    perPage.set(hit.chunk.page, count + 1);
    selected.push(hit);
  }
  return selected;
}

/** The prose paragraphs of a section's text, as one line. */
function proseOf(text: string): string {
  return text
    .split('\n\n')
    .filter((block) => isProse(block))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Prose paragraphs: not code (lines ending in `;`, `{`, `}` or starting with `#`), not tables. */
function isProse(block: string): boolean {
  const lines = block.split('\n');
  const codeLike = lines.filter((line) => /[;{}]\s*$|^\s*#|^\s*(?:\/\/|\/\*|\*)|\s\|\s|^\s*[\w.-]+\s*[:=]\s*\S*$/.test(line));
  return codeLike.length * 2 < lines.length && /[a-z]{3,} [a-z]{2,}/i.test(block);
}

function toCitation(hit: SearchHit): Citation {
  const { chunk } = hit;
  return {
    page: chunk.page,
    anchor: chunk.anchor,
    title: chunk.title,
    heading: chunk.heading,
    excerpt: excerpt(chunk.text),
    url: chunk.upstream,
  };
}

/** The start of the section's prose, cut at a word boundary near `EXCERPT_LENGTH` characters. */
function excerpt(text: string): string {
  const prose = proseOf(text);
  return clip(prose === '' ? text.replace(/\s+/g, ' ').trim() : prose, EXCERPT_LENGTH);
}

/** Cuts `text` at the last space before `length` characters and marks the cut with ` …`. */
function clip(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.lastIndexOf(' ', length);
  return `${text.slice(0, cut > 0 ? cut : length)} …`;
}
