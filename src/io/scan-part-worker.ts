import { createHash } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { CachedFile, FileCache } from '../core/engine/file-cache.js';
import { scanFiles, type Grammars, type ScanParams } from '../core/engine/scan-files.js';
import { classifyPath, type SourceLanguage } from '../core/languages.js';
import { rules as allRules } from '../core/rules/index.js';
import { loadGrammars } from './load-grammars.js';
import { readRegularFile } from './read-regular-file.js';

/** One part of a cold scan: every file of the scan (for the project facts), and the sources this part scans. */
export type ScanPartInput = {
  /** Every file of the scan; `language` marks a `.py` Cython compiles (see `scan-directory.ts`). */
  files: Array<{ path: string; absolute: string; size: number; language?: 'cython'; buildRoot?: string }>;
  /** The sources this part scans; the others are skipped unread (build files and Cython modules are still read, for the project facts). */
  part: string[];
  ruleIds: string[];
  config: ScanParams['config'];
  /** Hash each scanned text, for the scan cache (without a cache, the hashes are not needed). */
  hashes: boolean;
};

/** A scanned source's results, as a cache entry holds them, with the SHA-256 of the text they came from (empty without `hashes`). */
export type ScanPartEntry = { hash: string; result: CachedFile };

export type ScanPartResult = {
  /** The sources of the part that can be replayed (a source ftbot failed on, or could not read, is left out). */
  entries: Array<[string, ScanPartEntry]>;
  parsedFiles: number;
  parsedBytes: number;
};

/** Marks the worker thread a `scan-with-workers` pool starts (the bundled CLI runs its own file as the worker). */
export const SCAN_PART_WORKER = 'ftbot-scan-part';

/**
 * Scans the sources of one part and returns their results in the shape of scan-cache entries, so
 * the whole scan replays them in file order, exactly as it replays a warm cache. The other sources
 * get an empty result from the `FileCache` port and are never read; the build files and Cython
 * modules are read so the project facts are the whole scan's.
 */
export function runScanPart(input: ScanPartInput, grammars: Grammars): ScanPartResult {
  const mine = new Set(input.part);
  const entries: Array<[string, ScanPartEntry]> = [];
  const skipped: CachedFile = { findings: [], diagnostics: [], facts: {}, length: 0 };
  const cache: FileCache = {
    get: (path) => (mine.has(path) ? undefined : skipped),
    set(path, text, result) {
      if (mine.has(path)) entries.push([path, { hash: input.hashes ? sha256(text) : '', result }]);
    },
  };
  const ids = new Set(input.ruleIds);
  const { stats } = scanFiles({
    files: input.files.map((f) => ({ path: f.path, size: f.size, text: () => readRegularFile(f.absolute, input.config.maxFileSize), ...(f.language === undefined ? {} : { language: f.language }), ...(f.buildRoot === undefined ? {} : { buildRoot: f.buildRoot }) })),
    grammars,
    rules: allRules.filter((r) => ids.has(r.meta.id)),
    config: input.config,
    cache,
  });
  return { entries, parsedFiles: stats.parsedFiles, parsedBytes: stats.parsedBytes };
}

/** The languages of the sources in `part` (the grammars a part loads). */
export function partLanguages(part: readonly string[]): Set<SourceLanguage> {
  const languages = new Set<SourceLanguage>();
  for (const path of part) {
    const kind = classifyPath(path);
    if (kind?.type === 'source') languages.add(kind.language);
    else if (path.endsWith('.py')) languages.add('cython');
  }
  return languages;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The worker thread's body: scan the part handed over in `workerData`, post the result. */
export async function runScanPartWorker(): Promise<void> {
  const port = parentPort;
  const data = workerData as { kind?: string; input?: ScanPartInput } | undefined;
  if (isMainThread || port === null || data?.kind !== SCAN_PART_WORKER || data.input === undefined) return;
  try {
    const grammars = await loadGrammars(partLanguages(data.input.part));
    port.postMessage({ ok: true, result: runScanPart(data.input, grammars) });
  } catch (error) {
    port.postMessage({ ok: false, message: String(error) });
  }
}

await runScanPartWorker();
