/**
 * Builds the search index over knowledge chunks. The same options are used to build the index (at
 * generate time) and to load it again (at run time), so they live here, once.
 */
import MiniSearch, { type Options } from 'minisearch';
import { processTerm } from './process-term.js';
import { tokenize } from './tokenize.js';
import type { KnowledgeChunk } from './types.js';

/** A loaded knowledge base: the chunks, a lookup by id, the MiniSearch index and the code-name vocabulary. */
export type KnowledgeIndex = {
  chunks: KnowledgeChunk[];
  byId: ReadonlyMap<string, KnowledgeChunk>;
  miniSearch: MiniSearch<KnowledgeChunk>;
  /** Lower-cased code names, `apis` and rule ids of all chunks; a question naming one is on topic. */
  codeNames: ReadonlySet<string>;
};

/** Indexed fields. `heading` also carries the parent H2 of an H3, so "Example" under `PyMutex` is found by "PyMutex". */
export const INDEX_FIELDS = ['heading', 'title', 'text', 'identifiers', 'apis', 'rules', 'tags'] as const;

/**
 * MiniSearch options shared by `buildIndex` and `loadIndex`. Changing them changes the serialised
 * index, so `npm run generate` must be re-run (the freshness test catches it).
 */
export const MINISEARCH_OPTIONS: Options<KnowledgeChunk> = {
  idField: 'id',
  fields: [...INDEX_FIELDS],
  storeFields: [],
  tokenize,
  processTerm,
  extractField: (chunk, field) => {
    if (field === 'id') return chunk.id;
    if (field === 'heading') return chunk.headingPath.slice(1).join('\n') || chunk.heading;
    // Only the indexed fields are asked for: strings and string lists.
    const value = chunk[field as (typeof INDEX_FIELDS)[number]];
    return Array.isArray(value) ? value.join('\n') : value;
  },
};

/**
 * Indexes `chunks` in the order given (callers sort them, so the serialised index is deterministic).
 *
 * @param chunks
 *   Chunks of all pages, typically from `chunkMarkdown`.
 */
export function buildIndex(chunks: readonly KnowledgeChunk[]): KnowledgeIndex {
  const miniSearch = new MiniSearch<KnowledgeChunk>(MINISEARCH_OPTIONS);
  miniSearch.addAll(chunks);
  return assembleIndex(chunks, miniSearch);
}

/** Wraps an already built or loaded MiniSearch instance with the lookups `search` needs. */
export function assembleIndex(chunks: readonly KnowledgeChunk[], miniSearch: MiniSearch<KnowledgeChunk>): KnowledgeIndex {
  const byId = new Map(chunks.map((chunk) => [chunk.id, chunk]));
  const codeNames = new Set<string>();
  for (const chunk of chunks) {
    for (const name of [...chunk.identifiers, ...chunk.apis, ...chunk.rules]) codeNames.add(name.toLowerCase());
  }
  return { chunks: [...chunks], byId, miniSearch, codeNames };
}
