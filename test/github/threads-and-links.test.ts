import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { docsLinks } from '../../src/github/app.js';
import { createDocsHandler } from '../../src/github/docs-routes.js';
import { parseMention } from '../../src/github/handlers/on-issue-comment.js';
import { loadKnowledge } from '../../src/io/load-knowledge.js';
import {
  addedPatch,
  createTestProbot,
  createThread,
  githubApi,
  loadWebhook,
  mockCheckRuns,
  mockConfig,
  mockCreateComment,
  mockCreateReview,
  mockListComments,
  mockListReviewComments,
  mockPullFiles,
  mockToken,
  REPO,
  receive,
} from '../helpers/probot-app.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
/** Hosts that only ever stood in for a real address. */
const PLACEHOLDER = /example\.(?:com|org|net|test)|github\.com\/ftbot\/ftbot|localhost/i;

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

function reviewComment(body: string, inReplyTo?: number) {
  const payload = loadWebhook('pull_request_review_comment.created');
  payload.comment.body = body;
  payload.comment.author_association = 'OWNER';
  if (inReplyTo !== undefined) payload.comment.in_reply_to_id = inReplyTo;
  return payload;
}

describe('commands in review-comment threads', () => {
  it('answers `@ftbot help` in the thread, replying to its first comment', async () => {
    const { probot } = createTestProbot();
    const api = githubApi();
    mockToken(api.scope);
    const replies: Array<{ path: string; body: string }> = [];
    api.scope.post(/\/pulls\/2\/comments\/\d+\/replies$/).reply(201, (path, body) => {
      replies.push({ path, body: (body as { body: string }).body });
      return { id: 9 };
    });
    await receive(probot, 'pull_request_review_comment.created', reviewComment('@ftbot help', 5000));
    finish(api);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.path).toBe(`${REPO}/pulls/2/comments/5000/replies`);
    expect(replies[0]?.body.split('\n')[0]).toBe('Commands (mention the app, then the command):');
  });

  it('runs `/ftbot scan` from a thread as a review of the pull request, and ignores its own comments', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    const pr = loadWebhook('pull_request.labeled').pull_request;
    pr.labels = [LABEL];
    api.scope.get(`${REPO}/pulls/2`).reply(200, pr);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA);
    mockPullFiles(api.scope, 2, [{ path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) }], SHA);
    mockListReviewComments(api.scope, thread, 2);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request_review_comment.created', reviewComment('/ftbot scan'));
    const own = reviewComment('@ftbot help');
    own.comment.user = { ...own.comment.user, login: 'ftbot[bot]', type: 'Bot' };
    await receive(probot, 'pull_request_review_comment.created', own, 'own');
    finish(api);
    expect(thread.reviews).toHaveLength(1);
    expect(thread.checks.runs).toHaveLength(1);
  });

  it('reads `/ftbot` and `/<slug>` at the start of a line as a mention', () => {
    expect(parseMention('/ftbot suggest src/a.c:3', 'ftbot-dev')).toEqual({ name: 'suggest', args: 'src/a.c:3', text: 'suggest src/a.c:3' });
    expect(parseMention('Thanks\n  /ftbot-dev wheels numpy', 'ftbot-dev')).toMatchObject({ name: 'wheels', args: 'numpy' });
    expect(parseMention('see a/ftbot scan', 'ftbot')).toBeUndefined();
    expect(parseMention('`/ftbot scan`', 'ftbot')).toBeUndefined();
  });
});

describe('links', () => {
  it('posts no placeholder host: without a docs site, rule ids are plain and knowledge links go upstream', async () => {
    const { probot } = createTestProbot({ docsBaseUrl: '' });
    const thread = createThread();
    const api = githubApi();
    const bodies: string[] = [];
    api.scope.on('request', (_req: unknown, _interceptor: unknown, body: string) => {
      if (body !== undefined && body !== '') bodies.push(body);
    });
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA);
    mockPullFiles(api.scope, 2, [{ path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) }], SHA);
    mockListReviewComments(api.scope, thread, 2);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    const payload = loadWebhook('pull_request.labeled');
    payload.pull_request.labels = [LABEL];
    payload.label = LABEL;
    await receive(probot, 'pull_request.labeled', payload);
    finish(api);
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const body of bodies) expect(body).not.toMatch(PLACEHOLDER);
    const review = thread.reviews[0] as { comments: Array<{ body: string }> };
    const first = review.comments[0]?.body ?? '';
    expect(first).toMatch(/^\*\*FT004\*\* .* \(FT004: borrowed-ref-then-incref\)/);
    expect(first).toContain('Why: ');
    expect(first).toContain('Background: [Why Py_NewRef(PyList_GetItem(...)) is not a fix](https://py-free-threading.github.io/porting-extensions/)');
    expect(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')).not.toMatch(PLACEHOLDER);
  });

  it('links the server’s own pages when FTBOT_PUBLIC_URL is set', () => {
    expect(docsLinks({ publicUrl: 'https://ftbot.acme.dev' })).toEqual({ docsBaseUrl: 'https://ftbot.acme.dev/docs/rules/', knowledgeBaseUrl: 'https://ftbot.acme.dev/docs/' });
    expect(docsLinks({})).toEqual({ docsBaseUrl: '' });
  });
});

/** Calls the docs handler as the server would, and records the answer. */
async function get(url: string): Promise<{ handled: boolean; status: number; headers: Record<string, string>; body: string }> {
  const out = { handled: false, status: 0, headers: {} as Record<string, string>, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, string> = {}) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(body?: string) {
      out.body = body ?? '';
      return res;
    },
  };
  out.handled = await createDocsHandler()({ method: 'GET', url } as IncomingMessage, res as unknown as ServerResponse);
  return out;
}

describe('docs routes', () => {
  it('serves the rule index, a rule page and a knowledge page as HTML with the anchors posted links use', async () => {
    const index = await get('/docs/rules/');
    expect(index).toMatchObject({ handled: true, status: 200 });
    expect(index.body).toContain('<a href="ft001-dict-get-item-borrowed">');

    const rule = await get('/docs/rules/ft001-dict-get-item-borrowed.md');
    expect(rule.status).toBe(200);
    expect(rule.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(rule.body).toMatch(/<h1 id="[^"]+">/);
    expect(rule.body).not.toContain('<script');

    const knowledge = await get('/docs/knowledge/dict-borrowed-references.md');
    expect(knowledge.status).toBe(200);
    const chunk = (await loadKnowledge()).chunks.find((c) => c.page === 'knowledge/dict-borrowed-references.md' && c.anchor !== '');
    expect(knowledge.body).toContain(`id="${chunk?.anchor}"`);
  });

  it('redirects repository-style knowledge links, answers 404 for unknown pages and leaves other paths to the next handler', async () => {
    expect(await get('/knowledge/faq.md')).toMatchObject({ status: 301, headers: { location: '/docs/knowledge/faq.md' } });
    expect(await get('/docs/rules')).toMatchObject({ status: 301, headers: { location: '/docs/rules/' } });
    expect(await get('/docs/rules/ft999-nothing')).toMatchObject({ handled: true, status: 404 });
    expect((await get('/docs/rules/..%2F..%2Fpackage.json')).handled).toBe(false);
    expect((await get('/api/github/webhooks')).handled).toBe(false);
  });
});
