/**
 * Writes the deterministic answer from the retrieved sections: the direct answer or fix first
 * (with the section's code block when it has one), then why, then pointers to the other sections.
 * Blocks are quoted whole or not at all, so an answer never stops inside a list or a code block.
 */
import { processTerm } from './process-term.js';
import { tokenize } from './tokenize.js';
import type { ChunkBlock, KnowledgeChunk, SearchHit } from './types.js';
import type { QuestionKind, UnderstoodQuery } from './understand-query.js';

/** The answer text stays under this many characters (the citations come on top). */
export const ANSWER_BUDGET = 1900;
/** Budget for the lead section's blocks; the rest goes to "why" and related sections. */
const LEAD_BUDGET = 1350;
/** Code blocks longer than this many lines are left to the cited section. */
const MAX_CODE_LINES = 24;
/** Lists longer than this are left to the cited section. */
const MAX_LIST_CHARS = 900;
/** A page's overview gives the lead to a section of the same page scoring at least this share of it. */
const INTRO_YIELD = 0.6;

/** How each kind of question orders the lead section: fix first, or the direct answer first. */
const FIX_FIRST: Readonly<Record<QuestionKind, boolean>> = {
  declare: true,
  wheel: true,
  install: true,
  test: true,
  how: true,
  warning: false,
  'thread-safe': false,
};

type Scored = { block: ChunkBlock; position: number; score: number };

/**
 * Composes the answer.
 *
 * Worked example: "How do I declare that my module supports free threading?" with the best hit
 * "Declaring Py_mod_gil in a PyModuleDef_Slot array" (prose, "Bad: …", "Good: …", code) →
 *
 *   **Declaring free-threading support … › Declaring Py_mod_gil …**
 *   <the section's first paragraph>
 *   Good: add the slot …
 *   ```c
 *   {Py_mod_gil, Py_MOD_GIL_NOT_USED},
 *   ```
 *   Why: <first sentences of the next cited section>
 *   See also: <headings of the remaining cited sections>
 */
export function composeAnswer(params: { selected: readonly SearchHit[]; understood: UnderstoodQuery }): string {
  const { selected, understood } = params;
  const [top, ...rest] = selected;
  if (top === undefined) return '';
  const queryTerms = termSet(understood.text);
  const names = understood.names.map((name) => name.toLowerCase());
  const lead = pickLead(selected, understood.kind);

  const parts: string[] = [`**${sectionName(lead.chunk)}**`, ...leadBlocks(lead.chunk, queryTerms, names, understood.kind)];
  const apis = namedApis(lead.chunk, names);
  if (apis.length > 0) parts.push(`APIs: ${apis.map((name) => `\`${name}\``).join(', ')}.`);
  let used = parts.join('\n\n').length;

  const ranked = [top, ...rest].filter((hit) => hit !== lead);
  // What the lead already says does not need saying again: the background is the section, and
  // the sentences, that cover most of what the question asks beyond it ("…, and what about
  // 3.13t?").
  const said = termSet(parts.join(' '));
  const open = new Set([...queryTerms].filter((term) => !said.has(term)));
  const openNames = names.filter((name) => !parts.join(' ').toLowerCase().includes(name));
  const why = pickBackground(ranked, open, openNames);
  const others = why === undefined ? ranked : [why, ...ranked.filter((hit) => hit !== why)];
  if (why !== undefined) {
    const sentences = firstSentences(why.chunk, open.size > 0 ? open : queryTerms, openNames, 2);
    const line = `Background: ${sectionName(why.chunk)}: ${sentences}`;
    if (sentences !== '' && used + line.length + 2 <= ANSWER_BUDGET) {
      parts.push(line);
      used += line.length + 2;
    }
  }
  const seeAlso = others.slice(why === undefined ? 0 : 1).map((hit) => sectionName(hit.chunk));
  if (seeAlso.length > 0) {
    const line = `See also: ${seeAlso.join('; ')}.`;
    if (used + line.length + 2 <= ANSWER_BUDGET) parts.push(line);
  }
  return parts.join('\n\n');
}

/**
 * The background section: among the next three hits, the one with a prose block that covers most
 * of the question's still open terms; the next hit when none covers any.
 */
function pickBackground(ranked: readonly SearchHit[], open: ReadonlySet<string>, openNames: readonly string[]): SearchHit | undefined {
  let best: SearchHit | undefined = ranked[0];
  let bestScore = 0;
  for (const hit of ranked.slice(0, 3)) {
    const score = Math.max(0, ...blocksOf(hit.chunk).filter((block) => block.kind === 'prose').map((block) => blockScore(block, open, openNames)));
    if (score > bestScore) {
      best = hit;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The section to lead with: the best hit, unless the question wants a fix and the best hit has
 * none (no code, no "Good:" paragraph) while a close runner-up has one.
 */
function pickLead(selected: readonly SearchHit[], kind: QuestionKind): SearchHit {
  const [first] = selected;
  if (first === undefined) throw new TypeError('pickLead: no hits');
  // A page's opening section is its overview; when a section of the same page scores close to it,
  // that section is the specific answer ("Already borrowed" → the borrow-errors section, not the
  // PyO3 page's introduction).
  const specific = first.chunk.heading === first.chunk.title
    ? selected.slice(1, 3).find((hit) => hit.chunk.page === first.chunk.page && hit.score >= first.score * INTRO_YIELD)
    : undefined;
  const top = specific ?? first;
  if (!FIX_FIRST[kind] || hasFix(top.chunk)) return top;
  const runnerUp = selected.slice(1, 3).find((hit) => hit !== top && hit.score >= top.score * 0.75 && hasFix(hit.chunk));
  return runnerUp ?? top;
}

function hasFix(chunk: KnowledgeChunk): boolean {
  return blocksOf(chunk).some((block) => block.kind === 'code' || /^Good\b/.test(block.text));
}

/**
 * The lead section's blocks to show, in page order: the first block (the direct answer), the
 * blocks that match the question best, a "Good:" paragraph with the code that follows it, all
 * within `LEAD_BUDGET`. For fix-first questions the fix blocks are placed before the first block.
 */
function leadBlocks(chunk: KnowledgeChunk, queryTerms: ReadonlySet<string>, names: readonly string[], kind: QuestionKind): string[] {
  const blocks = blocksOf(chunk);
  const scored: Scored[] = blocks.map((block, position) => ({ block, position, score: blockScore(block, queryTerms, names) }));
  const chosen = new Set<number>();
  let budget = LEAD_BUDGET;
  const take = (position: number): boolean => {
    const block = blocks[position];
    if (block === undefined || chosen.has(position) || !quotable(block) || isCounterExample(blocks, position)) return false;
    const size = render(block).length + 2;
    if (size > budget) return false;
    chosen.add(position);
    budget -= size;
    return true;
  };
  const takeWithCode = (position: number): void => {
    if (!take(position)) return;
    const block = blocks[position];
    const next = blocks[position + 1];
    // A paragraph that introduces code ("Good: …", "…:") brings its code block along.
    if (block !== undefined && block.kind !== 'code' && next?.kind === 'code' && (/^Good\b/.test(block.text) || /:\s*$/.test(block.text))) take(position + 1);
    // A code block brings the paragraph that introduces it.
    const previous = blocks[position - 1];
    if (block?.kind === 'code' && previous !== undefined && previous.kind === 'prose' && /:\s*$/.test(previous.text)) take(position - 1);
  };

  // 1. The first block: the section's direct answer.
  const firstFit = firstProse(blocks);
  if (firstFit >= 0) take(firstFit);
  // 2. The fix: a "Good:" paragraph with its code, else the first code block.
  const good = blocks.findIndex((block) => /^Good\b/.test(block.text));
  if (good >= 0) takeWithCode(good);
  else {
    const code = blocks.findIndex((block) => block.kind === 'code' && quotable(block));
    if (code >= 0) takeWithCode(code);
  }
  // 3. The blocks that match the question best.
  for (const entry of [...scored].sort((a, b) => b.score - a.score || a.position - b.position)) {
    if (entry.score <= 0) break;
    takeWithCode(entry.position);
  }

  const ordered = [...chosen].sort((a, b) => a - b);
  if (FIX_FIRST[kind] && good >= 0 && chosen.has(good) && firstFit >= 0 && firstFit < good) {
    // Fix first: move the "Good:" paragraph and its code before the explanation.
    const fix = ordered.filter((position) => position >= good && position <= good + 1);
    const restOrder = ordered.filter((position) => !fix.includes(position));
    return [...fix, ...restOrder].map((position) => render(blocks[position] as ChunkBlock));
  }
  return ordered.map((position) => render(blocks[position] as ChunkBlock));
}

/** A "Bad: …" paragraph, or the code right after one: what not to do, never the answer. */
function isCounterExample(blocks: readonly ChunkBlock[], position: number): boolean {
  const block = blocks[position];
  if (block === undefined) return false;
  if (block.kind !== 'code') return /^Bad\b/.test(block.text) && !/\bGood\b/.test(block.text);
  const previous = blocks[position - 1];
  return previous !== undefined && /^Bad\b/.test(previous.text) && !/\bGood\b/.test(previous.text);
}

function firstProse(blocks: readonly ChunkBlock[]): number {
  return blocks.findIndex((block) => block.kind === 'prose' || block.kind === 'list');
}

function quotable(block: ChunkBlock): boolean {
  if (block.kind === 'code') return block.text.split('\n').length <= MAX_CODE_LINES;
  if (block.kind === 'list') return block.text.length <= MAX_LIST_CHARS;
  if (block.kind === 'table') return false;
  return true;
}

function render(block: ChunkBlock): string {
  return block.kind === 'code' ? `\`\`\`${block.lang ?? ''}\n${block.text}\n\`\`\`` : block.text;
}

/** Query terms and names a block contains; names count triple. */
function blockScore(block: ChunkBlock, queryTerms: ReadonlySet<string>, names: readonly string[]): number {
  let terms = blockTerms.get(block);
  if (terms === undefined) {
    terms = termSet(block.text);
    blockTerms.set(block, terms);
  }
  let score = 0;
  for (const term of queryTerms) if (terms.has(term)) score += 1;
  const lower = block.text.toLowerCase();
  for (const name of names) if (lower.includes(name)) score += 3;
  return score;
}

/** Terms per block object, computed once: blocks belong to the loaded index and do not change. */
const blockTerms = new WeakMap<ChunkBlock, Set<string>>();

function termSet(text: string): Set<string> {
  return new Set(tokenize(text).map((term) => processTerm(term)).filter((term): term is string => term !== null));
}

/** The chunk's blocks, or its text split at blank lines for chunks built without blocks. */
function blocksOf(chunk: KnowledgeChunk): ChunkBlock[] {
  if (chunk.blocks !== undefined && chunk.blocks.length > 0) return chunk.blocks;
  return chunk.text.split(/\n{2,}/).filter((part) => part.trim() !== '').map((text) => ({ kind: 'prose' as const, text }));
}

/**
 * Up to `count` whole sentences from the section's best matching prose block (its first block on a
 * tie). A section that opens with a one-word answer ("No.", "Yes.") keeps the sentence after it.
 */
function firstSentences(chunk: KnowledgeChunk, queryTerms: ReadonlySet<string>, names: readonly string[], count: number): string {
  const prose = blocksOf(chunk).filter((block) => block.kind === 'prose' && !/^\*\*/.test(block.text));
  let best: ChunkBlock | undefined;
  let bestScore = -1;
  for (const block of prose) {
    const score = blockScore(block, queryTerms, names);
    if (score > bestScore) {
      best = block;
      bestScore = score;
    }
  }
  if (best === undefined) return '';
  const sentences = splitSentences(best.text.replace(/\s+/g, ' ').trim());
  const short = (sentences[0] ?? '').length < 25 ? 1 : 0;
  // The sentences that say most of what is asked, in page order; the opening ones on a tie.
  const scored = sentences.map((sentence, position) => ({ position, score: sentenceScore(sentence, queryTerms, names) }));
  const matching = scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, count)
    .map((entry) => entry.position);
  // Too few matching sentences: the opening ones fill up (they usually say what the section is about).
  const opening = sentences.slice(0, count + short).map((_sentence, position) => position);
  const chosen = [...new Set([...matching, ...opening])].slice(0, Math.max(count, matching.length)).sort((a, b) => a - b);
  // Whole sentences only, within the budget; at least one.
  const kept: string[] = [];
  let length = 0;
  for (const position of chosen) {
    const sentence = sentences[position] ?? '';
    if (kept.length > 0 && length + sentence.length + 1 > BACKGROUND_CHARS) break;
    kept.push(sentence);
    length += sentence.length + 1;
  }
  return kept.join(' ');
}

/** The background quotes whole sentences up to about this many characters. */
const BACKGROUND_CHARS = 420;

function sentenceScore(sentence: string, queryTerms: ReadonlySet<string>, names: readonly string[]): number {
  const terms = termSet(sentence);
  let score = 0;
  for (const term of queryTerms) if (terms.has(term)) score += 1;
  const lower = sentence.toLowerCase();
  for (const name of names) if (lower.includes(name)) score += 3;
  return score;
}

/**
 * The API names the lead section is about, the question's own names excluded: names the page lists
 * in `apis` that the section mentions, at most four. Example: the `PyList_GetItemRef` section of
 * the list page, asked about `PyList_GetItem` → [`PyList_GetItemRef`].
 */
function namedApis(chunk: KnowledgeChunk, asked: readonly string[]): string[] {
  const mentioned = new Set(chunk.identifiers);
  return chunk.apis.filter((name) => mentioned.has(name) && !asked.includes(name.toLowerCase())).slice(0, 4);
}

function sectionName(chunk: KnowledgeChunk): string {
  return chunk.heading === chunk.title ? chunk.title : `${chunk.title} › ${chunk.heading}`;
}

/**
 * Splits prose into sentences at `.`, `!` or `?` followed by a space and a capital letter, a
 * backtick, a quote or a parenthesis, except after "e.g", "i.e", "etc", "vs" and "cf".
 * Example: "Use `PyList_GetItemRef` (3.13). It returns a new reference, e.g. `x`. Done" →
 * ["Use `PyList_GetItemRef` (3.13).", "It returns a new reference, e.g. `x`.", "Done"]
 */
export function splitSentences(prose: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of prose.matchAll(/[.!?](?=\s+[A-Z`"'(])/g)) {
    const end = (match.index ?? 0) + 1;
    const before = prose.slice(start, end);
    if (/\b(?:e\.g|i\.e|etc|vs|cf)\.$/i.test(before)) continue;
    sentences.push(before.trim());
    start = end;
  }
  const tail = prose.slice(start).trim();
  if (tail !== '') sentences.push(tail);
  return sentences;
}
