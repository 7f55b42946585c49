import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostics.js';
import type { ScanParams, ScanResult } from '../core/engine/scan-files.js';
import { emptyProjectFacts } from '../core/engine/project-facts.js';
import { classifyPath } from '../core/languages.js';
import type { ScanWorkerInput, ScanWorkerMessage } from './scan-worker.js';
import { emptyScanFacts } from '../core/engine/scan-facts.js';

/** Time and memory a scan may use off the event loop. */
export type ScanBudget = {
  /** Longest time one file may take (ms); the file is skipped with a note when it takes longer. */
  fileMs: number;
  /** Longest time the whole scan may take, restarts included (ms); files not reached are skipped. */
  totalMs: number;
  /** Heap of the worker thread (MiB); a file that needs more is skipped. */
  memoryMb: number;
  /** Times the scan is started again without the files that went over (then the rest is skipped). */
  restarts: number;
};

export const DEFAULT_SCAN_BUDGET: ScanBudget = { fileMs: 10_000, totalMs: 120_000, memoryMb: 512, restarts: 3 };

/** What a shell hands the scan runner; the rules are named by id so they can cross to the thread. */
export type ScanJob = { files: ReadonlyArray<{ path: string; text: string }>; ruleIds: readonly string[]; config: ScanParams['config'] };

export type ScanRunner = (job: ScanJob) => Promise<ScanResult>;

/** Marks the end of the source loop: a vendored name, so the engine skips it without reading it. */
const END_MARKER = '.ftbot-end/pythoncapi_compat.h';

/**
 * Runs `scanFiles` on a worker thread, so rules and parsers never block the event loop (webhook
 * acknowledgements, health checks, other jobs), within `budget`:
 * 1. start a thread with a heap limit (`resourceLimits`) and the files; it reports each file it
 *    starts;
 * 2. a file that runs past `fileMs`, or a thread that runs out of memory or crashes, ends the
 *    thread; the file it was on is skipped with a `truncated` note naming it (build files
 *    together when their rules were running), and the scan starts again without it;
 * 3. past `totalMs` or `restarts`, everything is skipped with a note.
 *
 * The result is the scan of what finished plus those notes, so a review posts what it found and
 * says which file it could not scan.
 */
export function createScanRunner(budget: Partial<ScanBudget> = {}): ScanRunner {
  const limits: ScanBudget = { ...DEFAULT_SCAN_BUDGET, ...budget };
  return async (job) => {
    const deadline = Date.now() + limits.totalMs;
    let files = job.files.filter((f) => classifyPath(f.path) !== undefined);
    const skipped: Diagnostic[] = [];
    for (let round = 0; ; round++) {
      const left = deadline - Date.now();
      if (round > limits.restarts || left <= 0) {
        for (const f of files) skipped.push({ kind: 'truncated', path: f.path, message: `not scanned: the scan ran out of its ${Math.round(limits.totalMs / 1000)} s budget` });
        return { findings: [], diagnostics: skipped, stats: { files: 0, bytes: 0, parsedFiles: 0, parsedBytes: 0 }, project: emptyProjectFacts(), facts: emptyScanFacts() };
      }
      const outcome = await runOnce({ files, ruleIds: job.ruleIds, config: job.config }, limits, left);
      if (outcome.kind === 'done') {
        outcome.result.diagnostics.unshift(...skipped);
        return outcome.result;
      }
      const blamed = new Set(outcome.blame);
      for (const f of files) if (blamed.has(f.path)) skipped.push({ kind: 'truncated', path: f.path, message: `not scanned: ${outcome.reason}` });
      files = files.filter((f) => !blamed.has(f.path));
    }
  };
}

type Outcome = { kind: 'done'; result: ScanResult } | { kind: 'over'; blame: string[]; reason: string };

function runOnce(job: ScanJob, limits: ScanBudget, timeLeft: number): Promise<Outcome> {
  const files = [...job.files];
  const sourceOrder: number[] = [];
  let buildCount = 0;
  files.forEach((f, i) => {
    const kind = classifyPath(f.path);
    if (kind?.type === 'build') buildCount++;
    else if (kind?.type === 'source') sourceOrder.push(i);
  });
  let endMarker: number | undefined;
  if (sourceOrder.length > 0) {
    endMarker = files.length;
    sourceOrder.push(endMarker);
    files.push({ path: END_MARKER, text: '' });
  }
  const input: ScanWorkerInput = { files, ruleIds: [...job.ruleIds], config: job.config, sourceOrder, buildCount, endMarker };
  const buildPaths = files.filter((f) => classifyPath(f.path)?.type === 'build').map((f) => f.path);
  const worker = new Worker(runningFromSource ? sourceBootstrap : new URL('./scan-worker.js', import.meta.url), {
    eval: runningFromSource,
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, limits.memoryMb / 8)) },
    stdout: false,
    stderr: false,
  });
  return new Promise((resolve) => {
    let at: number | undefined;
    let settled = false;
    const blame = (): string[] => (at === -1 ? buildPaths : at === undefined ? [] : [files[at]?.path ?? '']);
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(fileTimer);
      clearTimeout(totalTimer);
      void worker.terminate();
      resolve(outcome);
    };
    const over = (reason: string): void => {
      const paths = blame();
      // Over budget before any file started (grammar loading): nothing to blame, so skip them all.
      finish({ kind: 'over', blame: paths.length > 0 ? paths : files.map((f) => f.path), reason });
    };
    let fileTimer = setTimeout(() => over(`it took over ${limits.fileMs} ms`), limits.fileMs + 5_000);
    const totalTimer = setTimeout(() => over(`the scan ran out of its ${Math.round(limits.totalMs / 1000)} s budget`), timeLeft);
    worker.on('message', (message: ScanWorkerMessage) => {
      if (message.type === 'at') {
        at = message.index;
        clearTimeout(fileTimer);
        fileTimer = setTimeout(() => over(`it took over ${limits.fileMs} ms`), limits.fileMs);
      } else if (message.type === 'done') {
        const result = message.result;
        result.diagnostics = result.diagnostics.filter((d) => d.path !== END_MARKER);
        finish({ kind: 'done', result });
      } else {
        over(`the scan failed (${message.message.slice(0, 200)})`);
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      over(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed over ${limits.memoryMb} MiB` : `the scan failed (${String(error.message).slice(0, 200)})`);
    });
    worker.on('exit', () => over('the scan stopped'));
  });
}

/** Under tsx or vitest this file is TypeScript, and so is the worker (loaded through tsx); built, both are JavaScript. */
const runningFromSource = import.meta.url.endsWith('.ts');
const sourceBootstrap = `(async () => { (await import('tsx/esm/api')).register(); await import(${JSON.stringify(new URL('./scan-worker.ts', import.meta.url).href)}); })()`;
