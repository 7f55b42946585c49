import { Worker } from 'node:worker_threads';
import type { DraftVerifier, Verification } from '../core/drafting/verify-draft.js';
import type { VerifyWorkerAnswer, VerifyWorkerRequest } from './verify-worker.js';

/** Time and memory one draft verification may use off the event loop. */
export type VerifyBudget = {
  /** Longest one verification may take (ms), grammar loading included; then it fails. */
  timeoutMs: number;
  /** Heap of the verify thread (MiB). */
  memoryMb: number;
};

export const DEFAULT_VERIFY_BUDGET: VerifyBudget = { timeoutMs: 20_000, memoryMb: 512 };

/**
 * Verifies drafts (`verifyDraft`: two parses and two scans of the whole file) on a worker thread,
 * so a large or hostile file never holds webhook acknowledgements on the event loop.
 *
 * One long-lived thread takes the verifications one at a time (the grammars load once). One
 * that runs past `timeoutMs`, or a thread that runs out of memory or crashes, ends the thread:
 * that draft fails verification with a problem saying why (so it is shown as an explanation,
 * never as a suggestion), and the next verification starts a fresh thread. The thread does not
 * keep the process alive.
 */
export function createDraftVerifier(budget: Partial<VerifyBudget> = {}): DraftVerifier {
  const limits: VerifyBudget = { ...DEFAULT_VERIFY_BUDGET, ...budget };
  let worker: Worker | undefined;
  let nextId = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const start = (): Worker => {
    const w = new Worker(runningFromSource ? sourceBootstrap : new URL('./verify-worker.js', import.meta.url), {
      eval: runningFromSource,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, limits.memoryMb / 8)) },
      stdout: false,
      stderr: false,
    });
    w.unref();
    return w;
  };

  const once = (request: VerifyWorkerRequest['request']): Promise<Verification> =>
    new Promise((resolve) => {
      const w = (worker ??= start());
      const id = nextId++;
      let settled = false;
      const finish = (result: Verification, stop: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (stop) {
          if (worker === w) worker = undefined;
          void w.terminate();
        }
        resolve(result);
      };
      const fail = (reason: string): Verification => ({ ok: false, problems: [`the edit could not be verified: ${reason}`] });
      const onMessage = (answer: VerifyWorkerAnswer): void => {
        if (answer.id === id) finish(answer.result, false);
      };
      const onError = (error: Error & { code?: string }): void =>
        finish(fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed over ${limits.memoryMb} MiB` : String(error.message).slice(0, 200)), true);
      const onExit = (): void => finish(fail('the verifier stopped'), true);
      const timer = setTimeout(() => finish(fail(`it took over ${limits.timeoutMs} ms`), true), limits.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id, request } satisfies VerifyWorkerRequest);
    });

  return (request) => {
    const run = chain.then(() => once(request));
    chain = run.catch(() => undefined);
    return run;
  };
}

/** Under tsx or vitest this file is TypeScript, and so is the worker (loaded through tsx); built, both are JavaScript. */
const runningFromSource = import.meta.url.endsWith('.ts');
const sourceBootstrap = `(async () => { (await import('tsx/esm/api')).register(); await import(${JSON.stringify(new URL('./verify-worker.ts', import.meta.url).href)}); })()`;
