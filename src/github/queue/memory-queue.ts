import { DEFAULT_QUEUE_LIMITS, type EnqueueResult, type JobProcessor, type JobQueue, type QueueCounts, type QueueEvents, type QueueLimits, type WebhookJob } from './types.js';

type Entry = { job: WebhookJob; attempt: number; readyAt: number };
type WorkState = { state: 'queued' | 'running' | 'done'; expiresAt: number };

/**
 * The embedded queue: everything in this process, no extra service. Delivery ids and finished
 * work keys are remembered for `dedupTtlMs`; jobs of one thread run one at a time; a newer job
 * of a thread replaces a queued older one. Jobs still queued when the process stops are lost
 * (GitHub can redeliver them); use the Redis queue when that matters.
 */
export function createMemoryQueue(options: Partial<QueueLimits> & QueueEvents & { now?: () => number } = {}): JobQueue {
  const limits: QueueLimits = { ...DEFAULT_QUEUE_LIMITS, ...withoutUndefined(options) };
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const deliveries = new Map<string, number>();
  const work = new Map<string, WorkState>();
  const latest = new Map<string, { order: number; expiresAt: number }>();
  const queue: Entry[] = [];
  /** Queued entries per installation, so a pump with every such installation at its limit does not walk the queue. */
  const queuedPer = new Map<string, number>();
  const runningThreads = new Set<string>();
  const perInstallation = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let processor: JobProcessor | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: Array<() => void> = [];
  let operations = 0;

  const sweep = (): void => {
    const t = now();
    for (const [key, expiresAt] of deliveries) if (expiresAt <= t) deliveries.delete(key);
    for (const [key, value] of work) if (value.state === 'done' && value.expiresAt <= t) work.delete(key);
    for (const [key, value] of latest) if (value.expiresAt <= t) latest.delete(key);
  };

  const forget = (job: WebhookJob): void => {
    work.delete(job.keys.work);
    deliveries.delete(job.keys.delivery);
  };

  const settleIdle = (): void => {
    if (queue.length > 0 || inFlight.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const installationKey = (job: WebhookJob): string => String(job.installationId ?? 'none');
  const push = (entry: Entry): void => {
    const inst = installationKey(entry.job);
    queuedPer.set(inst, (queuedPer.get(inst) ?? 0) + 1);
    queue.push(entry);
  };
  const removeAt = (i: number): Entry => {
    const [entry] = queue.splice(i, 1) as [Entry];
    const inst = installationKey(entry.job);
    const left = (queuedPer.get(inst) ?? 1) - 1;
    if (left <= 0) queuedPer.delete(inst);
    else queuedPer.set(inst, left);
    return entry;
  };
  const anyInstallationFree = (): boolean => {
    for (const inst of queuedPer.keys()) if ((perInstallation.get(inst) ?? 0) < limits.perInstallation) return true;
    return false;
  };

  const pump = (): void => {
    if (processor === undefined || closed) return;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    let earliest = Infinity;
    // A job that ends pumps again, so a queue whose installations are all at their limit waits
    // for that instead of being walked on every enqueue (thousands of entries during a burst).
    const t = now();
    for (let i = anyInstallationFree() ? 0 : queue.length; i < queue.length && inFlight.size < limits.concurrency; ) {
      const entry = queue[i] as Entry;
      const inst = installationKey(entry.job);
      if (entry.readyAt > t) {
        earliest = Math.min(earliest, entry.readyAt);
        i++;
        continue;
      }
      if (runningThreads.has(entry.job.keys.thread) || (perInstallation.get(inst) ?? 0) >= limits.perInstallation) {
        i++;
        continue;
      }
      removeAt(i);
      start(entry, processor);
    }
    if (earliest !== Infinity) {
      timer = setTimeout(pump, Math.max(1, earliest - now()));
      timer.unref();
    }
    settleIdle();
  };

  const start = (entry: Entry, run: JobProcessor): void => {
    const { job } = entry;
    const inst = installationKey(job);
    runningThreads.add(job.keys.thread);
    perInstallation.set(inst, (perInstallation.get(inst) ?? 0) + 1);
    work.set(job.keys.work, { state: 'running', expiresAt: Infinity });
    emit('started', job, { attempt: entry.attempt });
    const started = now();
    const task = (async () => {
      try {
        const outcome = await run(job, entry.attempt);
        if (outcome === 'done') {
          work.set(job.keys.work, { state: 'done', expiresAt: now() + limits.dedupTtlMs });
          emit('succeeded', job, { attempt: entry.attempt, ms: now() - started });
        } else if (entry.attempt < limits.attempts && !closed) {
          work.set(job.keys.work, { state: 'queued', expiresAt: Infinity });
          push({ job, attempt: entry.attempt + 1, readyAt: now() + limits.backoffMs * 2 ** (entry.attempt - 1) });
          emit('retried', job, { attempt: entry.attempt });
        } else {
          forget(job);
          emit('failed', job, { attempt: entry.attempt, ms: now() - started });
        }
      } catch (error) {
        forget(job);
        emit('failed', job, { attempt: entry.attempt, error, ms: now() - started });
      }
    })();
    inFlight.add(task);
    void task.finally(() => {
      inFlight.delete(task);
      runningThreads.delete(job.keys.thread);
      const left = (perInstallation.get(inst) ?? 1) - 1;
      if (left <= 0) perInstallation.delete(inst);
      else perInstallation.set(inst, left);
      pump();
      settleIdle();
    });
  };

  /** Takes a job in, or says why not (a closed queue throws). */
  const admit = (job: WebhookJob): EnqueueResult => {
    if (closed) throw new Error('queue: closed, not taking jobs');
    if (++operations % 1000 === 0) sweep();
    const t = now();
    const { delivery, work: workKey, thread, supersede, order } = job.keys;
    const seen = deliveries.get(delivery);
    if (seen !== undefined && seen > t) {
      emit('deduplicated', job);
      return 'duplicate';
    }
    deliveries.set(delivery, t + limits.dedupTtlMs);
    const state = work.get(workKey);
    if (state !== undefined && state.expiresAt > t) {
      emit('deduplicated', job);
      return 'duplicate';
    }
    const known = supersede ? latest.get(thread) : undefined;
    if (known !== undefined && known.expiresAt > t && order > 0 && order < known.order) {
      emit('stale', job);
      return 'stale';
    }
    // Full, unless the job replaces a queued one of its thread: refuse before remembering
    // anything of the delivery, so GitHub's redelivery of it (same delivery id) is taken once
    // there is room, and before superseding, so no queued job is lost for it.
    if (queue.length >= limits.maxWaiting && !(supersede && queue.some((e) => e.job.keys.thread === thread && e.job.keys.supersede))) {
      if (seen === undefined) deliveries.delete(delivery);
      else deliveries.set(delivery, seen);
      emit('refused', job);
      return 'full';
    }
    if (supersede) {
      latest.set(thread, { order: Math.max(order, known?.order ?? 0), expiresAt: t + limits.dedupTtlMs });
      for (let i = queue.length - 1; i >= 0; i--) {
        const older = queue[i] as Entry;
        if (older.job.keys.thread === thread && older.job.keys.supersede) {
          removeAt(i);
          work.delete(older.job.keys.work);
          emit('superseded', older.job);
        }
      }
    }
    work.set(workKey, { state: 'queued', expiresAt: Infinity });
    push({ job, attempt: 1, readyAt: t });
    emit('enqueued', job);
    queueMicrotask(pump);
    return 'queued';
  };

  return {
    kind: 'memory',
    // Taking a job in waits on nothing; the promise settles at once (rejected when closed).
    enqueue: (job) => new Promise<EnqueueResult>((resolve) => resolve(admit(job))),
    process(run): void {
      if (processor !== undefined) throw new Error('queue: process() was called twice');
      processor = run;
      pump();
    },
    ready: () => Promise.resolve(!closed),
    counts: (): Promise<QueueCounts> => Promise.resolve({ waiting: queue.length, active: inFlight.size }),
    async drain() {
      if (queue.length === 0 && inFlight.size === 0) return;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close(timeoutMs = 30_000) {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const waiting = queue.splice(0);
      queuedPer.clear();
      for (const entry of waiting) {
        forget(entry.job);
        emit('dropped', entry.job);
      }
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise<void>((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      settleIdle();
    },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
