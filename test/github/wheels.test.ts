import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createPypiIndex } from '../../src/io/pypi-index.js';
import {
  addedPatch,
  createTestProbot,
  createThread,
  githubApi,
  loadWebhook,
  mockConfig,
  mockCreateComment,
  mockCreateReview,
  mockListComments,
  mockCheckRuns,
  mockListReviewComments,
  mockPullFiles,
  mockToken,
  REPO,
  receive,
} from '../helpers/probot-app.js';
import { snapshotFile } from '../helpers/bodies.js';

const root = new URL('../../examples/spamext/', import.meta.url);
const pyproject = readFileSync(new URL('pyproject.toml', root), 'utf8');
const spam = readFileSync(new URL('src/spam/spammodule.c', root), 'utf8');
const COMMIT = '3333333333333333333333333333333333333333';
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };

/** A release with a free-threaded Linux wheel, a Windows wheel for the default build and an sdist. */
const RELEASE = {
  info: { name: 'spamext', version: '0.3.0' },
  urls: [
    { filename: 'spamext-0.3.0-cp314-cp314t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', packagetype: 'bdist_wheel', yanked: false },
    { filename: 'spamext-0.3.0-cp314-cp314-win_amd64.whl', packagetype: 'bdist_wheel', yanked: false },
    { filename: 'spamext-0.3.0.tar.gz', packagetype: 'sdist', yanked: false },
  ],
};

function finish(api: ReturnType<typeof githubApi>, pypi?: nock.Scope): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
  if (pypi !== undefined) expect(pypi.pendingMocks()).toEqual([]);
}

function comment(body: string) {
  const payload = loadWebhook('issue_comment.created');
  payload.comment.body = body;
  payload.comment.author_association = 'NONE';
  return payload;
}

describe('wheels command', () => {
  it('shows the matrix of a named release from PyPI', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/spamext/0.3.0/json').reply(200, RELEASE);
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot wheels spamext==0.3.0'));
    finish(api, pypi);
    const body = thread.comments[0]?.body ?? '';
    await expect(body).toMatchFileSnapshot(snapshotFile('github', 'wheels-reply.md'));
  });

  it('defaults to the project of pyproject.toml, and shows a 404 as the "could not check" note', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/spamext/json').reply(404, { message: 'Not Found' });
    mockToken(api.scope);
    mockConfig(api.scope, { pyproject });
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot wheels'));
    finish(api, pypi);
    expect(thread.comments[0]?.body).toBe('### Free-threaded wheels: `spamext`\n\nCould not check: PyPI has no project `spamext`');
  });

  it('shows a PyPI timeout as the "could not check" note', async () => {
    const { probot, logs } = createTestProbot({ packageIndex: createPypiIndex({ timeoutMs: 50 }) });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/numpy/json').delay(1000).reply(200, RELEASE);
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot wheels numpy'));
    finish(api, pypi);
    expect(thread.comments[0]?.body).toBe('### Free-threaded wheels: `numpy`\n\nCould not check: PyPI did not answer within 50 ms for `numpy`');
    expect(logs.some((l) => l.msg === 'handler failed')).toBe(false);
  });

  it('names the missing project instead of asking PyPI', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot wheels'));
    finish(api);
    expect(thread.comments[0]?.body).toContain('Name a project: `@ftbot wheels <project>[==<version>]`.');
  });
});

describe('wheel matrix in triage and summaries', () => {
  it('shows the matrix in the issue triage comment', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/spamext/json').reply(200, RELEASE);
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 1);
    api.scope.get(`${REPO}/branches/master`).reply(200, { name: 'master', commit: { sha: COMMIT, commit: { tree: { sha: 'tree1' } } } });
    const tree = ['pyproject.toml', 'src/spam/spammodule.c'];
    api.scope
      .get(`${REPO}/git/trees/tree1`)
      .query({ recursive: 'true' })
      .reply(200, { sha: 'tree1', truncated: false, tree: tree.map((path, i) => ({ path, type: 'blob', sha: `b${i}`, size: 100, mode: '100644' })) });
    tree.forEach((path, i) => {
      api.scope.get(`${REPO}/git/blobs/b${i}`).reply(200, { sha: `b${i}`, encoding: 'base64', content: readFileSync(new URL(path, root)).toString('base64'), size: 100 });
    });
    mockCreateComment(api.scope, thread, 1);
    const payload = loadWebhook('issues.labeled');
    payload.issue.labels = [LABEL];
    payload.label = LABEL;
    await receive(probot, 'issues.labeled', payload);
    finish(api, pypi);
    const body = thread.comments[0]?.body ?? '';
    expect(body).toContain('### Free-threaded wheels: `spamext` 0.3.0\n\nWheels install on 3.14t.');
    // The matrix sits in "Build and CI", before the checklist, and ticks the `t` wheels item.
    expect(body.indexOf('### Free-threaded wheels')).toBeLessThan(body.indexOf('### Porting checklist'));
    expect(body).toContain('- [x] Build `t` wheels');
    // Hazard examples link their knowledge section.
    expect(body).toMatch(/\[FT004\]\([^)]+\) [^|]+ \(\[background\]\(https:\/\/example\.test\/knowledge\/newref-around-borrowed-call\.md#[\w-]+\)\)/);
  });

  function labeledPr() {
    const payload = loadWebhook('pull_request.opened');
    payload.pull_request.labels = [LABEL];
    payload.pull_request.head.sha = SHA;
    return payload;
  }

  it('shows the matrix in the pull-request summary when a build file changed', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/spamext/json').reply(200, RELEASE);
    const changed = pyproject.replace('version = "0.3.0"', 'version = "0.4.0"');
    mockToken(api.scope);
    mockConfig(api.scope, { pyproject });
    mockListComments(api.scope, thread, 2);
    mockPullFiles(api.scope, 2, [{ path: 'pyproject.toml', text: changed, patch: addedPatch(changed) }], SHA);
    // `pyproject.toml` is also a dependency file: the head's root tree is listed for the others.
    api.scope.get(`${REPO}/git/trees/${SHA}`).reply(200, { sha: SHA, truncated: false, tree: [{ path: 'pyproject.toml', type: 'blob', sha: 'p1', size: 100, mode: '100644' }] });
    mockListReviewComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr());
    finish(api, pypi);
    const summary = thread.comments[0]?.body ?? '';
    expect(summary).toContain('<!-- ftbot:summary v1 -->');
    expect(summary).toContain('### Free-threaded wheels: `spamext` 0.3.0');
    expect(summary).toContain('### Dependencies on free-threaded CPython\n\nNo dependency to check.');
  });

  it('leaves the matrix out of the summary when only sources changed, and links inline comments to the knowledge base', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope, { pyproject });
    mockListComments(api.scope, thread, 2);
    mockPullFiles(api.scope, 2, [{ path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) }], SHA);
    mockListReviewComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr());
    // No PyPI interceptor: a request would show up as unmatched or a network error in the summary.
    finish(api);
    const summary = thread.comments[0]?.body ?? '';
    expect(summary).toContain('<!-- ftbot:summary v1 -->');
    expect(summary).not.toContain('Free-threaded wheels');
    const review = thread.reviews[0] as { comments: Array<{ body: string }> };
    const first = review.comments[0]?.body ?? '';
    expect(first).toMatch(/\nBackground: \[[^\]]+\]\(https:\/\/example\.test\/knowledge\/[\w-]+\.md#[\w-]+\)\n/);
  });
});
