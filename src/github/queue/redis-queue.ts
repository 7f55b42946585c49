import { createHash, randomUUID } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_QUEUE_LIMITS, type EnqueueResult, type JobProcessor, type JobQueue, type QueueCounts, type QueueEvents, type QueueLimits, type WebhookJob } from './types.js';

/** Keeps the newest order of a thread and which job holds it; refuses an older event. */
const CLAIM_THREAD = `
local cur = redis.call('HMGET', KEYS[1], 'order', 'job')
local order = tonumber(ARGV[1])
local known = tonumber(cur[1] or '0')
if cur[1] and order > 0 and order < known then return {'stale', ''} end
redis.call('HSET', KEYS[1], 'order', math.max(order, known), 'job', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'ok', cur[2] or ''}`;

/** Deletes a lock only when this holder still owns it. */
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 40);
}

/**
 * The queue shared by several instances through Redis, on BullMQ. The job id is the work key,
 * so BullMQ itself refuses a second job for the same work while the first is queued, running or
 * remembered (completed jobs are kept for `dedupTtlMs`); delivery ids are claimed with `SET NX`.
 * A thread lock in Redis keeps jobs of one thread from running at once on different instances,
 * and a per-thread record lets a newer event supersede an older queued one.
 *
 * On close, running jobs get `timeoutMs` to finish; after that the worker is closed by force and
 * BullMQ hands the jobs to another instance once their lock expires (stalled-job recovery).
 */
export function createRedisQueue(
  options: Partial<QueueLimits> & QueueEvents & { url: string; prefix?: string; lockMs?: number; stalledMs?: number },
): JobQueue {
  const limits: QueueLimits = {
    concurrency: options.concurrency ?? DEFAULT_QUEUE_LIMITS.concurrency,
    perInstallation: options.perInstallation ?? DEFAULT_QUEUE_LIMITS.perInstallation,
    dedupTtlMs: options.dedupTtlMs ?? DEFAULT_QUEUE_LIMITS.dedupTtlMs,
    attempts: options.attempts ?? DEFAULT_QUEUE_LIMITS.attempts,
    backoffMs: options.backoffMs ?? DEFAULT_QUEUE_LIMITS.backoffMs,
    maxWaiting: options.maxWaiting ?? DEFAULT_QUEUE_LIMITS.maxWaiting,
  };
  const emit = options.onEvent ?? (() => undefined);
  const prefix = options.prefix ?? 'ftbot';
  const lockMs = options.lockMs ?? 15 * 60_000;
  const name = 'webhooks';
  const owner = randomUUID();
  const client = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
  // Errors are reported through ready(); an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  const queue = new Queue(name, { connection: client, prefix });
  queue.on('error', () => undefined);
  let worker: Worker | undefined;
  let workerClient: Redis | undefined;
  let closed = false;
  let running = 0;
  const perInstallation = new Map<string, number>();
  const key = (kind: string, id: string): string => `${prefix}:ftbot:${kind}:${id}`;

  const takeSlot = (job: WebhookJob): boolean => {
    const inst = String(job.installationId ?? 'none');
    const used = perInstallation.get(inst) ?? 0;
    if (used >= limits.perInstallation) return false;
    perInstallation.set(inst, used + 1);
    return true;
  };
  const freeSlot = (job: WebhookJob): void => {
    const inst = String(job.installationId ?? 'none');
    const left = (perInstallation.get(inst) ?? 1) - 1;
    if (left <= 0) perInstallation.delete(inst);
    else perInstallation.set(inst, left);
  };

  const later = async (bjob: Job, token: string | undefined): Promise<never> => {
    await bjob.moveToDelayed(Date.now() + 100 + Math.floor(Math.random() * 200), token);
    throw new DelayedError();
  };

  const run = async (bjob: Job, token: string | undefined, processor: JobProcessor): Promise<void> => {
    const job = bjob.data as WebhookJob;
    const attempt = bjob.attemptsMade + 1;
    if (job.keys.supersede) {
      const latest = await client.hget(key('thread', job.keys.thread), 'job');
      if (latest !== null && latest !== bjob.id) {
        emit('superseded', job);
        return;
      }
    }
    if (!takeSlot(job)) return later(bjob, token);
    const lock = key('lock', job.keys.thread);
    const holder = `${owner}:${bjob.id ?? ''}`;
    try {
      if ((await client.set(lock, holder, 'PX', lockMs, 'NX')) === null) return await later(bjob, token);
      // Starts are counted in Redis, across instances and stalls: a job that keeps killing or
      // stalling the instance that runs it is stopped after `attempts` starts, visibly.
      const startsKey = key('starts', digest(bjob.id ?? job.keys.work));
      const starts = await client.incr(startsKey);
      await client.pexpire(startsKey, limits.dedupTtlMs);
      if (starts > limits.attempts) {
        await client.del(key('delivery', digest(job.keys.delivery)));
        emit('failed', job, { attempt: starts, error: new Error(`quarantined: started ${starts - 1} times without finishing`) });
        throw new UnrecoverableError('queue: quarantined after repeated starts');
      }
      const started = Date.now();
      emit('started', job, { attempt });
      let outcome: Awaited<ReturnType<JobProcessor>>;
      running++;
      try {
        outcome = await processor(job, attempt);
      } catch (error) {
        await client.del(key('delivery', digest(job.keys.delivery)));
        emit('failed', job, { attempt, error, ms: Date.now() - started });
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      } finally {
        running--;
      }
      if (outcome === 'retry') {
        if (attempt >= limits.attempts) {
          await client.del(key('delivery', digest(job.keys.delivery)));
          emit('failed', job, { attempt, ms: Date.now() - started });
          throw new UnrecoverableError('queue: gave up after retries');
        }
        emit('retried', job, { attempt });
        throw new Error('queue: retry requested');
      }
      emit('succeeded', job, { attempt, ms: Date.now() - started });
    } finally {
      freeSlot(job);
      await client.eval(RELEASE_LOCK, 1, lock, holder).catch(() => undefined);
    }
  };

  return {
    kind: 'redis',
    async enqueue(job): Promise<EnqueueResult> {
      if (closed) throw new Error('queue: closed, not taking jobs');
      const deliveryKey = key('delivery', digest(job.keys.delivery));
      if ((await client.set(deliveryKey, '1', 'PX', limits.dedupTtlMs, 'NX')) === null) {
        emit('deduplicated', job);
        return 'duplicate';
      }
      const jobId = `w${job.keys.work}`;
      if ((await queue.getJob(jobId)) !== undefined) {
        emit('deduplicated', job);
        return 'duplicate';
      }
      let previous = '';
      if (job.keys.supersede) {
        const [state, prev] = (await client.eval(CLAIM_THREAD, 1, key('thread', job.keys.thread), String(job.keys.order), jobId, String(limits.dedupTtlMs))) as [string, string];
        if (state === 'stale') {
          emit('stale', job);
          return 'stale';
        }
        previous = prev;
      }
      const added = await queue.add(job.name, job, {
        jobId,
        attempts: limits.attempts,
        backoff: { type: 'exponential', delay: limits.backoffMs },
        removeOnComplete: { age: Math.ceil(limits.dedupTtlMs / 1000) },
        removeOnFail: true,
      });
      if ((added.data as WebhookJob).id !== job.id) {
        emit('deduplicated', job);
        return 'duplicate';
      }
      emit('enqueued', job);
      if (previous !== '' && previous !== jobId) {
        const older = await queue.getJob(previous);
        const state = older === undefined ? undefined : await older.getState();
        if (older !== undefined && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
          if ((await queue.remove(previous)) === 1) emit('superseded', older.data as WebhookJob);
        }
      }
      return 'queued';
    },
    process(processor): void {
      if (worker !== undefined) throw new Error('queue: process() was called twice');
      workerClient = new Redis(options.url, { maxRetriesPerRequest: null });
      workerClient.on('error', () => undefined);
      worker = new Worker(name, async (bjob, token) => run(bjob, token, processor), {
        connection: workerClient,
        prefix,
        concurrency: limits.concurrency,
        // Short enough that another instance takes over a crashed one's jobs within a minute.
        lockDuration: options.stalledMs ?? 30_000,
        // Stalls are counted with the other starts (above), so the quarantine decides, and logs.
        maxStalledCount: limits.attempts + 1,
        stalledInterval: Math.max(100, Math.floor((options.stalledMs ?? 30_000) / 2)),
      });
      worker.on('error', () => undefined);
    },
    async ready() {
      if (closed || (worker !== undefined && !worker.isRunning())) return false;
      try {
        return (await Promise.race([client.ping(), new Promise<string>((resolve) => setTimeout(resolve, 1000, 'timeout').unref())])) === 'PONG';
      } catch {
        return false;
      }
    },
    async counts(): Promise<QueueCounts> {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0 };
    },
    async drain() {
      for (;;) {
        const c = await this.counts();
        if (c.waiting === 0 && c.active === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close(timeoutMs = 30_000) {
      closed = true;
      if (worker !== undefined) {
        // BullMQ's close(true) after a close() that waits returns the waiting promise, so a job
        // that never ends would hold close() forever. Stop taking jobs, wait for the running ones
        // here, and close once: gracefully when they ended, by force when one is stuck.
        await worker.pause(true);
        const end = Date.now() + timeoutMs;
        while (running > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 25));
        await worker.close(running > 0);
      }
      await queue.close();
      workerClient?.disconnect();
      client.disconnect();
    },
  };
}
