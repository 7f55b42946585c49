/**
 * Ranked search over the knowledge base, with an off-topic guard.
 */
import type { SearchOptions } from 'minisearch';
import type { KnowledgeIndex } from './build-index.js';
import { STRONG_DOMAIN_TERMS, WEAK_DOMAIN_TERMS } from './domain-terms.js';
import { extractIdentifiers } from './extract-identifiers.js';
import { processTerm } from './process-term.js';
import { tokenize } from './tokenize.js';
import type { KnowledgeChunk, SearchHit, SearchResponse } from './types.js';
import { understandQuery, type UnderstoodQuery } from './understand-query.js';

/**
 * Below this final score the best hit is too weak to cite: a lone fuzzy match of one word. Raw
 * scores grow with the length of the query, so this is only a floor; `MIN_TERM_SHARE` does the
 * real work.
 */
export const MIN_SCORE = 5;

/**
 * Two shares of the query's distinct terms decide whether a question is covered (matching means
 * exactly, by prefix or with a typo). Calibrated on `test/fixtures/knowledge/questions.json`:
 * - `MIN_KNOWN_SHARE`: terms that occur anywhere in the knowledge base. On-topic questions reach
 *   0.9 and more; "how to make coffee with python" (coffee is unknown) has 0.5, "what is the best
 *   python IDE" 0.67.
 * - `MIN_TOP_SHARE`: terms matched by one of the three best sections. On-topic questions reach 0.43
 *   and more; it rejects questions whose words are all known but scattered over unrelated pages.
 */
export const MIN_KNOWN_SHARE = 0.75;
export const MIN_TOP_SHARE = 0.4;

/** Field weights: a word in a heading or a rule id says more about a section than one in its body. */
const FIELD_BOOSTS = { heading: 3, title: 1.5, text: 1, identifiers: 2, apis: 1.5, rules: 3, tags: 1 };

/** Extra weight for chunks that name a query's code name exactly (see `exactBoost`). */
const EXACT_IN_HEADING = 2.5;
const EXACT_IN_SECTION = 1.7;
const EXACT_IN_PAGE = 1.25;

/** A term found in more than this share of sections counts as common and weighs `COMMON_WEIGHT`. */
const COMMON_SHARE = 0.3;
const COMMON_WEIGHT = 0.5;
/** Weight of a code name that only the question's background mentions (see `contextNames`). */
const CONTEXT_WEIGHT = 0.5;
/** A query name found in more than this share of sections gets no exact-name boost. */
const COMMON_NAME_SHARE = 0.05;

const normalise = (terms: readonly string[]): Set<string> =>
  new Set(terms.map((term) => processTerm(term)).filter((term): term is string => term !== null));
const STRONG = normalise(STRONG_DOMAIN_TERMS);
const WEAK = normalise(WEAK_DOMAIN_TERMS);

/** Built-in exception and warning class names: too generic to mark a question as on topic. */
const GENERIC_NAME = /^[a-z]*(?:error|warning|exception)$/;
/** Hyphenated words (`free-threaded`, `thread-safe`), which may be prose rather than code names. */
const PROSE_NAME = /^[a-z]+(?:-[a-z]+)+$/;

/** Single-dash option values (`cpython-freethreading`, `thread-unsafe`): too common in prose to index as names, fine to look up. */
const KEBAB = /\b[a-z][a-z0-9]*-[a-z0-9]+\b/gi;

/**
 * Search options for one query. Term weights:
 * - whole code names weigh double (`pydict_next` over its parts `dict` and `next`);
 * - words found in a large share of all sections ("thread", "python", "object") weigh less. BM25
 *   already discounts them in the body text, but not in headings, where "thread" in a heading would
 *   otherwise outweigh "counter" in the body for "global counter incremented from many threads".
 */
function searchOptions(index: KnowledgeIndex, terms: readonly string[], contextNames: readonly string[] = []): { search: SearchOptions; known: Set<string> } {
  const background = new Set(contextNames.map((name) => name.toLowerCase()));
  const vocabulary = vocabularyOf(index);
  const share = new Map<string, number>();
  const known = new Set<string>();
  const exact = new Set<string>();
  for (const term of terms) {
    const documents = vocabulary.documents(term);
    share.set(term, documents / Math.max(1, index.miniSearch.documentCount));
    if (documents > 0) exact.add(term);
    if (documents > 0 || vocabulary.known(term, PREFIX(term), FUZZY(term))) known.add(term);
  }
  const search: SearchOptions = {
    boost: FIELD_BOOSTS,
    combineWith: 'OR',
    // Prefix and typo expansion only where they can help: a term the pages contain exactly needs
    // neither (the stemmer already folds "locks" onto "lock"), and expansion is most of a search's
    // cost.
    prefix: (term) => !exact.has(term) && PREFIX(term),
    fuzzy: (term) => (exact.has(term) ? false : FUZZY(term)),
    weights: { fuzzy: 0.35, prefix: 0.4 },
    boostTerm: (term) => {
      if (background.has(term)) return CONTEXT_WEIGHT;
      if (/[_.]/.test(term) || /^ft\d{3}$/.test(term)) return 2;
      const common = share.get(term) ?? 0;
      return common > COMMON_SHARE ? COMMON_WEIGHT : 1;
    },
  };
  return { search, known };
}

/** The parts of MiniSearch's term index used here (`_index`, a radix tree; minisearch 7.x). */
type TermTree = {
  get(term: string): Map<number, Map<number, number>> | undefined;
  atPrefix(prefix: string): { size: number };
  fuzzyGet(term: string, maxDistance: number): { size: number };
};

/**
 * Term statistics straight from the index's term tree: how many sections contain a term, and
 * whether it occurs at all (exactly, as a prefix or within the typo budget). Microseconds per
 * term, where a search per term cost milliseconds. Falls back to searching when the tree is not
 * where minisearch 7 keeps it.
 */
function vocabularyOf(index: KnowledgeIndex): {
  documents(term: string): number;
  known(term: string, prefix: boolean, fuzzy: number | false): boolean;
} {
  const tree = (index.miniSearch as unknown as { _index?: TermTree })._index;
  if (tree === undefined || typeof tree.get !== 'function' || typeof tree.fuzzyGet !== 'function') {
    return {
      documents: (term) => index.miniSearch.search(term, { prefix: false, fuzzy: false }).length,
      known: (term, prefix, fuzzy) => index.miniSearch.search(term, { prefix, fuzzy }).length > 0,
    };
  }
  return {
    documents(term) {
      const fields = tree.get(term);
      if (fields === undefined) return 0;
      const ids = new Set<number>();
      for (const docs of fields.values()) for (const id of docs.keys()) ids.add(id);
      return ids.size;
    },
    known(term, prefix, fuzzy) {
      if (prefix && tree.atPrefix(term).size > 0) return true;
      if (fuzzy === false) return false;
      const distance = fuzzy < 1 ? Math.round(term.length * fuzzy) : fuzzy;
      return tree.fuzzyGet(term, distance).size > 0;
    },
  };
}

/** Prefix search for longer terms only: "lock" finds "locking", but "py" must not find every name. */
const PREFIX = (term: string): boolean => term.length >= 4;
/** Typos: one edit in a word of five or more letters, two in a long code name. */
const FUZZY = (term: string): number | false => (term.length >= 8 ? 0.2 : term.length >= 5 ? 1 : false);

/**
 * Searches the knowledge base. Code names in the query (`PyDict_Next`, `FT003`, `CIBW_ENABLE`,
 * `--parallel-threads`) lift the sections that name them exactly, most of all sections whose
 * heading names them.
 *
 * @param params.index
 *   A loaded or freshly built index.
 * @param params.query
 *   The question as the user wrote it.
 * @param params.limit
 *   Maximum number of hits (default 10).
 * @returns
 *   `{ covered: false, hits: [] }` when the query has no word from the field (free threading,
 *   extension modules, builds, wheels) or the best hit scores below `MIN_SCORE`; otherwise hits,
 *   best first.
 *
 * @example
 *   search({ index, query: 'is PyDict_Next safe without the GIL?' }).hits[0].chunk.heading
 *   // → 'Iterating with PyDict_Next' (the section that names it in its heading)
 */
export function search(params: { index: KnowledgeIndex; query: string; limit?: number }): SearchResponse {
  // 1. Understand the question: names, messages, tools, synonyms; drop logs and chatter.
  // 2. Off-topic guard: no field word and no known code name → not covered.
  // 3. BM25+ search with field boosts, prefix and fuzzy matching.
  // 4. Multiply in the exact-name, intent and page-level boosts and re-sort.
  // 5. Not covered when the best score is below MIN_SCORE or the top sections match too few of the
  //    query's terms.
  const { index, query, limit = 10 } = params;
  const understood = understandQuery(query);
  const toTerms = (text: string): string[] => [
    ...new Set(
      tokenize(text)
        .map((term) => processTerm(term))
        .filter((term): term is string => term !== null),
    ),
  ];
  const names = findQueryNames(understood.text);
  // The guard judges what the user wrote; the search also uses the synonym expansions.
  const distinct = toTerms(understood.coreText);
  const searchTerms = toTerms(understood.text);
  if (distinct.length === 0) return { covered: false, hits: [] };
  // Exception class names (`RuntimeError`) and "python" are everywhere in Python questions; they
  // do not put a question in the field on their own.
  const fieldNames = names.filter((name) => !GENERIC_NAME.test(name));
  const onTopic =
    distinct.some((term) => isStrong(term) || (/[_.\d-]/.test(term) && index.codeNames.has(term) && !GENERIC_NAME.test(term))) ||
    fieldNames.some((name) => index.codeNames.has(name) || (name.length >= 8 && nearCodeName(index, name))) ||
    distinct.filter((term) => WEAK.has(term) && term !== 'python').length >= 2;
  if (!onTopic) return { covered: false, hits: [] };

  const options = searchOptions(index, searchTerms, understood.contextNames);
  // A "name" that half the pages use ("free-threaded", "thread-safe") is prose, not a code name:
  // boosting sections for it would only reward the word.
  const vocabulary = vocabularyOf(index);
  const rareNames = names.filter((name) => !PROSE_NAME.test(name) || vocabulary.documents(name) <= index.miniSearch.documentCount * COMMON_NAME_SHARE);
  if (distinct.filter((term) => options.known.has(term)).length / distinct.length < MIN_KNOWN_SHARE) {
    return { covered: false, hits: [] };
  }
  const { hits, matched } = rank(index, understood.text, rareNames, options.search, understood);

  const best = hits[0];
  if (best === undefined || best.score < MIN_SCORE) return { covered: false, hits: [] };
  const core = new Set(distinct);
  const share = Math.max(...hits.slice(0, 3).map((hit) => new Set(matched.get(hit.chunk.id)?.filter((term) => core.has(term))).size / distinct.length));
  if (share < MIN_TOP_SHARE) return { covered: false, hits: [] };
  return { covered: true, hits: hits.slice(0, limit) };
}

/**
 * Ranks every section for `query` without deciding whether the question is covered; for callers
 * that already know the topic is in the field, such as `findSectionForRule`.
 *
 * @param params.index
 *   The knowledge index.
 * @param params.query
 *   Free text; code names in it get the exact-name boosts.
 */
export function rankChunks(params: { index: KnowledgeIndex; query: string }): SearchHit[] {
  const { index, query } = params;
  const terms = tokenize(query)
    .map((term) => processTerm(term))
    .filter((term): term is string => term !== null);
  return rank(index, query, findQueryNames(query), searchOptions(index, [...new Set(terms)]).search).hits;
}

function rank(
  index: KnowledgeIndex,
  query: string,
  names: readonly string[],
  options: SearchOptions,
  understood?: UnderstoodQuery,
): { hits: SearchHit[]; matched: Map<string, readonly string[]> } {
  const results = index.miniSearch.search(query, options);
  const hits: SearchHit[] = [];
  const matched = new Map<string, readonly string[]>();
  for (const result of results) {
    const chunk = index.byId.get(String(result.id));
    if (!chunk) continue;
    const { factor, exactMatches } = exactBoost(chunk, names, understood?.contextNames);
    hits.push({ chunk, score: result.score * factor * intentFactor(chunk, understood, exactMatches.length > 0), exactMatches });
    matched.set(chunk.id, result.queryTerms);
  }
  addPageScores(hits);
  hits.sort((a, b) => b.score - a.score || (a.chunk.id < b.chunk.id ? -1 : a.chunk.id > b.chunk.id ? 1 : 0));

  return { hits, matched };
}

/**
 * Page-level evidence: a section gains a share of the scores of its page's next best sections, so
 * a page that answers several parts of a question beats a lone section that repeats one word.
 * Worked example: sections of page A score 10, 6 and 5, a section of page B scores 11 → A's best
 * becomes 10 + 0.25 × (6 + 5) = 12.75 and outranks B's 11.
 */
function addPageScores(hits: SearchHit[]): void {
  const byPage = new Map<string, number[]>();
  for (const hit of hits) {
    const scores = byPage.get(hit.chunk.page) ?? [];
    scores.push(hit.score);
    byPage.set(hit.chunk.page, scores);
  }
  const top = new Map<string, number[]>();
  for (const [page, scores] of byPage) top.set(page, scores.sort((a, b) => b - a).slice(0, 3));
  for (const hit of hits) {
    const scores = top.get(hit.chunk.page) ?? [];
    const others = scores.reduce((sum, score) => sum + score, 0) - (scores.includes(hit.score) ? hit.score : 0);
    hit.score += PAGE_SHARE * Math.max(0, Math.min(others, (scores[0] ?? 0) + (scores[1] ?? 0)));
  }
}

const BINDING_TOOLS: ReadonlySet<string> = new Set(['cython', 'pyo3', 'pybind11', 'nanobind']);

/** Share of a page's other top sections' scores added to each of its sections. */
const PAGE_SHARE = 0.25;

/**
 * Intent boosts. A question about installing or choosing an interpreter (pip, uv, conda, pyenv)
 * that says nothing of CI belongs on the `installing` pages, not on CI set-up or a rule's docs;
 * rule docs in general give way to knowledge pages unless the question names the rule or an API
 * the doc is about.
 */
function intentFactor(chunk: KnowledgeChunk, understood: UnderstoodQuery | undefined, exact: boolean): number {
  if (understood === undefined) return 1;
  let factor = 1;
  const tags = new Set(chunk.tags);
  if (understood.intents.install) {
    if (tags.has('installing')) factor *= 1.6;
    else if (tags.has('ci') || chunk.page.startsWith('docs/rules/')) factor *= 0.6;
  }
  if (understood.intents.ci && tags.has('ci')) factor *= 1.3;
  // A question that names its binding tool (Cython, PyO3, pybind11, nanobind) wants that tool's page.
  if (understood.tools.some((tool) => BINDING_TOOLS.has(tool) && tags.has(tool))) factor *= 1.4;
  if (chunk.page.startsWith('docs/rules/') && !exact) factor *= 0.8;
  return factor;
}

/** A strong field word, or one typo away from one ("pymutx", "cibuildweel") when it is long enough to tell. */
function isStrong(term: string): boolean {
  if (STRONG.has(term)) return true;
  // A weak field word is a real word, not a typo of a strong one ("python" is one edit from "cython").
  if (term.length < 5 || WEAK.has(term)) return false;
  for (const strong of STRONG) if (strong.length >= 5 && withinOneEdit(term, strong)) return true;
  return false;
}

/** A long code name one typo away from a known one (`PyList_GetItmRef`). */
function nearCodeName(index: KnowledgeIndex, name: string): boolean {
  for (const known of index.codeNames) if (withinOneEdit(name, known)) return true;
  return false;
}

/** True when `a` becomes `b` by at most one insertion, deletion or substitution. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Lower-cased code names in the query: strict identifiers plus single-dash option values. */
export function findQueryNames(query: string): string[] {
  const names = new Set(extractIdentifiers(query).map((name) => name.toLowerCase()));
  for (const match of query.matchAll(KEBAB)) names.add(match[0].toLowerCase());
  return [...names];
}

/**
 * Worked example: query names ["pydict_next"]; a section headed "Iterating with `PyDict_Next`"
 * gets ×2.5, a section that only shows `PyDict_Next` in its code gets ×1.7, another section of a
 * page whose front matter lists it in `apis` gets ×1.25. Several names multiply.
 */
function exactBoost(chunk: KnowledgeChunk, names: readonly string[], contextNames: readonly string[] = []): { factor: number; exactMatches: string[] } {
  let factor = 1;
  const exactMatches: string[] = [];
  if (names.length === 0) return { factor, exactMatches };
  const { heading, inSection, inPage } = namesOf(chunk);
  const context = new Set(contextNames.map((name) => name.toLowerCase()));
  for (const name of names) {
    let boost: number;
    if (containsName(heading, name)) boost = EXACT_IN_HEADING;
    else if (inSection.has(name)) boost = EXACT_IN_SECTION;
    else if (inPage.has(name)) boost = EXACT_IN_PAGE;
    else continue;
    // A name only the background mentions counts for less than one the question asks about.
    factor *= context.has(name) ? Math.sqrt(boost) : boost;
    exactMatches.push(name);
  }
  return { factor, exactMatches };
}

type ChunkNames = { heading: string; inSection: ReadonlySet<string>; inPage: ReadonlySet<string> };
/** Lower-cased heading and name sets per chunk, computed once per chunk object. */
const chunkNames = new WeakMap<KnowledgeChunk, ChunkNames>();

function namesOf(chunk: KnowledgeChunk): ChunkNames {
  let names = chunkNames.get(chunk);
  if (names === undefined) {
    names = {
      heading: chunk.headingPath.slice(1).join(' ').toLowerCase(),
      inSection: new Set(chunk.identifiers.map((name) => name.toLowerCase())),
      inPage: new Set([...chunk.apis, ...chunk.rules].map((name) => name.toLowerCase())),
    };
    chunkNames.set(chunk, names);
  }
  return names;
}

/** True when `name` occurs in `text` as a whole word (`pydict_next` is not in `pydict_nextitem`). */
function containsName(text: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return false;
    const before = text[at - 1];
    const after = text[at + name.length];
    if ((before === undefined || !/[\w-]/.test(before)) && (after === undefined || !/[\w-]/.test(after))) return true;
    from = at + 1;
  }
}
