import type { KnowledgeIndex } from '../core/knowledge/build-index.js';
import type { Logger } from '../core/ports.js';
import { createKnowledgeLinker, repoBaseUrl, type KnowledgeLinker } from '../core/review/index.js';
import { loadKnowledge } from '../io/load-knowledge.js';
import type { AppOptions } from './app-options.js';

/** The package's index, read on first use and kept for the life of the process. */
let shared: Promise<KnowledgeIndex | undefined> | undefined;
const linkers = new WeakMap<KnowledgeIndex, Map<string, KnowledgeLinker>>();

/**
 * The knowledge index the app answers from: `options.knowledge` when given, else the package's
 * `knowledge/index.json`, loaded once per process. A missing or broken index is logged once and
 * gives undefined: answers and links are then left out, reviews go on.
 */
export async function knowledgeIndex(options: AppOptions, log: Logger): Promise<KnowledgeIndex | undefined> {
  if (options.knowledge !== undefined) return options.knowledge();
  shared ??= loadKnowledge().catch((error: unknown) => {
    log.warn({ err: error }, 'knowledge index not available; answers and knowledge links are off');
    return undefined;
  });
  return shared;
}

/** The knowledge linker for the app's docs base, built once per index and base. */
export async function knowledgeLinker(options: AppOptions, log: Logger): Promise<KnowledgeLinker | undefined> {
  const index = await knowledgeIndex(options, log);
  if (index === undefined) return undefined;
  let byBase = linkers.get(index);
  if (byBase === undefined) {
    byBase = new Map();
    linkers.set(index, byBase);
  }
  const base = knowledgeBase(options);
  let linker = byBase.get(base);
  if (linker === undefined) {
    linker = createKnowledgeLinker({ index, repoBaseUrl: base });
    byBase.set(base, linker);
  }
  return linker;
}

/** Where knowledge pages are linked: `<base>knowledge/<page>.md`; '' links upstream documentation instead. */
export function knowledgeBase(options: Pick<AppOptions, 'docsBaseUrl' | 'knowledgeBaseUrl'>): string {
  return options.knowledgeBaseUrl ?? repoBaseUrl(options.docsBaseUrl);
}
