import { parentPort, workerData } from 'node:worker_threads';
import { scanFiles, type ScanParams } from '../core/engine/scan-files.js';
import { rules as allRules } from '../core/rules/index.js';
import { loadGrammars } from './load-grammars.js';

/** What `scanInWorker` hands the worker thread. */
export type ScanWorkerInput = {
  files: Array<{ path: string; text: string }>;
  ruleIds: string[];
  config: ScanParams['config'];
  /** Index in `files` of each source file, in the order the engine scans them. */
  sourceOrder: number[];
  /** How many build files the engine counts before the first source. */
  buildCount: number;
  /** Index of the marker file appended after the last source (the build-rule phase starts there). */
  endMarker: number | undefined;
};

/** Messages from the worker: where the scan is (`at`: a file index, -1 for build-file rules), then the result. */
export type ScanWorkerMessage = { type: 'at'; index: number } | { type: 'done'; result: ReturnType<typeof scanFiles> } | { type: 'error'; message: string };

/**
 * The worker thread behind `scanInWorker`: loads the grammars, runs `scanFiles` and reports which
 * file it is on, so the parent can name the file when it ends the thread over its budget.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const input = workerData as ScanWorkerInput;
  const post = (message: ScanWorkerMessage): void => port.postMessage(message);
  try {
    const grammars = await loadGrammars();
    const ids = new Set(input.ruleIds);
    const files = input.files.map((file, index) => ({
      path: file.path,
      // Build files and Cython modules are read before the source loop: the read names the file.
      text: () => {
        post({ type: 'at', index });
        return file.text;
      },
    }));
    const result = scanFiles({
      files,
      grammars,
      rules: allRules.filter((rule) => ids.has(rule.meta.id)),
      config: input.config,
      onProgress: (done) => {
        // `done` counts build files first, then sources in input order.
        const k = done - input.buildCount - 1;
        const index = input.sourceOrder[k];
        if (index !== undefined) post({ type: 'at', index: index === input.endMarker ? -1 : index });
      },
    });
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'error', message: String(error) });
  }
}

await main();
