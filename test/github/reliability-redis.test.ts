import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisQueue } from '../../src/github/queue/redis-queue.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { deliver, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { addedPatch, loadWebhook } from '../helpers/probot-app.js';

/**
 * Two app instances sharing one Redis: a real `redis-server` on loopback, started here on a free
 * port without persistence (or the server in `REDIS_URL`). `.ci/run` installs redis-server;
 * without the binary the file is skipped with a message.
 */
const hasBinary = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
const available = process.env.REDIS_URL !== undefined || hasBinary;
if (!available) console.warn('reliability-redis: skipped: no redis-server binary on PATH and no REDIS_URL (`.ci/run` installs it)');

const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const SUMMARY = '<!-- ftbot:summary v1 -->';
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

let redis: ChildProcess | undefined;
let url = process.env.REDIS_URL ?? '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!available || process.env.REDIS_URL !== undefined) return;
  const port = await freePort();
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

async function twoInstances(github: FakeGitHub, prefix: string, limits = { concurrency: 4, perInstallation: 4 }) {
  const make = () => startService({ github, queue: (events) => createRedisQueue({ url, prefix, backoffMs: 20, stalledMs: 2000, ...limits, ...events }) });
  const a = (await make()).service;
  const b = (await make()).service;
  const portA = (await a.listen(0, '127.0.0.1')).port;
  const portB = (await b.listen(0, '127.0.0.1')).port;
  return { a, b, bases: [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`] };
}

function helpComment(issue: number) {
  const payload = loadWebhook('issue_comment.created');
  payload.issue.number = issue;
  payload.comment.id = 50_000 + issue;
  payload.comment.body = '@ftbot help';
  return payload;
}

function prEvent(action: 'opened' | 'labeled' | 'synchronize') {
  const payload = loadWebhook(`pull_request.${action}`);
  payload.pull_request.labels = [LABEL];
  payload.pull_request.head.sha = SHA;
  payload.pull_request.draft = false;
  payload.pull_request.state = 'open';
  payload.pull_request.updated_at = '2030-01-01T00:00:00Z';
  if (action === 'labeled') payload.label = LABEL;
  return payload;
}

describe.skipIf(!available)('two instances sharing Redis', () => {
  let services: WebhookService[] = [];
  let github: FakeGitHub | undefined;
  afterAll(async () => {
    for (const s of services) await s.close(1000);
    await github?.close();
  });

  it('turns 100 deliveries with 20 % duplicates into exactly-once comments', async () => {
    github = await startFakeGitHub();
    github.pullFiles.set(2, [{ filename: 'src/m.c', status: 'added', additions: 1, deletions: 0, changes: 1, patch: addedPatch('int x;\n') }]);
    github.contents.set('src/m.c', 'int x;\n');
    const { a, b, bases } = await twoInstances(github, `t-${randomUUID()}`);
    services = [a, b];

    // 70 comment commands on 70 issues and 10 events of one pull request (one review between them)…
    const originals: Array<{ id: string; name: string; payload: unknown }> = [];
    for (let i = 0; i < 70; i++) originals.push({ id: `c-${i}`, name: 'issue_comment', payload: helpComment(1000 + i) });
    const actions = ['opened', 'labeled', 'synchronize'] as const;
    for (let i = 0; i < 10; i++) originals.push({ id: `pr-${i}`, name: 'pull_request', payload: prEvent(actions[i % 3] ?? 'opened') });
    // …plus 20 redeliveries of some of them, sent to the other instance.
    const deliveries = originals.map((d, i) => ({ ...d, base: bases[i % 2] ?? '' }));
    for (let i = 0; i < 20; i++) {
      const original = originals[(i * 7) % originals.length];
      if (original !== undefined) deliveries.push({ ...original, base: bases[((i * 7) % originals.length + 1) % 2] ?? '' });
    }
    expect(deliveries).toHaveLength(100);
    for (let i = 0; i < deliveries.length; i += 10) {
      const batch = deliveries.slice(i, i + 10);
      const statuses = await Promise.all(batch.map((d) => deliver(d.base, d)));
      expect(statuses).toEqual(Array(batch.length).fill(200));
    }
    await a.queue.drain();
    await b.queue.drain();

    for (let i = 0; i < 70; i++) expect(github.comments.get(1000 + i)?.length, `issue ${1000 + i}`).toBe(1);
    expect((github.comments.get(2) ?? []).filter((c) => c.body.includes(SUMMARY))).toHaveLength(1);
    const started = a.metrics.get('ftbot_jobs_started_total') + b.metrics.get('ftbot_jobs_started_total');
    const succeeded = a.metrics.get('ftbot_jobs_succeeded_total') + b.metrics.get('ftbot_jobs_succeeded_total');
    expect(succeeded).toBe(71);
    expect(started).toBe(71);
    // Both instances took work.
    expect(a.metrics.get('ftbot_jobs_succeeded_total')).toBeGreaterThan(0);
    expect(b.metrics.get('ftbot_jobs_succeeded_total')).toBeGreaterThan(0);
  });

  it('finishes running jobs on close and leaves queued ones to the other instance', async () => {
    const fake = await startFakeGitHub();
    fake.fault = (req) => (req.method === 'POST' && req.path.includes('/issues/') ? { status: 201, commit: true, delayMs: 200 } : undefined);
    const prefix = `t-${randomUUID()}`;
    const first = (await startService({ github: fake, queue: (events) => createRedisQueue({ url, prefix, concurrency: 2, perInstallation: 2, ...events }) })).service;
    for (let i = 0; i < 10; i++) {
      const keys = { delivery: `s-${i}`, work: `w${i}`, thread: `t${i}`, supersede: false, order: 0 };
      await first.queue.enqueue({ id: `s-${i}`, name: 'issue_comment', payload: helpComment(2000 + i), keys, installationId: 2, target: `x#${i}`, enqueuedAt: 0 });
    }
    // Let the first instance start some, then stop it.
    while (first.metrics.get('ftbot_jobs_started_total') === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await first.close(5000);
    const finishedByFirst = first.metrics.get('ftbot_jobs_succeeded_total');
    expect(finishedByFirst).toBe(first.metrics.get('ftbot_jobs_started_total'));
    const second = (await startService({ github: fake, queue: (events) => createRedisQueue({ url, prefix, concurrency: 4, perInstallation: 4, ...events }) })).service;
    await second.queue.drain();
    await second.close(1000);
    await fake.close();
    expect(finishedByFirst + second.metrics.get('ftbot_jobs_succeeded_total')).toBe(10);
    for (let i = 0; i < 10; i++) expect(fake.comments.get(2000 + i)?.length, `issue ${2000 + i}`).toBe(1);
  });
});
