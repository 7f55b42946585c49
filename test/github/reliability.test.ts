import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobKeys } from '../../src/github/queue/job-keys.js';
import { createMemoryQueue } from '../../src/github/queue/memory-queue.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { BOT_USER, deliver, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { addedPatch, loadWebhook } from '../helpers/probot-app.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const SHA1 = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const SHA2 = '1111111111111111111111111111111111111111';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const SUMMARY = '<!-- ftbot:summary v1 -->';

let github: FakeGitHub | undefined;
let service: WebhookService | undefined;
afterEach(async () => {
  await service?.close(1000);
  await github?.close();
  service = undefined;
  github = undefined;
});

async function setup(options: Parameters<typeof startService>[0] extends infer P ? Omit<P & object, 'github'> : never = {}) {
  github = await startFakeGitHub();
  const started = await startService({ github, ...options });
  service = started.service;
  const { port } = await service.listen(0, '127.0.0.1');
  return { github, service, lines: started.lines, base: `http://127.0.0.1:${port}` };
}

/** A human asks for `help` on issue `issue`: one reply expected. */
function helpComment(issue = 1, commentId = 77) {
  const payload = loadWebhook('issue_comment.created');
  payload.issue.number = issue;
  payload.comment.id = commentId;
  payload.comment.body = '@ftbot help';
  return payload;
}

function labeledPr(action: 'opened' | 'synchronize' | 'labeled', sha = SHA1) {
  const payload = loadWebhook(`pull_request.${action}`);
  // A new head is a later update of the pull request.
  if (sha !== SHA1) payload.pull_request.updated_at = '2030-01-01T00:00:00Z';
  payload.pull_request.labels = [LABEL];
  payload.pull_request.head.sha = sha;
  payload.pull_request.draft = false;
  payload.pull_request.state = 'open';
  if (action === 'labeled') payload.label = LABEL;
  return payload;
}

function prFiles(fake: FakeGitHub): void {
  fake.pullFiles.set(2, [{ filename: 'src/spam/spammodule.c', status: 'added', additions: 1, deletions: 0, changes: 1, patch: addedPatch(spam) }]);
  fake.contents.set('src/spam/spammodule.c', spam);
}

function botComments(fake: FakeGitHub, issue: number): number {
  return (fake.comments.get(issue) ?? []).filter((c) => c.user.type === 'Bot').length;
}

describe('idempotency keys', () => {
  it('gives opened, labeled and synchronize of one head the same work key, and a new head another', () => {
    const keys = (['opened', 'labeled', 'synchronize'] as const).map((a) => jobKeys(`d-${a}`, 'pull_request', labeledPr(a)));
    const works = new Set(keys.map((k) => ('keys' in k ? k.keys.work : k.skip)));
    expect(works.size).toBe(1);
    const next = jobKeys('d-2', 'pull_request', labeledPr('synchronize', SHA2));
    expect('keys' in next && !works.has(next.keys.work)).toBe(true);
  });

  it('skips events the app does not handle, bot senders, missing installations and odd payloads', () => {
    expect(jobKeys('d', 'push', { ref: 'x' })).toEqual({ skip: 'not handled' });
    const bot = helpComment();
    bot.sender = { ...bot.sender, type: 'Bot' };
    expect(jobKeys('d', 'issue_comment', bot)).toEqual({ skip: 'bot sender' });
    const none = helpComment();
    delete none.installation;
    expect(jobKeys('d', 'issue_comment', none)).toEqual({ skip: 'no installation' });
    expect(jobKeys('d', 'issue_comment', null)).toEqual({ skip: 'malformed payload' });
    expect(jobKeys('d', 'issue_comment', { action: 'created', installation: { id: 1 }, repository: { full_name: 'o/r' }, issue: { number: 'x' } })).toEqual({ skip: 'malformed payload' });
  });
});

describe('embedded queue', () => {
  it('runs jobs of one thread one at a time and lets a newer job replace a queued older one', async () => {
    const order: string[] = [];
    const queue = createMemoryQueue({ concurrency: 4, backoffMs: 1 });
    const job = (id: string, thread: string, order_: number) => ({
      id,
      name: 'pull_request',
      payload: {},
      keys: { delivery: id, work: `w-${id}`, thread, supersede: true, order: order_ },
      installationId: 1,
      target: thread,
      enqueuedAt: 0,
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.process(async (j) => {
      order.push(j.id);
      if (j.id === 'a') await gate;
      return 'done';
    });
    expect(await queue.enqueue(job('a', 't', 1))).toBe('queued');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await queue.enqueue(job('b', 't', 2))).toBe('queued');
    expect(await queue.enqueue(job('c', 't', 3))).toBe('queued');
    expect(await queue.enqueue(job('old', 't', 2))).toBe('stale');
    release();
    await queue.drain();
    expect(order).toEqual(['a', 'c']);
    await queue.close();
  });

  it('keeps each installation to its limit while one installation has hundreds queued, and runs them all in the end', async () => {
    const queue = createMemoryQueue({ concurrency: 4, perInstallation: 1, backoffMs: 1, attempts: 2 });
    const job = (id: string, installationId: number) => ({ id, name: 'issues', payload: {}, keys: { delivery: id, work: `w-${id}`, thread: id, supersede: false, order: 0 }, installationId, target: id, enqueuedAt: 0 });
    const running = new Map<number, number>();
    let most = 0;
    const done: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const retried = new Set<string>();
    queue.process(async (j) => {
      const inst = j.installationId ?? 0;
      running.set(inst, (running.get(inst) ?? 0) + 1);
      most = Math.max(most, running.get(inst) ?? 0);
      if (inst === 1) await gate;
      running.set(inst, (running.get(inst) ?? 1) - 1);
      // One job of the busy installation asks to be retried: it comes back behind the others.
      if (j.id === 'a-3' && !retried.has(j.id)) {
        retried.add(j.id);
        return 'retry';
      }
      done.push(j.id);
      return 'done';
    });
    for (let i = 0; i < 300; i++) await queue.enqueue(job(`a-${i}`, 1));
    await queue.enqueue(job('b-0', 2));
    // The other installation's job runs although installation 1 is at its limit with 299 queued.
    await vi.waitFor(() => expect(done).toEqual(['b-0']));
    release();
    await queue.drain();
    expect(done).toHaveLength(301);
    expect(done).toContain('a-3');
    expect(most).toBe(1);
    await queue.close(100);
  });

  it('retries a job that asks for it, then gives up and forgets its keys so a redelivery runs again', async () => {
    const queue = createMemoryQueue({ attempts: 3, backoffMs: 1 });
    let calls = 0;
    queue.process(async () => {
      calls++;
      return 'retry';
    });
    const job = { id: 'd', name: 'issues', payload: {}, keys: { delivery: 'd', work: 'w', thread: 't', supersede: false, order: 0 }, installationId: 1, target: 't', enqueuedAt: 0 };
    await queue.enqueue(job);
    await queue.drain();
    expect(calls).toBe(3);
    expect(await queue.enqueue(job)).toBe('queued');
    await queue.close(100);
  });
});

describe('redeliveries and duplicate events', () => {
  it('answers 10 sequential redeliveries of one delivery with exactly one comment', async () => {
    const { github: fake, service: svc, base } = await setup();
    for (let i = 0; i < 10; i++) expect(await deliver(base, { id: 'same-delivery', name: 'issue_comment', payload: helpComment() })).toBe(200);
    await svc.queue.drain();
    expect(botComments(fake, 1)).toBe(1);
    expect(svc.metrics.get('ftbot_jobs_deduplicated_total')).toBe(9);
  });

  it('answers 10 concurrent redeliveries of one delivery with exactly one comment', async () => {
    const { github: fake, service: svc, base } = await setup();
    const statuses = await Promise.all(Array.from({ length: 10 }, () => deliver(base, { id: 'same-delivery', name: 'issue_comment', payload: helpComment() })));
    expect(statuses).toEqual(Array(10).fill(200));
    await svc.queue.drain();
    expect(botComments(fake, 1)).toBe(1);
  });

  const orderings = [
    ['opened', 'labeled', 'synchronize'],
    ['opened', 'synchronize', 'labeled'],
    ['labeled', 'opened', 'synchronize'],
    ['labeled', 'synchronize', 'opened'],
    ['synchronize', 'opened', 'labeled'],
    ['synchronize', 'labeled', 'opened'],
  ] as const;

  for (const forget of [false, true]) {
    it(`posts one summary and one review for every ordering of opened, labeled and synchronize${forget ? ' (work keys forgotten at once)' : ''}`, async () => {
      for (const ordering of orderings) {
        const { github: fake, service: svc, base } = await setup(forget ? { limits: { dedupTtlMs: 1 } } : {});
        prFiles(fake);
        for (const [i, action] of ordering.entries()) {
          expect(await deliver(base, { id: `${ordering.join('-')}-${i}`, name: 'pull_request', payload: labeledPr(action) })).toBe(200);
          if (forget) {
            await svc.queue.drain();
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        }
        await svc.queue.drain();
        const summaries = (fake.comments.get(2) ?? []).filter((c) => c.body.includes(SUMMARY));
        expect(summaries, ordering.join(',')).toHaveLength(1);
        expect(fake.reviews.get(2), ordering.join(',')).toHaveLength(1);
        // A new head: the summary is edited in place.
        await deliver(base, { id: `${ordering.join('-')}-new`, name: 'pull_request', payload: labeledPr('synchronize', SHA2) });
        await svc.queue.drain();
        expect((fake.comments.get(2) ?? []).filter((c) => c.body.includes(SUMMARY))).toHaveLength(1);
        expect(fake.comments.get(2)?.[0]?.body).toContain(SHA2.slice(0, 7));
        await svc.close(1000);
        await fake.close();
        service = undefined;
        github = undefined;
      }
    });
  }

  it('makes no further write when its own comments come back as webhooks, for 100 rounds', async () => {
    const { github: fake, service: svc, base } = await setup();
    await deliver(base, { id: 'human', name: 'issue_comment', payload: helpComment() });
    await svc.queue.drain();
    expect(fake.writes).toHaveLength(1);
    for (let round = 0; round < 100; round++) {
      const own = fake.comments.get(1)?.at(-1);
      const payload = helpComment(1, own?.id ?? round);
      payload.comment.body = own?.body ?? '';
      payload.comment.user = { ...payload.comment.user, ...BOT_USER };
      payload.sender = { ...payload.sender, ...BOT_USER };
      await deliver(base, { id: `echo-${round}`, name: 'issue_comment', payload });
    }
    await svc.queue.drain();
    expect(fake.writes).toHaveLength(1);
  });
});

describe('GitHub failures', () => {
  it('posts one summary when the first POST got a 502 although GitHub stored it (Octokit retries on)', async () => {
    const { github: fake, service: svc, lines } = await setup({ retry: true });
    prFiles(fake);
    let failed = 0;
    fake.fault = (req) => {
      if (req.method === 'POST' && req.path.endsWith('/issues/2/comments') && failed === 0) {
        failed++;
        return { status: 502, commit: true, body: { message: 'Bad Gateway' } };
      }
      return undefined;
    };
    await svc.queue.enqueue({ id: 'amb', name: 'pull_request', payload: labeledPr('opened'), ...keysOf('amb', labeledPr('opened')), enqueuedAt: 0 });
    await svc.queue.drain();
    expect((fake.comments.get(2) ?? []).filter((c) => c.body.includes(SUMMARY))).toHaveLength(1);
    expect(fake.reviews.get(2)).toHaveLength(1);
    expect(fake.log.filter((r) => r.method === 'POST' && r.path.endsWith('/issues/2/comments'))).toHaveLength(1);
    expect(svc.metrics.get('ftbot_jobs_retried_total')).toBe(1);
    expect(lines.some((l) => l.msg === 'handler failed' && l.retry === true)).toBe(true);
  });

  it('waits out secondary rate limits across 50 jobs: nothing lost, nothing duplicated', async () => {
    const { github: fake, service: svc, base } = await setup({ limits: { concurrency: 8, perInstallation: 8 } });
    let posts = 0;
    fake.fault = (req) => {
      if (req.method !== 'POST' || !req.path.includes('/issues/')) return undefined;
      posts++;
      // Every third comment POST is refused once; some with `retry-after`, some without.
      if (posts % 3 !== 0) return undefined;
      return { status: 403, body: { message: 'You have exceeded a secondary rate limit' }, headers: posts % 2 === 0 ? { 'retry-after': '2' } : {} };
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => deliver(base, { id: `sec-${i}`, name: 'issue_comment', payload: helpComment(100 + i, 9000 + i) })));
    await svc.queue.drain();
    for (let i = 0; i < 50; i++) expect(botComments(fake, 100 + i), `issue ${100 + i}`).toBe(1);
    // 50 comments took more than 50 POSTs: the refused ones were sent again after the wait.
    expect(posts).toBeGreaterThanOrEqual(70);
    expect(svc.metrics.get('ftbot_jobs_failed_total')).toBe(0);
  });

  it('recovers a review rejected for an off-diff line by posting it without inline comments', async () => {
    const { github: fake, service: svc } = await setup();
    prFiles(fake);
    let reviewPosts = 0;
    fake.fault = (req) => {
      if (req.method === 'POST' && req.path.endsWith('/pulls/2/reviews') && reviewPosts++ === 0) {
        return { status: 422, body: { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] } };
      }
      return undefined;
    };
    await svc.queue.enqueue({ id: 'r422', name: 'pull_request', payload: labeledPr('opened'), ...keysOf('r422', labeledPr('opened')), enqueuedAt: 0 });
    await svc.queue.drain();
    expect(reviewPosts).toBe(2);
    const review = fake.reviews.get(2)?.[0] as { comments: unknown[]; body: string };
    expect(review.comments).toEqual([]);
    expect(review.body).toContain('could not be placed on the diff');
    expect((fake.comments.get(2) ?? []).filter((c) => c.body.includes(SUMMARY))).toHaveLength(1);
  });

  for (const status of [403, 404, 410]) {
    it(`ends the job cleanly with one log line on ${status}`, async () => {
      const { github: fake, service: svc, lines } = await setup();
      fake.fault = (req) => (req.path.endsWith('/issues/1/comments') ? { status, body: { message: status === 403 ? 'Resource not accessible by integration' : 'Not Found' } } : undefined);
      await svc.queue.enqueue({ id: `gone-${status}`, name: 'issue_comment', payload: helpComment(), ...keysOf(`gone-${status}`, helpComment(), 'issue_comment'), enqueuedAt: 0 });
      await svc.queue.drain();
      expect(fake.log.filter((r) => r.path.endsWith('/issues/1/comments'))).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'target gone or access revoked; job ended')).toHaveLength(1);
      expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
      expect(svc.metrics.get('ftbot_jobs_succeeded_total')).toBe(1);
    });
  }
});

describe('ingress', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    const { base } = await setup();
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await deliver(base, { id: 'm1', name: 'issue_comment', payload: helpComment() });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('ftbot_webhooks_received_total 1');
    expect(metrics).toMatch(/ftbot_jobs_enqueued_total 1\n/);
    expect(metrics).toContain('# TYPE ftbot_queue_waiting gauge');
  });

  it('answers 503 on /readyz once the queue is closed', async () => {
    const { service: svc, base } = await setup();
    await svc.queue.close(10);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('acknowledges before the work is done', async () => {
    const { github: fake, service: svc, base } = await setup();
    fake.fault = (req) => (req.method === 'POST' ? { status: 201, delayMs: 300, commit: true } : undefined);
    expect(await deliver(base, { id: 'fast', name: 'issue_comment', payload: helpComment() })).toBe(200);
    // Answered while the comment POST is still held by GitHub.
    expect(botComments(fake, 1)).toBe(0);
    await svc.queue.drain();
    expect(botComments(fake, 1)).toBe(1);
  });

  it('logs every job line with the delivery id, installation, repository and number, and no token', async () => {
    const { service: svc, base, lines } = await setup();
    await deliver(base, { id: 'traced', name: 'issue_comment', payload: helpComment() });
    await svc.queue.drain();
    const handlerLines = lines.filter((l) => l.msg === 'mention command');
    expect(handlerLines).toHaveLength(1);
    expect(handlerLines[0]).toMatchObject({ deliveryId: 'traced', installation: 2, repo: 'Codertocat/Hello-World', number: 1 });
    expect(JSON.stringify(lines)).not.toContain('ghs_fake');
  });
});

function keysOf(id: string, payload: unknown, name = 'pull_request') {
  const keyed = jobKeys(id, name, payload);
  if ('skip' in keyed) throw new Error(keyed.skip);
  return { keys: keyed.keys, installationId: keyed.installationId, target: keyed.target };
}
