import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Grammars } from '../core/engine/scan-files.js';
import type { SourceLanguage } from '../core/languages.js';
// Types only: the scan part's module loads the rules, which a warm re-scan never needs.
import type { ScanPartEntry, ScanPartInput, ScanPartReply, ScanPartRequest, ScanPartResult, ScanPartWorkerData } from './scan-part-worker.js';

/**
 * Below this many bytes of sources to scan, one thread is faster: a worker first loads ftbot and
 * its grammars (about a quarter of a second of CPU).
 */
export const MIN_PARALLEL_BYTES = 4 * 1024 * 1024;

/** Marks the worker thread `startScanWorker` starts (the bundled CLI runs its own file as the worker). */
export const SCAN_PART_WORKER = 'ftbot-scan-part';

/**
 * The threads a cold scan uses: at most 2, and only when a core is idle (the 1-minute load average
 * is below the cores minus one, as `make -l` decides). On a machine already busy, a worker only
 * adds its start-up and a second isolate's compiling: measured on the bench corpus with the
 * default rules and a load average of 5–7 on 2 cores, two threads took 1.35× the wall time and
 * 1.28× the CPU time of one (median of 10 pairs), with the threads sharing the sources as they go.
 */
export function scanThreads(cores = availableParallelism(), load = loadavg()[0] ?? 0, setting = process.env.FTBOT_THREADS): number {
  // `FTBOT_THREADS=1` or `2` fixes the choice (benchmarks, CI machines whose load says little).
  const fixed = setting === undefined ? undefined : Number.parseInt(setting, 10);
  if (fixed !== undefined && Number.isInteger(fixed) && fixed >= 1) return Math.min(fixed, 2);
  const threads = Math.max(1, Math.min(2, cores));
  return load < cores - 1 ? threads : 1;
}

/**
 * A worker thread started ahead of its input: it loads ftbot and the grammars while this thread
 * walks and reads the build files. `run` hands it the input (once); `stop` ends it unused.
 */
export type ScanWorker = {
  /** The worker's result; undefined when it failed (its sources are then left to this thread). */
  run(request: ScanPartRequest): Promise<ScanPartResult | undefined>;
  stop(): void;
};

/**
 * Starts a scan worker that loads the grammars of `languages` while it waits (a grammar the input
 * needs beyond those is loaded when the input comes). The worker does not keep the process alive
 * until `run` is called.
 */
export function startScanWorker(languages: Iterable<SourceLanguage>): ScanWorker {
  const workerData: ScanPartWorkerData = { kind: SCAN_PART_WORKER, languages: [...languages] };
  const worker = new Worker(workerScript(), { eval: runningFromSource, workerData, stdout: false, stderr: false });
  worker.unref();
  const result = new Promise<ScanPartResult>((resolve, reject) => {
    worker.once('message', (message: ScanPartReply) => {
      void worker.terminate();
      if (message.ok) resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('the scan worker stopped')));
  });
  const settled = result.catch(() => undefined);
  return {
    run(request) {
      worker.ref();
      worker.postMessage(request);
      return settled;
    },
    stop() {
      void worker.terminate();
    },
  };
}

/**
 * The order the threads take the sources in: largest first (ties by path), so the last ones
 * taken are small and the threads finish close together.
 *
 * @example
 *   shareOrder([{ path: 'b.c', size: 3 }, { path: 'a.c', size: 5 }, { path: 'c.c', size: 3 }])
 *   // → ['a.c', 'b.c', 'c.c']
 */
export function shareOrder(files: ReadonlyArray<{ path: string; size: number }>): string[] {
  return [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => f.path);
}

/**
 * Scans the sources in `todo` on this thread and `workers` (started with `startScanWorker`), and
 * returns each scanned source's results as a cache entry, for the whole scan to replay in file
 * order. The threads share the sources as they go: each takes the next source no thread has taken
 * (`runScanPart`), largest first, so none waits long for the others. A worker that fails leaves
 * the sources it took out: the whole scan then scans them itself.
 */
export async function scanWithWorkers(params: {
  files: ScanPartInput['files'];
  todo: ReadonlyArray<{ path: string; size: number }>;
  workers: readonly ScanWorker[];
  ruleIds: string[];
  config: ScanPartInput['config'];
  /** The grammars this thread has loaded (its part uses them). */
  grammars: Grammars;
  /** Hash the texts, for the scan cache. */
  hashes: boolean;
}): Promise<{ entries: Map<string, ScanPartEntry>; parsedFiles: number; parsedBytes: number; threads: number }> {
  const { createSourceClaims, runScanPart } = await import('./scan-part-worker.js');
  const input: ScanPartInput = { files: params.files, order: shareOrder(params.todo), ruleIds: params.ruleIds, config: params.config, hashes: params.hashes };
  const claims = createSourceClaims(input.order.length);
  // Hand the workers their input first, then scan on this thread while they run.
  const others = params.workers.map((worker) => worker.run({ input, claims }));
  const own = runScanPart(input, params.grammars, claims);
  const results = [own, ...(await Promise.all(others))];
  const entries = new Map<string, ScanPartEntry>();
  let parsedFiles = 0;
  let parsedBytes = 0;
  let threads = 0;
  for (const result of results) {
    if (result === undefined) continue;
    threads++;
    for (const [path, entry] of result.entries) entries.set(path, entry);
    parsedFiles += result.parsedFiles;
    parsedBytes += result.parsedBytes;
  }
  return { entries, parsedFiles, parsedBytes, threads };
}

const here = fileURLToPath(import.meta.url);
/** Under tsx or vitest this file is TypeScript, and the worker is loaded through tsx. */
const runningFromSource = here.endsWith('.ts');

/**
 * The worker's script: beside this module when built (`dist/io/`) or run from source; in the
 * bundled CLI this module is a chunk beside the bundle's second entry, `scan-part-worker.mjs`.
 */
function workerScript(): string | URL {
  if (runningFromSource) return `(async () => { (await import('tsx/esm/api')).register(); await import(${JSON.stringify(new URL('./scan-part-worker.ts', import.meta.url).href)}); })()`;
  return new URL(basename(here) === 'scan-with-workers.js' ? './scan-part-worker.js' : './scan-part-worker.mjs', import.meta.url);
}
