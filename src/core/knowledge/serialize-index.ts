/**
 * Writes and reads `knowledge/index.json`: the chunks plus the serialised MiniSearch index.
 * The output is deterministic (chunk order as given, fixed key order, no timestamps) so CI can
 * regenerate it and fail when the committed copy is stale. One chunk and one index term per line
 * keep diffs readable.
 */
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { ftbotError } from '../errors.js';
import { assembleIndex, MINISEARCH_OPTIONS, type KnowledgeIndex } from './build-index.js';
import type { ChunkBlock, KnowledgeChunk } from './types.js';

/** Bumped whenever the chunk shape or the index options change incompatibly. */
export const INDEX_FORMAT_VERSION = 1;

const chunkSchema = z.object({
  id: z.string(),
  page: z.string(),
  anchor: z.string(),
  heading: z.string(),
  headingPath: z.array(z.string()),
  title: z.string(),
  text: z.string(),
  identifiers: z.array(z.string()),
  apis: z.array(z.string()),
  tags: z.array(z.string()),
  rules: z.array(z.string()),
  upstream: z.string(),
  blocks: z
    .array(z.object({ kind: z.enum(['prose', 'list', 'code', 'table']), text: z.string(), lang: z.string().optional() }))
    .optional(),
});

const fileSchema = z.object({
  version: z.literal(INDEX_FORMAT_VERSION),
  chunks: z.array(chunkSchema),
  search: z.looseObject({ index: z.array(z.unknown()) }),
});

/**
 * Serialises `index` to the text of `knowledge/index.json`.
 *
 * @param index
 *   An index from `buildIndex`.
 */
export function serializeIndex(index: KnowledgeIndex): string {
  const { index: terms, ...rest } = index.miniSearch.toJSON();
  const lines = [
    '{',
    `"version": ${INDEX_FORMAT_VERSION},`,
    '"chunks": [',
    index.chunks.map((chunk) => JSON.stringify(orderChunkKeys(chunk))).join(',\n'),
    '],',
    `"search": ${JSON.stringify(rest).slice(0, -1)}, "index": [`,
    // Sorted by term: the radix tree's own order depends on insertion history, not just content.
    [...terms]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map((entry) => JSON.stringify(entry))
      .join(',\n'),
    ']}',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Loads an index from the parsed contents of `knowledge/index.json`.
 * Throws `E_KNOWLEDGE_INDEX` when the file does not have the expected shape or version: that is a
 * broken build, not a user error.
 *
 * @param data
 *   `JSON.parse` of the file.
 */
export function loadIndex(data: unknown): KnowledgeIndex {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ftbotError(
      'E_KNOWLEDGE_INDEX',
      `knowledge: index.json does not match format ${INDEX_FORMAT_VERSION} (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}); run \`npm run generate\``,
    );
  }
  const chunks: KnowledgeChunk[] = parsed.data.chunks.map((chunk) => orderChunkKeys(chunk as KnowledgeChunk));
  const miniSearch = MiniSearch.loadJS<KnowledgeChunk>(
    parsed.data.search as unknown as Parameters<typeof MiniSearch.loadJS>[0],
    MINISEARCH_OPTIONS,
  );
  return assembleIndex(chunks, miniSearch);
}

/** Fixes the key order, so a chunk read back from JSON serialises exactly as a freshly built one. */
function orderChunkKeys(chunk: KnowledgeChunk): KnowledgeChunk {
  return {
    id: chunk.id,
    page: chunk.page,
    anchor: chunk.anchor,
    heading: chunk.heading,
    headingPath: chunk.headingPath,
    title: chunk.title,
    text: chunk.text,
    identifiers: chunk.identifiers,
    apis: chunk.apis,
    tags: chunk.tags,
    rules: chunk.rules,
    upstream: chunk.upstream,
    ...(chunk.blocks === undefined ? {} : { blocks: chunk.blocks.map((block) => orderBlockKeys(block)) }),
  };
}

function orderBlockKeys(block: ChunkBlock): ChunkBlock {
  return block.lang === undefined ? { kind: block.kind, text: block.text } : { kind: block.kind, text: block.text, lang: block.lang };
}
