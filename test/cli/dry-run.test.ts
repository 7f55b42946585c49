import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { parseGitHubRef } from '../../src/cli/parse-github-ref.js';
import { createPypiIndex } from '../../src/io/pypi-index.js';
import { createFakeIo } from '../helpers/fake-io.js';
import {
  addedPatch,
  createTestProbot,
  createThread,
  DOCS,
  githubApi,
  loadWebhook,
  mockConfig,
  mockListComments,
  mockCheckRuns,
  mockListReviewComments,
  mockPullFiles,
  mockToken,
  receive,
  REPO,
  type ChangedFile,
  type Thread,
} from '../helpers/probot-app.js';

// Recorded data: the webhook fixtures' repository and pull request, the sample extension's files.
const root = new URL('../../examples/spamext/', import.meta.url);
const spam = readFileSync(new URL('src/spam/spammodule.c', root), 'utf8');
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const COMMIT = '3333333333333333333333333333333333333333';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const TREE = ['src/spam/spammodule.c', 'src/spam/legacy.c', 'src/fastcount/fastcount.pyx', 'pyproject.toml', 'README.md'];
const RELEASE = {
  info: { name: 'spamext', version: '0.3.0' },
  urls: [
    { filename: 'spamext-0.3.0-cp314-cp314t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', packagetype: 'bdist_wheel', yanked: false },
    { filename: 'spamext-0.3.0.tar.gz', packagetype: 'sdist', yanked: false },
  ],
};
const PR_URL = 'https://github.com/Codertocat/Hello-World/pull/2';
const TOKEN = { GITHUB_TOKEN: 'ghp_test' };

type Api = ReturnType<typeof githubApi>;
type Post = { method: string; path: string | null; body: Record<string, unknown> };

function finish(api: Api): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

/** Records every POST and PATCH the app sends, with its exact JSON body, and answers as GitHub does. */
function captureWrites(scope: nock.Scope, thread: Thread, posts: Post[]): void {
  const bot = { login: 'ftbot[bot]', type: 'Bot' };
  scope
    .post(/^\/repos\/Codertocat\/Hello-World\/(pulls\/\d+\/reviews|issues\/\d+\/comments)$/)
    .times(5)
    .optionally()
    .reply((uri, body) => {
      posts.push({ method: 'POST', path: uri, body: body as Record<string, unknown> });
      if (uri.endsWith('/reviews')) return [200, { id: 1 }];
      const comment = { id: 1000 + thread.comments.length, body: (body as { body: string }).body, user: bot };
      thread.comments.push(comment);
      return [201, comment];
    });
  scope
    .patch(/^\/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+$/)
    .times(5)
    .optionally()
    .reply((uri, body) => {
      posts.push({ method: 'PATCH', path: uri, body: body as Record<string, unknown> });
      const comment = thread.comments.find((c) => uri.endsWith(`/${c.id}`));
      if (comment !== undefined) comment.body = (body as { body: string }).body;
      return [200, comment ?? {}];
    });
}

function labeledPr(sha = SHA) {
  const payload = loadWebhook('pull_request.labeled');
  payload.pull_request.labels = [LABEL];
  payload.pull_request.head.sha = sha;
  payload.label = LABEL;
  return payload;
}

/** The reads of one pull-request run after the configuration: comments, files, review comments. */
function mockPullReads(scope: nock.Scope, thread: Thread, files: readonly ChangedFile[], sha = SHA): void {
  mockConfig(scope);
  mockListComments(scope, thread, 2);
  mockPullFiles(scope, 2, files, sha);
  mockListReviewComments(scope, thread, 2);
}

/** The default branch's commit and tree, and the blobs of the files ftbot reads. */
function mockTree(scope: nock.Scope): void {
  scope.get(`${REPO}/branches/master`).reply(200, { name: 'master', commit: { sha: COMMIT, commit: { tree: { sha: 'tree1' } } } });
  scope
    .get(`${REPO}/git/trees/tree1`)
    .query({ recursive: 'true' })
    .reply(200, { sha: 'tree1', truncated: false, tree: TREE.map((path, i) => ({ path, type: 'blob', sha: `b${i}`, size: 100, mode: '100644' })) });
  TREE.forEach((path, i) => {
    if (path.endsWith('.md')) return;
    scope.get(`${REPO}/git/blobs/b${i}`).reply(200, { sha: `b${i}`, encoding: 'base64', content: readFileSync(new URL(path, root)).toString('base64'), size: 100 });
  });
}

async function cli(argv: string[], env: Record<string, string> = TOKEN) {
  const fake = createFakeIo({ env });
  const code = await execute(argv, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** The dry run's posts as requests: what nock would have seen had they been sent. */
function asRequests(stdout: string): Post[] {
  const printed = JSON.parse(stdout) as { posts: Array<Post & { action: string; target: string }> };
  return printed.posts.map((p) => ({ method: p.method, path: p.path, body: p.body }));
}

describe('ftbot review --pr', () => {
  const file = { path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) };

  it('prints exactly the review and the summary the app posts for the same pull request', async () => {
    // The app, on the labeled event, with nock capturing what it posts.
    const appThread = createThread();
    const appPosts: Post[] = [];
    const { probot } = createTestProbot();
    let api = githubApi();
    mockToken(api.scope);
    mockPullReads(api.scope, appThread, [file]);
    // The app also keeps its check run; the dry run has no app to own one.
    mockCheckRuns(api.scope, appThread.checks, SHA);
    captureWrites(api.scope, appThread, appPosts);
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);
    expect(appPosts.map((p) => `${p.method} ${p.path}`)).toEqual([`POST ${REPO}/pulls/2/reviews`, `POST ${REPO}/issues/2/comments`]);

    // The dry run, on the same recorded data: the pull request is read first, nothing is written.
    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).matchHeader('authorization', /ghp_test/).reply(200, labeledPr().pull_request);
    mockPullReads(api.scope, createThread(), [file]);
    const json = await cli(['review', '--pr', PR_URL, '--format', 'json', '--docs-url', DOCS]);
    finish(api);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    expect(asRequests(json.stdout)).toEqual(appPosts);
    const printed = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      kind: 'review',
      posted: false,
      pullRequest: { owner: 'Codertocat', repo: 'Hello-World', number: 2, headSha: SHA, url: PR_URL },
      posts: [
        { action: 'create-review', target: 'pull request #2' },
        { action: 'create-comment', target: 'pull request #2' },
      ],
    });
    expect(printed.findings).toBeGreaterThan(0);

    // Markdown: every body the app posts, verbatim, under a heading saying where it would go.
    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, labeledPr().pull_request);
    mockPullReads(api.scope, createThread(), [file]);
    const md = await cli(['review', '--pr', 'Codertocat/Hello-World#2', '--docs-url', DOCS]);
    finish(api);
    expect(md.code).toBe(1);
    const review = appPosts[0]?.body as { body: string; comments: Array<{ path: string; line: number; start_line?: number; body: string }> };
    expect(md.stdout.split('\n')[0]).toBe('Dry run of ftbot on pull request Codertocat/Hello-World#2 (head ec26c3e): nothing was posted. The app would make 2 writes:');
    expect(md.stdout).toContain(`## Would post a review on pull request #2 (${review.comments.length} inline comments)\n\n${review.body}\n`);
    for (const c of review.comments) {
      expect(md.stdout).toContain(`### Inline comment on \`${c.path}:${c.start_line === undefined ? c.line : `${c.start_line}-${c.line}`}\`\n\n${c.body}\n`);
    }
    expect(md.stdout).toContain(`## Would create a comment on pull request #2\n\n${(appPosts[1]?.body as { body: string }).body}\n`);
  });

  it('prints the edit of the existing summary, as the app makes it after a push', async () => {
    const thread = createThread();
    const { probot } = createTestProbot();
    let api = githubApi();
    mockToken(api.scope);
    mockPullReads(api.scope, thread, [file]);
    mockCheckRuns(api.scope, thread.checks, SHA);
    captureWrites(api.scope, thread, []);
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);
    nock.cleanAll();

    // A push moves every line down: no new inline comment, the summary is edited.
    const SHA2 = '1111111111111111111111111111111111111111';
    const shifted = { ...file, text: `/* a */\n${spam}`, patch: addedPatch(`/* a */\n${spam}`) };
    const appPosts: Post[] = [];
    const dryThread: Thread = structuredClone(thread);
    api = githubApi();
    mockPullReads(api.scope, thread, [shifted], SHA2);
    mockCheckRuns(api.scope, thread.checks, SHA2);
    captureWrites(api.scope, thread, appPosts);
    await receive(probot, 'pull_request.synchronize', { ...labeledPr(SHA2), action: 'synchronize' });
    finish(api);
    expect(appPosts.map((p) => `${p.method} ${p.path}`)).toEqual([`PATCH ${REPO}/issues/comments/1000`]);

    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, labeledPr(SHA2).pull_request);
    mockPullReads(api.scope, dryThread, [shifted], SHA2);
    const json = await cli(['review', '--pr', PR_URL, '--format', 'json', '--docs-url', DOCS]);
    finish(api);
    expect(asRequests(json.stdout)).toEqual(appPosts);

    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, labeledPr(SHA2).pull_request);
    mockPullReads(api.scope, dryThread, [shifted], SHA2);
    const md = await cli(['review', '--pr', PR_URL, '--docs-url', DOCS]);
    finish(api);
    expect(md.stdout).toContain(`## Would edit comment 1000 on pull request #2\n\n${(appPosts[0]?.body as { body: string }).body}\n`);
  });
});

describe('ftbot review --pr on a closed pull request', () => {
  it('shows the review and says the app would not post it', async () => {
    const pr = labeledPr().pull_request;
    pr.state = 'closed';
    const api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, pr);
    mockPullReads(api.scope, createThread(), []);
    const run = await cli(['review', '--pr', PR_URL, '--format', 'json']);
    finish(api);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('ftbot review: pull request #2 is closed; the app reviews open pull requests only, so it would not post this\n');
    expect(JSON.parse(run.stdout)).toMatchObject({ findings: 0, posts: [{ action: 'create-comment', target: 'pull request #2' }] });
  });
});

describe('ftbot triage --repo', () => {
  it('prints exactly the triage comment the app posts, as a comment on a new issue', async () => {
    const pypi = nock('https://pypi.org').get('/pypi/spamext/json').times(2).reply(200, RELEASE);
    const appPosts: Post[] = [];
    const { probot } = createTestProbot({ packageIndex: createPypiIndex({}) });
    let api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, createThread(), 1);
    mockTree(api.scope);
    captureWrites(api.scope, createThread(), appPosts);
    const payload = loadWebhook('issues.labeled');
    payload.issue.labels = [LABEL];
    payload.label = LABEL;
    await receive(probot, 'issues.labeled', payload);
    finish(api);
    expect(appPosts).toHaveLength(1);
    expect((appPosts[0]?.body as { body: string }).body).toContain('cp314t');

    // No issue comments are listed: the issue would be new.
    api = githubApi();
    api.scope.get(REPO).reply(200, loadWebhook('issues.labeled').repository);
    mockConfig(api.scope);
    mockTree(api.scope);
    const json = await cli(['triage', '--repo', 'Codertocat/Hello-World', '--format', 'json', '--docs-url', DOCS]);
    finish(api);
    expect(pypi.pendingMocks()).toEqual([]);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const printed = JSON.parse(json.stdout) as { kind: string; repository: unknown; posts: Array<Post & { action: string; target: string }> };
    expect(printed.kind).toBe('triage');
    expect(printed.repository).toEqual({ owner: 'Codertocat', repo: 'Hello-World', url: 'https://github.com/Codertocat/Hello-World', defaultBranch: 'master' });
    expect(printed.posts).toEqual([{ action: 'create-comment', method: 'POST', path: null, target: 'a new issue', body: appPosts[0]?.body }]);
  });

  it('prints the comment in Markdown under a heading', async () => {
    nock('https://pypi.org').get('/pypi/spamext/json').reply(404, { message: 'Not Found' });
    const api = githubApi();
    api.scope.get(REPO).reply(200, loadWebhook('issues.labeled').repository);
    mockConfig(api.scope);
    mockTree(api.scope);
    const md = await cli(['triage', '--repo', 'https://github.com/Codertocat/Hello-World', '--docs-url', DOCS]);
    finish(api);
    expect(md.code).toBe(1);
    const [first, , , , heading, , marker] = md.stdout.split('\n');
    expect(first).toBe('Dry run of ftbot on repository Codertocat/Hello-World (default branch `master`): nothing was posted. The app would make 1 write:');
    expect(heading).toBe('## Would create a comment on a new issue');
    expect(marker).toBe('<!-- ftbot:triage v1 -->');
  });
});

describe('dry runs: tokens, limits and errors', () => {
  it('says once that it runs anonymously, and sends no authorization then', async () => {
    const api = githubApi();
    api.scope
      .get(`${REPO}/pulls/2`)
      .matchHeader('authorization', (value) => value === undefined)
      .reply(404, { message: 'Not Found' });
    const run = await cli(['review', '--pr', PR_URL], {});
    finish(api);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'ftbot review: no GITHUB_TOKEN; asking GitHub anonymously, which allows 60 requests per hour from this address\n' +
        `ftbot review: pull request Codertocat/Hello-World#2 not found (GET ${REPO}/pulls/2 answered 404): check the name; a private repository needs GITHUB_TOKEN\n`,
    );
  });

  it('says when the rate limit resets', async () => {
    const reset = Math.floor(Date.now() / 1000) + 25 * 60;
    const at = new Date(reset * 1000);
    const clock = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    const api = githubApi();
    api.scope
      .get(REPO)
      .reply(403, { message: 'API rate limit exceeded for 192.0.2.1.' }, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    const run = await cli(['triage', '--repo', 'Codertocat/Hello-World'], {});
    finish(api);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[1]).toMatch(
      new RegExp(`^ftbot triage: GitHub's rate limit is used up \\(60 requests per hour without a token\\); it resets at ${clock} UTC \\(in (24|25) minutes\\); set GITHUB_TOKEN for 5,000 requests per hour$`),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops at a rate limit met during the run instead of printing a partial review', async () => {
    const api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, labeledPr().pull_request);
    mockConfig(api.scope);
    mockListComments(api.scope, createThread(), 2);
    api.scope
      .get(`${REPO}/pulls/2/files`)
      .query(true)
      .reply(200, [{ filename: 'src/spam/spammodule.c', status: 'added', additions: 1, deletions: 0, changes: 1, patch: addedPatch(spam) }]);
    api.scope
      .get(`${REPO}/contents/src%2Fspam%2Fspammodule.c`)
      .query(true)
      .reply(403, { message: 'API rate limit exceeded for user ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) });
    // The review comments are never asked for: nothing is sent after the limit.
    const run = await cli(['review', '--pr', PR_URL, '--format', 'json']);
    finish(api);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ftbot review: GitHub's rate limit is used up \(5,000 requests per hour for this token\); it resets at \d\d:\d\d UTC \(in 1 minute\)\n$/);
  });

  it('explains secondary limits, bad tokens, 404 with a token and network errors', async () => {
    let api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '90' });
    let run = await cli(['review', '--pr', PR_URL]);
    finish(api);
    expect([run.code, run.stderr]).toEqual([2, "ftbot review: GitHub's secondary rate limit stopped the run (too many requests in a short time); try again in 90 seconds\n"]);

    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(401, { message: 'Bad credentials' });
    run = await cli(['review', '--pr', PR_URL]);
    finish(api);
    expect([run.code, run.stderr]).toEqual([2, 'ftbot review: GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials): it is wrong, expired or revoked\n']);

    api = githubApi();
    api.scope.get('/repos/Codertocat/private-thing').reply(404, { message: 'Not Found' });
    run = await cli(['triage', '--repo', 'Codertocat/private-thing']);
    finish(api);
    expect([run.code, run.stderr]).toEqual([
      2,
      'ftbot triage: repository Codertocat/private-thing not found (GET /repos/Codertocat/private-thing answered 404): check the name, and that the token in GITHUB_TOKEN can read the repository\n',
    ]);

    api = githubApi();
    api.scope.get(REPO).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    run = await cli(['triage', '--repo', 'Codertocat/Hello-World']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ftbot triage: cannot reach GitHub \(.*\); check the connection and try again\n$/);
  });

  it('prints the stack only with FTBOT_DEBUG', async () => {
    const api = githubApi();
    api.scope.get(REPO).reply(401, { message: 'Bad credentials' });
    const run = await cli(['triage', '--repo', 'Codertocat/Hello-World'], { ...TOKEN, FTBOT_DEBUG: '1' });
    finish(api);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ftbot triage: GitHub rejected the token[^\n]*\nHttpError: Bad credentials[^\n]*\n\s+at /);
  });

  it.each([
    [['review', '--pr', 'Codertocat/Hello-World'], "'Codertocat/Hello-World' is not a pull request"],
    [['review', '--pr', 'Codertocat/Hello-World#0'], 'is not a pull request'],
    [['review', '--pr', 'https://gitlab.com/Codertocat/Hello-World/pull/2'], 'is not a pull request'],
    [['review', '--pr', 'https://github.com/Codertocat/Hello-World/issues/2'], 'is not a pull request'],
    [['review', '--pr', 'Codertocat/Hello-World#2', '--diff', 'x.diff'], '--pr reads everything from GitHub'],
    [['review', '--pr', 'Codertocat/Hello-World#2', '.'], '--pr reads everything from GitHub'],
    [['review', '--pr', 'Codertocat/Hello-World#2', '--format', 'sarif'], "unknown format 'sarif'"],
    [['triage'], 'give the repository with --repo'],
    [['triage', '--repo', 'Codertocat'], "'Codertocat' is not a repository"],
    [['triage', '--repo', 'Codertocat/Hello-World/extra'], 'is not a repository'],
    [['triage', '--repo', 'Codertocat/Hello-World', 'more'], "unexpected argument 'more'"],
  ])('rejects %j before any request', async (argv, message) => {
    const api = githubApi();
    const run = await cli(argv, {});
    expect(api.unmatched).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: ftbot');
    expect(run.stderr).not.toContain('no GITHUB_TOKEN');
  });
});

describe('parseGitHubRef', () => {
  it('reads pull request URLs and short forms, and repositories', () => {
    expect(parseGitHubRef('https://github.com/python/cpython/pull/123', 'pull')).toEqual({ owner: 'python', repo: 'cpython', number: 123 });
    expect(parseGitHubRef('https://github.com/python/cpython/pull/123/files#diff-1', 'pull')).toEqual({ owner: 'python', repo: 'cpython', number: 123 });
    expect(parseGitHubRef('numpy/numpy.org#7', 'pull')).toEqual({ owner: 'numpy', repo: 'numpy.org', number: 7 });
    expect(parseGitHubRef('https://github.com/python/cpython.git', 'repo')).toEqual({ owner: 'python', repo: 'cpython' });
    expect(() => parseGitHubRef('python/..', 'repo')).toThrow('is not a repository');
    expect(() => parseGitHubRef('-x/y', 'repo')).toThrow('is not a repository');
  });
});
