/**
 * Loads the generated knowledge index (`knowledge/index.json`) from the installed package.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { KnowledgeIndex } from '../core/knowledge/build-index.js';
import { loadIndex } from '../core/knowledge/serialize-index.js';
import { ftbotError } from '../core/errors.js';

/**
 * `src/io/load-knowledge.ts` (tsx, vitest) and `dist/io/load-knowledge.js` (built package) are both
 * two folders below the package root, so one relative URL serves both.
 */
const DEFAULT_INDEX_URL = new URL('../../knowledge/index.json', import.meta.url);

/**
 * Reads and loads the knowledge index. Throws `E_KNOWLEDGE_MISSING` when the file is absent (the
 * package was built without `npm run generate`) and `E_KNOWLEDGE_INDEX` when it is malformed.
 *
 * @param params.path
 *   Another index file, for tests; defaults to the package's `knowledge/index.json`.
 */
export async function loadKnowledge(params: { path?: string } = {}): Promise<KnowledgeIndex> {
  const path = params.path ?? fileURLToPath(DEFAULT_INDEX_URL);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw ftbotError('E_KNOWLEDGE_MISSING', `knowledge: cannot read the index at ${path}; run \`npm run generate\``, error);
  }
  return loadIndex(JSON.parse(text) as unknown);
}
