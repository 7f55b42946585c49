import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../../src/github/queue/memory-queue.js';
import { readServiceSettings } from '../../src/github/queue/read-service-settings.js';
import type { QueueEvent, WebhookJob } from '../../src/github/queue/types.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { deliver, sign, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { loadWebhook } from '../helpers/probot-app.js';

/** The embedded queue's bound (issue 14): a full queue refuses, it never drops what it took. */
function job(id: string, thread = id, supersede = false): WebhookJob {
  return { id, name: 'issues', payload: {}, keys: { delivery: id, work: `w-${id}`, thread, supersede, order: 0 }, installationId: 1, target: thread, enqueuedAt: 0 };
}

describe('memory queue bound', () => {
  it('refuses a job past maxWaiting, takes its redelivery once there is room, and keeps every job it took', async () => {
    const events: Array<[QueueEvent, string]> = [];
    const queue = createMemoryQueue({ maxWaiting: 3, onEvent: (event, j) => events.push([event, j.id]) });
    expect(await Promise.all(['a', 'b', 'c'].map((id) => queue.enqueue(job(id))))).toEqual(['queued', 'queued', 'queued']);
    expect(await queue.enqueue(job('d'))).toBe('full');
    expect(events.at(-1)).toEqual(['refused', 'd']);
    expect(await queue.counts()).toEqual({ waiting: 3, active: 0 });

    // Room again: the three queued jobs run, then GitHub's redelivery of `d` (same id) is taken.
    const ran: string[] = [];
    queue.process(async (j) => {
      ran.push(j.id);
      return 'done';
    });
    await queue.drain();
    expect(await queue.enqueue(job('d'))).toBe('queued');
    await queue.drain();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    await queue.close(100);
  });

  it('takes a job that replaces a queued one of its thread even when full, so no newer head is refused', async () => {
    const queue = createMemoryQueue({ maxWaiting: 2 });
    await queue.enqueue(job('pr-head-1', 'o/r#1', true));
    await queue.enqueue(job('other', 'o/r#2'));
    expect(await queue.enqueue(job('third', 'o/r#3'))).toBe('full');
    expect(await queue.enqueue(job('pr-head-2', 'o/r#1', true))).toBe('queued');
    expect(await queue.counts()).toEqual({ waiting: 2, active: 0 });
    await queue.close(100);
  });

  it('reads its bound from FTBOT_MAX_QUEUED, 5000 by default', () => {
    const base = { WEBHOOK_SECRET: 's' };
    const read = (env: Record<string, string>) => {
      const result = readServiceSettings({ ...base, ...env });
      return 'settings' in result ? result.settings.limits.maxWaiting : result.error;
    };
    expect(read({})).toBe(5000);
    expect(read({ FTBOT_MAX_QUEUED: '200' })).toBe(200);
    expect(read({ FTBOT_MAX_QUEUED: '0' })).toBe('FTBOT_MAX_QUEUED must be an integer >= 1, got `0`');
  });
});

describe('webhook endpoint with a full queue', () => {
  let github: FakeGitHub;
  let service: WebhookService;
  let base: string;
  let lines: Array<Record<string, unknown>>;

  beforeAll(async () => {
    github = await startFakeGitHub();
    // A queue whose jobs never start, so it only fills.
    const started = await startService({
      github,
      queue: (events) => {
        const queue = createMemoryQueue({ maxWaiting: 2, ...events });
        return { ...queue, process: () => undefined };
      },
    });
    service = started.service;
    lines = started.lines;
    base = `http://127.0.0.1:${(await service.listen(0, '127.0.0.1')).port}`;
  });

  afterAll(async () => {
    await service.close(100);
    await github.close();
  });

  it('answers 503 with retry-after past the bound, logs and counts the refusal, and calls no GitHub API', async () => {
    const comment = (n: number) => {
      const payload = loadWebhook('issue_comment.created');
      payload.comment.body = '@ftbot help';
      payload.comment.id = 9000 + n;
      payload.issue.number = 100 + n;
      return payload;
    };
    expect(await deliver(base, { id: 'full-1', name: 'issue_comment', payload: comment(1) })).toBe(200);
    expect(await deliver(base, { id: 'full-2', name: 'issue_comment', payload: comment(2) })).toBe(200);
    const body = JSON.stringify(comment(3));
    const refused = await fetch(`${base}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': 'full-3', 'x-hub-signature-256': sign(body) },
      body,
    });
    expect([refused.status, refused.headers.get('retry-after'), await refused.text()]).toEqual([503, '60', 'queue full\n']);
    expect(service.metrics.get('ftbot_jobs_refused_total')).toBe(1);
    expect(service.metrics.get('ftbot_jobs_enqueued_total')).toBe(2);
    expect(lines.some((l) => l.msg?.toString().startsWith('queue full') === true && l.deliveryId === 'full-3')).toBe(true);
    expect(github.log).toEqual([]);
  });
});
