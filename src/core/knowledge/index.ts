/**
 * The knowledge base: chunk pages, build and load the index, search it, answer questions with
 * citations. See README.md in this folder.
 */
export { answerQuestion, MAX_CITATIONS, NOT_COVERED_ANSWER } from './answer-question.js';
export type { AnswerDrafter, RetrievedSection } from './answer-question.js';
export { buildIndex, type KnowledgeIndex } from './build-index.js';
export { chunkMarkdown, type ChunkMarkdownResult } from './chunk-markdown.js';
export { cite } from './cite.js';
export { extractIdentifiers } from './extract-identifiers.js';
export { findSectionForRule } from './find-section-for-rule.js';
export { prepareQuestion, MAX_INPUT_CHARS, type PreparedQuestion } from './prepare-question.js';
export { renderIndexFile, type RenderedIndexFile } from './render-index-file.js';
export { search, MIN_SCORE } from './search.js';
export { loadIndex, serializeIndex, INDEX_FORMAT_VERSION } from './serialize-index.js';
export { createSlugger, slugify } from './slugger.js';
export type {
  Answer,
  Citation,
  KnowledgeChunk,
  KnowledgeProblem,
  KnowledgeProblemKind,
  SearchHit,
  SearchResponse,
} from './types.js';
