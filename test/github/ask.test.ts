import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOT_COVERED_ANSWER } from '../../src/core/knowledge/index.js';
import { parseMention, readsAsQuestion } from '../../src/github/handlers/on-issue-comment.js';
import {
  createTestProbot,
  createThread,
  githubApi,
  loadWebhook,
  mockConfig,
  mockCreateComment,
  mockToken,
  REPO,
  receive,
} from '../helpers/probot-app.js';
import { snapshotFile } from '../helpers/bodies.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const HEAD = 'abcdef1234567890abcdef1234567890abcdef12';

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

function comment(body: string, options: { association?: string; pull?: boolean } = {}) {
  const payload = loadWebhook('issue_comment.created');
  payload.comment.body = body;
  payload.comment.author_association = options.association ?? 'NONE';
  if (options.pull === true) {
    // A comment on a pull request's conversation: the issue carries a `pull_request` link.
    payload.issue.number = 2;
    payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2', html_url: 'https://github.com/Codertocat/Hello-World/pull/2', diff_url: null, patch_url: null };
  }
  return payload;
}

describe('parsing questions', () => {
  it('keeps code spans after the mention and joins a wrapped paragraph', () => {
    expect(parseMention('@ftbot ask why is `src/a.c:3`\nflagged?\n\nthanks', 'ftbot')).toEqual({ name: 'ask', args: 'why is `src/a.c:3`', text: 'ask why is `src/a.c:3` flagged?' });
    expect(parseMention('@ftbot, what replaces PyList_GetItem?', 'ftbot')?.text).toBe('what replaces PyList_GetItem?');
  });

  it('tells questions from unknown commands', () => {
    expect(readsAsQuestion('what replaces PyList_GetItem')).toBe(true);
    expect(readsAsQuestion('PyDict_Next safe?')).toBe(true);
    expect(readsAsQuestion('frobnicate')).toBe(false);
    expect(readsAsQuestion('thanks!')).toBe(false);
    expect(readsAsQuestion('how')).toBe(false);
  });
});

describe('ask', () => {
  it('answers a covered question with citations linked to the knowledge pages and upstream', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot ask What replaces PyList_GetItem?'));
    finish(api);
    expect(thread.comments).toHaveLength(1);
    const body = thread.comments[0]?.body ?? '';
    expect(body).not.toContain(NOT_COVERED_ANSWER);
    await expect(body).toMatchFileSnapshot(snapshotFile('github', 'ask-answer.md'));
  });

  it('answers an uncovered question briefly, with the commands', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot ask how do I make coffee with python?'));
    finish(api);
    const body = thread.comments[0]?.body ?? '';
    expect(body).toContain(NOT_COVERED_ANSWER);
    await expect(body).toMatchFileSnapshot(snapshotFile('github', 'ask-not-covered.md'));
  });

  it('answers a bare question after the mention', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('Thanks.\n\n@ftbot is PyDict_Next safe without a critical section?'));
    finish(api);
    const body = thread.comments[0]?.body ?? '';
    expect(body.split('\n')[0]).toBe('> is PyDict_Next safe without a critical section?');
    expect(body).toContain('Sources:');
    expect(body).toMatch(/https:\/\/example\.test\/knowledge\/[\w-]+\.md#/);
  });

  it('never turns an @ in the question into a live mention', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot ask @octocat says PyDict_GetItem is fine, is it?'));
    await receive(probot, 'issue_comment.created', comment('@ftbot ask can @org/team brew coffee?'));
    finish(api);
    for (const c of thread.comments) expect(c.body).not.toMatch(/@(?!\u200b)(?:octocat|org)/);
    expect(thread.comments[0]?.body).toContain('@\u200boctocat');
    expect(thread.comments[1]?.body).toContain('@\u200borg/team');
  });

  it('lists the findings near a `path:line` named on a pull request, with rule and knowledge links', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    api.scope.get(`${REPO}/pulls/2`).reply(200, { number: 2, head: { sha: HEAD, repo: { name: 'Hello-World', owner: { login: 'Codertocat' } } } });
    mockConfig(api.scope);
    api.scope.get(`${REPO}/contents/src%2Fspam%2Fspammodule.c`).query({ ref: HEAD }).reply(200, spam, { 'content-type': 'application/vnd.github.raw' });
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'issue_comment.created', comment('@ftbot why is `src/spam/spammodule.c:19` a problem for PyDict_GetItem?', { pull: true }));
    finish(api);
    const body = thread.comments[0]?.body ?? '';
    await expect(body).toMatchFileSnapshot(snapshotFile('github', 'ask-near-line.md'));
  });

  it('names a `path:line` it cannot read instead of failing', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    api.scope.get(`${REPO}/pulls/2`).reply(200, { number: 2, head: { sha: HEAD, repo: { name: 'Hello-World', owner: { login: 'Codertocat' } } } });
    mockConfig(api.scope);
    api.scope.get(`${REPO}/contents/src%2Fgone.c`).query({ ref: HEAD }).reply(404, { message: 'Not Found' });
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'issue_comment.created', comment('@ftbot ask is src/gone.c:3 using PyList_GetItem safely?', { pull: true }));
    finish(api);
    expect(thread.comments[0]?.body).toContain('Could not scan `src/gone.c:3` at `abcdef1`: not found at the head commit.');
  });

  it('answers at most five questions per issue per hour, and says so once', async () => {
    let now = 1_000_000;
    const { probot } = createTestProbot({ now: () => now });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    for (let i = 0; i < 7; i++) mockCreateComment(api.scope, thread, 1);
    for (let i = 0; i < 8; i++) await receive(probot, 'issue_comment.created', comment('@ftbot ask what replaces PyDict_GetItem?'), `d${i}`);
    expect(thread.comments).toHaveLength(6);
    expect(thread.comments[5]?.body).toBe('ftbot answers at most 5 questions and wheel or dependency checks per issue or pull request per hour. Ask again later.');
    now += 3_600_001;
    await receive(probot, 'issue_comment.created', comment('@ftbot ask what replaces PyDict_GetItem?'), 'd9');
    finish(api);
    expect(thread.comments).toHaveLength(7);
    expect(thread.comments[6]?.body).toContain('Sources:');
  });

  it('answers a long question with a pasted log: reads past the paragraph, trims the log, quotes the question', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    const log = Array.from({ length: 300 }, (_, i) => `  File "/site-packages/pkg/mod${i}.py", line ${i}, in <module>`).join('\n');
    const body = [
      `@ftbot ask our pybind11 extension prints a warning on 3.14t when imported; ${'we build wheels with cibuildwheel and test them in CI on every platform, '.repeat(8)}`,
      '',
      '```',
      'Traceback (most recent call last):',
      log,
      "RuntimeWarning: The global interpreter lock (GIL) has been enabled to load module 'ext._core', which has not declared that it can run safely without the GIL.",
      '```',
      '',
      'How do we declare that the module does not need the GIL?',
    ].join('\n');
    expect(body.length).toBeGreaterThan(15_000);
    await receive(probot, 'issue_comment.created', comment(body));
    finish(api);
    const reply = thread.comments[0]?.body ?? '';
    expect(reply.split('\n')[0]).toBe('> How do we declare that the module does not need the GIL?');
    expect(reply).toContain('mod_gil_not_used');
    expect(reply).not.toContain('mod299.py');
  });
});
