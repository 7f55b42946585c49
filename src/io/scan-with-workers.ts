import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Grammars } from '../core/engine/scan-files.js';
import { runScanPart, SCAN_PART_WORKER, type ScanPartEntry, type ScanPartInput, type ScanPartResult } from './scan-part-worker.js';

/**
 * Below this many bytes of sources to scan, one thread is faster: a worker first loads ftbot and
 * its grammars (about a quarter of a second of CPU).
 */
export const MIN_PARALLEL_BYTES = 4 * 1024 * 1024;

/**
 * The threads a cold scan uses: at most 2, and only when a core is idle (the 1-minute load average
 * is below the cores minus one, as `make -l` decides). On a machine already busy, a worker only
 * adds its start-up: measured on the bench corpus with a load average of 12 on 2 cores, two threads
 * took 0.86× the wall time of one with every rule but 1.18× with the default rules.
 */
export function scanThreads(cores = availableParallelism(), load = loadavg()[0] ?? 0, setting = process.env.FTBOT_THREADS): number {
  // `FTBOT_THREADS=1` or `2` fixes the choice (benchmarks, CI machines whose load says little).
  const fixed = setting === undefined ? undefined : Number.parseInt(setting, 10);
  if (fixed !== undefined && Number.isInteger(fixed) && fixed >= 1) return Math.min(fixed, 2);
  const threads = Math.max(1, Math.min(2, cores));
  return load < cores - 1 ? threads : 1;
}

/**
 * Scans the sources in `todo` on `threads` threads (this one and `threads - 1` workers) and returns
 * each scanned source's results as a cache entry, for the whole scan to replay in file order. The
 * sources are split by size (largest first, each to the lightest part), so the parts finish close
 * together. A worker that fails leaves its sources out: the whole scan then scans them itself.
 */
export async function scanWithWorkers(params: {
  files: ScanPartInput['files'];
  todo: ReadonlyArray<{ path: string; size: number }>;
  threads: number;
  ruleIds: string[];
  config: ScanPartInput['config'];
  /** The grammars this thread has loaded (its part uses them). */
  grammars: Grammars;
  /** Hash the texts, for the scan cache. */
  hashes: boolean;
}): Promise<{ entries: Map<string, ScanPartEntry>; parsedFiles: number; parsedBytes: number; threads: number }> {
  const parts = splitBySize(params.todo, params.threads);
  const inputs: ScanPartInput[] = parts.map((part) => ({ files: params.files, part, ruleIds: params.ruleIds, config: params.config, hashes: params.hashes }));
  // Start the workers first, then scan this thread's part while they run.
  const others = inputs.slice(1).map((input) => runInWorker(input).catch(() => undefined));
  const own = inputs[0] === undefined ? undefined : runScanPart(inputs[0], params.grammars);
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

/**
 * Splits files into `count` parts of close total size: largest first, each to the part with the
 * fewest bytes so far (ties to the first). Deterministic for the same input.
 *
 * @example
 *   splitBySize([{ path: 'a', size: 5 }, { path: 'b', size: 3 }, { path: 'c', size: 3 }], 2)
 *   // → [['a'], ['b', 'c']]
 */
export function splitBySize(files: ReadonlyArray<{ path: string; size: number }>, count: number): string[][] {
  const parts = Array.from({ length: Math.max(1, count) }, () => ({ bytes: 0, paths: [] as string[] }));
  const bySize = [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  for (const file of bySize) {
    const lightest = parts.reduce((min, p) => (p.bytes < min.bytes ? p : min));
    lightest.paths.push(file.path);
    lightest.bytes += file.size;
  }
  return parts.map((p) => p.paths).filter((p) => p.length > 0);
}

function runInWorker(input: ScanPartInput): Promise<ScanPartResult> {
  const worker = new Worker(workerScript(), { eval: runningFromSource, workerData: { kind: SCAN_PART_WORKER, input }, stdout: false, stderr: false });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { ok: true; result: ScanPartResult } | { ok: false; message: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('the scan worker stopped')));
  });
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
