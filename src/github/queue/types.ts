/**
 * The job queue between the webhook endpoint and the work. The endpoint only checks the
 * signature and enqueues; a worker runs the app on the event later. Two implementations share
 * this interface: an in-process one (the default, no extra service) and one on Redis (BullMQ), so
 * several instances behave as one.
 */

/** The idempotency keys of a delivery. */
export type JobKeys = {
  /** `x-github-delivery`: the same GUID on every redelivery of one event. */
  delivery: string;
  /**
   * What the job would produce: repository, issue or pull-request number, head SHA (or comment
   * id) and the state that decides whether the app acts. Two deliveries with one work key give
   * one result; a finished key is remembered for a while.
   */
  work: string;
  /** The thread the job writes to. Jobs of one thread never run at the same time. */
  thread: string;
  /**
   * True when a newer job of the same thread makes a queued older one pointless (a review of an
   * older head, a triage of an older state). Comment commands are never superseded.
   */
  supersede: boolean;
  /** When the event's subject was last updated (ms); a stale event does not replace a newer one. */
  order: number;
};

/** One webhook delivery waiting to be processed. */
export type WebhookJob = {
  id: string;
  name: string;
  payload: unknown;
  keys: JobKeys;
  installationId: number | undefined;
  /** Where the job came from, for log lines: `owner/repo#12`. */
  target: string;
  enqueuedAt: number;
};

export type EnqueueResult =
  /** Queued for processing. */
  | 'queued'
  /** The delivery id or the work key was seen already (queued, running or finished). */
  | 'duplicate'
  /** A newer event of the same thread is known; this one would only redo older work. */
  | 'stale'
  /**
   * The queue holds `maxWaiting` jobs already; this one was not taken. The endpoint answers 503,
   * so GitHub records the delivery as failed, where it can be redelivered (nothing acknowledged
   * is dropped).
   */
  | 'full';

/** What a processor reports back: done, or worth another attempt later (GitHub was unwell). */
export type JobOutcome = 'done' | 'retry';

export type JobProcessor = (job: WebhookJob, attempt: number) => Promise<JobOutcome>;

/** Counts of jobs by state, for `/metrics` and `/readyz`. */
export type QueueCounts = { waiting: number; active: number };

export interface JobQueue {
  readonly kind: 'memory' | 'redis';
  /** Adds a job unless its keys say it is a duplicate or stale. */
  enqueue(job: WebhookJob): Promise<EnqueueResult>;
  /** Starts processing with the queue's concurrency limits. Call once. */
  process(processor: JobProcessor): void;
  /** True when the queue can take jobs (its store is reachable). */
  ready(): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  /** Resolves when nothing is waiting or running (tests and benchmarks). */
  drain(): Promise<void>;
  /**
   * Stops taking jobs, lets running ones finish for up to `timeoutMs`, then gives the rest back
   * (Redis: they go back to the queue for another instance; memory: they are logged as dropped).
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Limits shared by both implementations. */
export type QueueLimits = {
  /** Jobs running at once in this process. */
  concurrency: number;
  /** Jobs of one installation running at once in this process, so one busy account cannot starve the rest. */
  perInstallation: number;
  /** How long a finished work key or a delivery id is remembered (ms). */
  dedupTtlMs: number;
  /** Attempts per job when the processor asks for a retry. */
  attempts: number;
  /** Wait before the first retry (ms); doubles on each further one. */
  backoffMs: number;
  /**
   * Jobs waiting at most in the embedded queue (not counting running ones and retries of jobs
   * already taken); a delivery beyond it is refused (`full`). Bounds the memory the queued
   * payloads hold. The Redis queue is bounded by Redis's memory instead.
   */
  maxWaiting: number;
};

export const DEFAULT_QUEUE_LIMITS: QueueLimits = {
  concurrency: 4,
  perInstallation: 2,
  dedupTtlMs: 60 * 60 * 1000,
  attempts: 3,
  backoffMs: 5000,
  maxWaiting: 5000,
};

/** Events handed to the queue's owner as they happen (metrics and log lines). */
export type QueueEvents = {
  onEvent?: (event: QueueEvent, job: WebhookJob, detail?: { attempt?: number; error?: unknown; ms?: number }) => void;
};

export type QueueEvent = 'enqueued' | 'deduplicated' | 'stale' | 'superseded' | 'started' | 'succeeded' | 'retried' | 'failed' | 'dropped' | 'refused';
