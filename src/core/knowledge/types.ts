/**
 * The data shapes of the knowledge base: pages are split into heading-scoped chunks, chunks are
 * indexed, searches return scored chunks, answers cite chunks.
 */

/** One heading-scoped section of a knowledge page or rule doc; the unit that is indexed and cited. */
export type KnowledgeChunk = {
  /** `<page>#<anchor>`, e.g. `knowledge/borrowed-references.md#pydict_next`. Stable: links depend on it. */
  id: string;
  /** Path of the page from the repository root, with `/` separators. */
  page: string;
  /** GitHub-style anchor of the section heading (the H1's anchor for the page intro). */
  anchor: string;
  /** Text of the section heading (the page title for the intro). */
  heading: string;
  /** H1, H2 and H3 texts leading to this section, outermost first. */
  headingPath: string[];
  /** Title of the page (front matter `title`, else the H1). */
  title: string;
  /** Plain text of the section body, including code, without the heading itself. */
  text: string;
  /** Code names found in inline code and code blocks of the section (see `extractIdentifiers`). */
  identifiers: string[];
  /** C-API and other names the page is about (front matter `apis`). */
  apis: string[];
  tags: string[];
  /** Rule ids the page explains (front matter `rules`; a rule doc's own `id`). */
  rules: string[];
  /** Canonical upstream documentation for the page's topic; `''` when there is none. */
  upstream: string;
  /**
   * The section body as Markdown blocks in order (paragraphs, lists with their bullets, fenced code
   * with its language, tables), so an answer can quote whole blocks and never cut one. Absent in
   * chunks built by older code; answers then fall back to `text`.
   */
  blocks?: ChunkBlock[];
};

/** One top-level block of a section: quoted whole or not at all. */
export type ChunkBlock = {
  kind: 'prose' | 'list' | 'code' | 'table';
  /** Markdown: inline code in backticks, list items as `- ` lines, code without its fence. */
  text: string;
  /** The fence's language for code (`c`, `toml`, `bash`); `''` when none was given. */
  lang?: string;
};

/** Why a page could not be read cleanly. The page is still chunked with what could be read. */
export type KnowledgeProblemKind =
  | 'front-matter-missing'
  | 'front-matter-yaml'
  | 'front-matter-invalid'
  | 'title-missing'
  | 'empty';

export type KnowledgeProblem = {
  kind: KnowledgeProblemKind;
  path: string;
  /** 1-based line in the page, when known. */
  line?: number;
  message: string;
};

/** One search hit: the chunk and its final score (BM25+ with field and exact-name boosts). */
export type SearchHit = {
  chunk: KnowledgeChunk;
  score: number;
  /** Query identifiers this chunk names exactly (in its code, `apis` or `rules`). */
  exactMatches: string[];
};

export type SearchResponse = {
  /** False when the question is off-topic or nothing scores high enough to be worth citing. */
  covered: boolean;
  /** Best first; empty when not covered. */
  hits: SearchHit[];
};

/** A cited section. `url` is the page's upstream documentation link (`''` when it has none). */
export type Citation = {
  page: string;
  anchor: string;
  /** The page title. */
  title: string;
  /** The section heading (equal to `title` for a page intro). */
  heading: string;
  excerpt: string;
  url: string;
};

export type Answer = {
  answer: string;
  /** Best first; at most four. */
  citations: Citation[];
  covered: boolean;
};
