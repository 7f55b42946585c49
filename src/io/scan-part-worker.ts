import { createHash } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { CachedFile, FileCache } from '../core/engine/file-cache.js';
import { scanFiles, type Grammars, type ScanParams } from '../core/engine/scan-files.js';
import { classifyPath, type SourceLanguage } from '../core/languages.js';
import { rules as allRules } from '../core/rules/index.js';
import { loadGrammars } from './load-grammars.js';
import { readRegularFile } from './read-regular-file.js';
import { SCAN_PART_WORKER } from './scan-with-workers.js';

/** What each thread of a cold scan is handed: every file of the scan (for the project facts), and the sources the threads share. */
export type ScanPartInput = {
  /** Every file of the scan; `language` marks a `.py` Cython compiles (see `scan-directory.ts`). */
  files: Array<{ path: string; absolute: string; size: number; language?: 'cython'; buildRoot?: string }>;
  /**
   * The sources the threads share, in the order they take them (largest first, see
   * `shareOrder`). The other sources are skipped unread (build files and Cython modules are still
   * read, for the project facts).
   */
  order: string[];
  ruleIds: string[];
  config: ScanParams['config'];
  /** Hash each scanned text, for the scan cache (without a cache, the hashes are not needed). */
  hashes: boolean;
};

/**
 * One slot per source of `ScanPartInput.order`, in memory every thread sees (a `SharedArrayBuffer`):
 * 0 while no thread has taken the source, 1 once one has (`takeSource`).
 */
export type SourceClaims = Int32Array;

/** Claims for `count` sources, none taken, that worker threads share with this one. */
export function createSourceClaims(count: number): SourceClaims {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, count) * Int32Array.BYTES_PER_ELEMENT));
}

/** Takes source `index` for the calling thread: true for exactly one thread, however many ask at once. */
export function takeSource(claims: SourceClaims, index: number): boolean {
  return Atomics.compareExchange(claims, index, 0, 1) === 0;
}

/** A scanned source's results, as a cache entry holds them, with the SHA-256 of the text they came from (empty without `hashes`). */
export type ScanPartEntry = { hash: string; result: CachedFile };

export type ScanPartResult = {
  /** The sources this thread took that can be replayed (a source ftbot failed on, or could not read, is left out). */
  entries: Array<[string, ScanPartEntry]>;
  parsedFiles: number;
  parsedBytes: number;
};

/**
 * Scans the shared sources this thread takes, one at a time in `order` (each thread asks for every
 * source in turn and scans the ones no other thread took first, so the threads stay busy until the
 * last source), and returns their results in the shape of scan-cache entries, so the whole scan
 * replays them in file order, exactly as it replays a warm cache. The sources another thread took,
 * and those outside `order`, get an empty result from the `FileCache` port and are never read; the
 * build files and Cython modules are read so the project facts are the whole scan's.
 */
export function runScanPart(input: ScanPartInput, grammars: Grammars, claims: SourceClaims): ScanPartResult {
  const indexOf = new Map(input.order.map((path, i) => [path, i]));
  const entries: Array<[string, ScanPartEntry]> = [];
  const skipped: CachedFile = { findings: [], diagnostics: [], facts: {}, length: 0 };
  const cache: FileCache = {
    get(path) {
      const index = indexOf.get(path);
      return index !== undefined && takeSource(claims, index) ? undefined : skipped;
    },
    // Called only for a source `get` took.
    set(path, text, result) {
      entries.push([path, { hash: input.hashes ? sha256(text) : '', result }]);
    },
  };
  const ids = new Set(input.ruleIds);
  const { stats } = scanFiles({
    files: inClaimOrder(input.files, indexOf).map((f) => ({
      path: f.path,
      size: f.size,
      text: () => readRegularFile(f.absolute, input.config.maxFileSize),
      ...(f.language === undefined ? {} : { language: f.language }),
      ...(f.buildRoot === undefined ? {} : { buildRoot: f.buildRoot }),
    })),
    grammars,
    rules: allRules.filter((r) => ids.has(r.meta.id)),
    config: input.config,
    cache,
  });
  return { entries, parsedFiles: stats.parsedFiles, parsedBytes: stats.parsedBytes };
}

/**
 * `files` with the shared sources moved to the end in the order they are taken; the others keep
 * their order. A file's results depend only on the file and the project facts, never on the
 * files scanned before it, so the order changes nothing the whole scan replays.
 */
export function inClaimOrder<T extends { path: string }>(files: readonly T[], indexOf: ReadonlyMap<string, number>): T[] {
  const shared: T[] = new Array<T>(indexOf.size);
  const rest: T[] = [];
  for (const f of files) {
    const index = indexOf.get(f.path);
    if (index === undefined) rest.push(f);
    else shared[index] = f;
  }
  return [...rest, ...shared.filter((f) => f !== undefined)];
}

/** The languages of the sources in `paths` (the grammars a thread loads). */
export function partLanguages(paths: readonly string[]): Set<SourceLanguage> {
  const languages = new Set<SourceLanguage>();
  for (const path of paths) {
    const kind = classifyPath(path);
    if (kind?.type === 'source') languages.add(kind.language);
    else if (path.endsWith('.py')) languages.add('cython');
  }
  return languages;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a scan worker is started with: the languages whose grammars it loads while it waits for its input. */
export type ScanPartWorkerData = { kind: typeof SCAN_PART_WORKER; languages: SourceLanguage[] };

/** The message that hands a started worker its input. */
export type ScanPartRequest = { input: ScanPartInput; claims: SourceClaims };

/** The worker's one reply. */
export type ScanPartReply = { ok: true; result: ScanPartResult } | { ok: false; message: string };

/**
 * The worker thread's body: loads ftbot (this module's imports) and the grammars named in
 * `workerData` as soon as it starts, while the starting thread still walks and reads the build
 * files; then scans the sources it takes of the input it is sent, and posts the result.
 */
export function runScanPartWorker(): void {
  const port = parentPort;
  const data = workerData as Partial<ScanPartWorkerData> | undefined;
  if (isMainThread || port === null || data?.kind !== SCAN_PART_WORKER) return;
  // A grammar that fails to load here fails again below, where the failure is posted.
  loadGrammars(data.languages ?? []).catch(() => undefined);
  port.once('message', (request: ScanPartRequest) => {
    const reply = async (): Promise<ScanPartReply> => {
      try {
        const grammars = await loadGrammars(partLanguages(request.input.order));
        return { ok: true, result: runScanPart(request.input, grammars, request.claims) };
      } catch (error) {
        return { ok: false, message: String(error) };
      }
    };
    void reply().then((message) => port.postMessage(message));
  });
}

runScanPartWorker();
