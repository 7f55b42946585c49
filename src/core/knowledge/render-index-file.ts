/**
 * The whole build of `knowledge/index.json` from page texts, as one pure function: the generator
 * writes its result, and the freshness test compares it with the committed file.
 */
import type { SourceFile } from '../ports.js';
import { buildIndex } from './build-index.js';
import { chunkMarkdown } from './chunk-markdown.js';
import { serializeIndex } from './serialize-index.js';
import type { KnowledgeChunk, KnowledgeProblem } from './types.js';

export type RenderedIndexFile = {
  text: string;
  chunks: KnowledgeChunk[];
  problems: KnowledgeProblem[];
};

/**
 * Chunks every page, indexes the chunks and serialises the index.
 *
 * @param files
 *   Knowledge pages and rule docs, paths from the repository root; any order (sorted here).
 */
export function renderIndexFile(files: readonly SourceFile[]): RenderedIndexFile {
  // 1. Sort pages by path so the output does not depend on directory listing order.
  // 2. Chunk each page, collecting its problems.
  // 3. Build and serialise the index.
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chunks: KnowledgeChunk[] = [];
  const problems: KnowledgeProblem[] = [];
  for (const file of sorted) {
    const result = chunkMarkdown(file);
    chunks.push(...result.chunks);
    problems.push(...result.problems);
  }
  const index = buildIndex(chunks);
  return { text: serializeIndex(index), chunks, problems };
}
