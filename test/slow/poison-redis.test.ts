import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healLimiterConnection } from '../../src/github/queue/heal-limiter.js';
import { createRedisQueue } from '../../src/github/queue/redis-queue.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { deliver, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { loadWebhook } from '../helpers/probot-app.js';

/** Poison jobs and a limiter that loses its state, on a real `redis-server` on loopback. */
const available = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
if (!available) console.warn('poison-redis: skipped: no redis-server binary on PATH');

let redis: ChildProcess | undefined;
let url = '';

beforeAll(async () => {
  if (!available) return;
  const port = await new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect().catch(() => undefined);
      if ((await client.ping()) === 'PONG') break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  client.disconnect();
}, 20_000);

afterAll(async () => {
  if (redis === undefined || redis.exitCode !== null) return;
  const exited = new Promise((resolve) => redis?.once('exit', resolve));
  redis.kill();
  await exited;
});

function helpComment(issue: number) {
  const payload = loadWebhook('issue_comment.created');
  payload.issue.number = issue;
  payload.comment.id = 70_000 + issue;
  payload.comment.body = '@ftbot help';
  return payload;
}

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!available)('poison jobs on two instances sharing Redis', () => {
  const services: WebhookService[] = [];
  let github: FakeGitHub | undefined;
  afterAll(async () => {
    for (const s of services) await s.close(1000);
    await github?.close();
  });

  it('stops a job that always fails after N attempts, logs it, and both instances keep serving', async () => {
    github = await startFakeGitHub();
    // Every command on issue 900 fails with 502: GitHub "unwell" for this job, forever.
    github.fault = (req) => (req.path.includes('/issues/900/') ? { status: 502 } : undefined);
    const prefix = `p-${randomUUID()}`;
    const make = async () => (await startService({ github: github as FakeGitHub, queue: (events) => createRedisQueue({ url, prefix, attempts: 3, backoffMs: 20, stalledMs: 2000, ...events }) })).service;
    const a = await make();
    const b = await make();
    services.push(a, b);
    const bases = [`http://127.0.0.1:${(await a.listen(0, '127.0.0.1')).port}`, `http://127.0.0.1:${(await b.listen(0, '127.0.0.1')).port}`];
    expect(await deliver(bases[0] ?? '', { id: 'poison-1', name: 'issue_comment', payload: helpComment(900) })).toBe(200);
    const failed = () => a.metrics.get('ftbot_jobs_failed_total') + b.metrics.get('ftbot_jobs_failed_total');
    await until(() => failed() === 1);
    const started = a.metrics.get('ftbot_jobs_started_total') + b.metrics.get('ftbot_jobs_started_total');
    expect(started).toBe(3);
    expect(a.metrics.get('ftbot_jobs_succeeded_total') + b.metrics.get('ftbot_jobs_succeeded_total')).toBe(0);
    // Both still answer health checks and run other jobs.
    for (const [i, base] of bases.entries()) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await deliver(base, { id: `after-${i}`, name: 'issue_comment', payload: helpComment(910 + i) })).toBe(200);
    }
    await until(() => (github?.comments.get(910)?.length ?? 0) === 1 && (github?.comments.get(911)?.length ?? 0) === 1);
  });

  it('hands a job that stalls its instance to another at most N times, then quarantines it (issue 14 M8)', async () => {
    const prefix = `s-${randomUUID()}`;
    const events: Array<{ event: string; error?: string }> = [];
    const make = () =>
      createRedisQueue({
        url,
        prefix,
        attempts: 2,
        backoffMs: 20,
        stalledMs: 800,
        lockMs: 1500,
        onEvent: (event, _job, detail) => events.push({ event, ...(detail?.error instanceof Error ? { error: detail.error.message } : {}) }),
      });
    const job = { id: 'stall-1', name: 'issue_comment', payload: {}, keys: { delivery: 'stall-1', work: 'w-stall-1', thread: 't-stall', supersede: false, order: 0 }, installationId: 1, target: 'o/r#1', enqueuedAt: 0 };
    const starts: string[] = [];
    // Two instances in turn start the job and hang on it until they are killed (the lock of a
    // frozen instance is not renewed: BullMQ counts the job as stalled and gives it to the next one).
    for (const name of ['a', 'b']) {
      const queue = make();
      queue.process(() => {
        starts.push(name);
        return new Promise<never>(() => undefined);
      });
      if (name === 'a') expect(await queue.enqueue(job)).toBe('queued');
      await until(() => starts.length === (name === 'a' ? 1 : 2));
      await queue.close(0);
    }
    // A third instance does not run it again: two starts without an end are enough.
    const third = make();
    third.process(async () => {
      starts.push('c');
      return 'done';
    });
    await until(() => events.some((e) => e.event === 'failed'));
    await third.close(1000);
    expect(starts).toEqual(['a', 'b']);
    expect(events.filter((e) => e.event === 'failed')).toEqual([{ event: 'failed', error: 'quarantined: started 2 times without finishing' }]);
    expect(events.some((e) => e.event === 'succeeded')).toBe(false);
  }, 60_000);

  it('lets the shared rate limiter recover after Redis loses its state', async () => {
    const run = async (heal: boolean): Promise<string> => {
      const connection = new Bottleneck.IORedisConnection({ clientOptions: { host: '127.0.0.1', port: Number(new URL(url).port) } });
      if (heal) healLimiterConnection(connection);
      const limiter = new Bottleneck({ id: `l-${randomUUID()}`, datastore: 'ioredis', connection, clearDatastore: true, minTime: 1 });
      await limiter.ready();
      await limiter.schedule(async () => 'first');
      const flusher = new Redis(url);
      await flusher.flushall();
      flusher.disconnect();
      try {
        return await limiter.schedule(async () => 'after flush');
      } catch (error) {
        return `failed: ${(error as Error).message}`;
      } finally {
        await limiter.disconnect();
      }
    };
    expect(await run(false)).toMatch(/SETTINGS_KEY_NOT_FOUND/);
    expect(await run(true)).toBe('after flush');
  });
});
