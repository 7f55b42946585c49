import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a handler reports to the queue while it runs inside a job. Handlers log and swallow
 * their errors (one bad event never stops the process); inside a job they also note here that
 * GitHub failed in a way worth another attempt, and the queue retries the whole job, which
 * re-reads the thread before writing anything again.
 */
export type JobScope = { retry: boolean; gone: boolean };

const storage = new AsyncLocalStorage<JobScope>();

/** Runs `fn` as a queue job; returns what the handlers reported. */
export async function runInJobScope(fn: () => Promise<void>): Promise<JobScope> {
  const scope: JobScope = { retry: false, gone: false };
  await storage.run(scope, fn);
  return scope;
}

/** The scope of the job running now, or undefined outside the queue (tests calling `receive`). */
export function currentJobScope(): JobScope | undefined {
  return storage.getStore();
}
