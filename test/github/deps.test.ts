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
const spam = readFileSync(new URL('src/spam/spammodule.c', root), 'utf8');
const COMMIT = '3333333333333333333333333333333333333333';
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };

function release(name: string, version: string, files: string[]) {
  const urls = files.map((filename) => ({ filename, packagetype: filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist', yanked: false }));
  return { info: { name, version }, urls, releases: { [version]: urls } };
}

/** Free-threaded wheels on Linux x86-64. */
const NUMPY = release('numpy', '2.3.0', ['numpy-2.3.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'numpy-2.3.0-cp314-cp314t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl']);
/** Compiled wheels for GIL builds only, no sdist: a blocker. */
const ORJSON = release('orjson', '3.10.0', ['orjson-3.10.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl']);
/** One pure-Python wheel. */
const SIX = release('six', '1.17.0', ['six-1.17.0-py2.py3-none-any.whl']);

function finish(api: ReturnType<typeof githubApi>, pypi?: nock.Scope): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
  if (pypi !== undefined) expect(pypi.pendingMocks()).toEqual([]);
}

function comment(body: string, onPullRequest = false) {
  const payload = loadWebhook('issue_comment.created');
  payload.comment.body = body;
  payload.comment.author_association = 'NONE';
  if (onPullRequest) payload.issue.pull_request = { url: `https://api.github.com${REPO}/pulls/1` };
  return payload;
}

/** A root tree at `ref` with the given files. */
function mockRootTree(scope: nock.Scope, ref: string, files: Record<string, string>): void {
  const tree = Object.entries(files).map(([path, text], i) => ({ path, type: 'blob', sha: `f${i}`, size: text.length, mode: '100644' }));
  scope.get(`${REPO}/git/trees/${ref}`).reply(200, { sha: 'root', truncated: false, tree });
}

/** A root tree at `ref` with the given files, and their raw contents at `ref`. */
function mockRepoFiles(scope: nock.Scope, ref: string, files: Record<string, string>): void {
  mockRootTree(scope, ref, files);
  for (const [path, text] of Object.entries(files)) {
    scope.get(`${REPO}/contents/${encodeURIComponent(path)}`).query({ ref }).reply(200, text, { 'content-type': 'application/vnd.github.raw' });
  }
}

describe('deps command', () => {
  it('replies with the readiness report, blockers first, a 404 as unknown', async () => {
    const { probot, logs } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org')
      .get('/pypi/numpy/json')
      .reply(200, NUMPY)
      .get('/pypi/orjson/json')
      .reply(200, ORJSON)
      .get('/pypi/six/json')
      .reply(200, SIX)
      .get('/pypi/nosuchpkg/json')
      .reply(404, { message: 'Not Found' });
    mockToken(api.scope);
    const requirements = 'numpy>=2\norjson\nsix\nnosuchpkg\n-r dev.txt\n';
    // `README.md` is listed but not read.
    mockRootTree(api.scope, 'master', { 'requirements.txt': requirements, 'README.md': '# hi\n' });
    api.scope.get(`${REPO}/contents/requirements.txt`).query({ ref: 'master' }).reply(200, requirements, { 'content-type': 'application/vnd.github.raw' });
    // The include is read at the same ref; it is gone, and the report says so.
    api.scope.get(`${REPO}/contents/dev.txt`).query({ ref: 'master' }).reply(404, { message: 'Not Found' });
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot deps'));
    finish(api, pypi);
    expect(logs.some((l) => l.msg === 'handler failed')).toBe(false);
    const body = thread.comments[0]?.body ?? '';
    await expect(body).toMatchFileSnapshot(snapshotFile('github', 'deps-reply.md'));
  });

  it('reads the head of a pull request, and a requirement cannot mention anyone', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/six/json').reply(200, SIX);
    mockToken(api.scope);
    api.scope.get(`${REPO}/pulls/1`).reply(200, { number: 1, head: { sha: SHA, ref: 'topic', repo: { name: 'Hello-World', owner: { login: 'Codertocat' } } } });
    mockRepoFiles(api.scope, SHA, {
      'pyproject.toml': '[project]\nname = "demo"\ndependencies = ["six", "evil @ https://example.com/@octocat/x.whl"]\n',
      'requirements.txt': '@octocat\n@github/security please look\n',
    });
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot deps', true));
    finish(api, pypi);
    const body = thread.comments[0]?.body ?? '';
    expect(body).toContain('| `six` | ✅ pure Python |');
    expect(body).toContain('Not checked (3)');
    expect(body).toContain(`Read at the head commit (\`${SHA}\`)`);
    // Every `@` in text read from the project is followed by a zero-width space.
    expect(body).not.toMatch(/@[A-Za-z0-9]/);
    expect(body).toContain('@\u200boctocat');
  });

  it('says so when there is no dependency file, without asking PyPI', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    // `setup.py` is not read: it is code, not a dependency list.
    mockRootTree(api.scope, 'master', { 'setup.py': 'from setuptools import setup\nsetup()\n' });
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot deps'));
    finish(api);
    expect(thread.comments[0]?.body).toBe('No `pyproject.toml`, `setup.cfg` or `requirements*.txt` at the top of the default branch (`master`): no dependency to check.');
  });

  it('shares the answer limit with `ask` and `wheels`', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex(), answersPerHour: 1 });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/six/json').reply(200, SIX);
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot wheels six'));
    await receive(probot, 'issue_comment.created', comment('@ftbot deps'));
    await receive(probot, 'issue_comment.created', comment('@ftbot deps'));
    finish(api, pypi);
    expect(thread.comments).toHaveLength(2);
    expect(thread.comments[1]?.body).toBe('ftbot answers at most 1 questions and wheel or dependency checks per issue or pull request per hour. Ask again later.');
  });
});

describe('dependency readiness in triage and summaries', () => {
  it('adds a capped Dependencies section to the triage comment', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const names = Array.from({ length: 33 }, (_, i) => `pkg${String(i).padStart(2, '0')}`);
    const pypi = nock('https://pypi.org').get('/pypi/orjson/json').reply(200, ORJSON);
    for (const name of names) pypi.get(`/pypi/${name}/json`).reply(404, { message: 'Not Found' });
    const requirements = ['orjson', ...names].join('\n');
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 1);
    api.scope.get(`${REPO}/branches/master`).reply(200, { name: 'master', commit: { sha: COMMIT, commit: { tree: { sha: 'tree1' } } } });
    const tree = [
      { path: 'src/spam/spammodule.c', sha: 'b0', size: spam.length },
      { path: 'requirements.txt', sha: 'b1', size: requirements.length },
      { path: 'docs/requirements.txt', sha: 'b2', size: 10 },
    ];
    api.scope
      .get(`${REPO}/git/trees/tree1`)
      .query({ recursive: 'true' })
      .reply(200, { sha: 'tree1', truncated: false, tree: tree.map((e) => ({ ...e, type: 'blob', mode: '100644' })) });
    api.scope.get(`${REPO}/git/blobs/b0`).reply(200, { sha: 'b0', encoding: 'base64', content: Buffer.from(spam).toString('base64'), size: spam.length });
    // Requirements files are build files too (FT035 reads build-tool floors in them), so the
    // triage reads both blobs; only the top-level one is a dependency entry point.
    api.scope.get(`${REPO}/git/blobs/b1`).reply(200, { sha: 'b1', encoding: 'base64', content: Buffer.from(requirements).toString('base64'), size: requirements.length });
    api.scope.get(`${REPO}/git/blobs/b2`).reply(200, { sha: 'b2', encoding: 'base64', content: Buffer.from('sphinx>=7\n').toString('base64'), size: 10 });
    // `docs/requirements.txt` is not a dependency entry point: its packages are not checked.
    // The dependency check reuses the blob the triage read; it fetches nothing more.
    mockCreateComment(api.scope, thread, 1);
    const payload = loadWebhook('issues.labeled');
    payload.issue.labels = [LABEL];
    payload.label = LABEL;
    await receive(probot, 'issues.labeled', payload);
    finish(api, pypi);
    const body = thread.comments[0]?.body ?? '';
    const section = body.slice(body.indexOf('### Dependencies on free-threaded CPython'), body.indexOf('### Porting checklist'));
    expect(body.indexOf('### Build and CI')).toBeLessThan(body.indexOf('### Dependencies on free-threaded CPython'));
    expect(section).toContain('1 of 34 has no free-threaded or pure-Python wheel: `orjson`. 33 could not be checked.');
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(30);
    expect(rows[0]).toMatch(/^\| `orjson` \| ❌ not ready \|/);
    expect(section).toContain('… and 4 more dependencies, not shown here; `ftbot deps` in a checkout lists them all.');
  });

  function labeledPr() {
    const payload = loadWebhook('pull_request.opened');
    payload.pull_request.labels = [LABEL];
    payload.pull_request.head.sha = SHA;
    return payload;
  }

  it('shows the report in the summary of a pull request that changes requirements.txt', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    const pypi = nock('https://pypi.org').get('/pypi/orjson/json').reply(200, ORJSON).get('/pypi/numpy/json').reply(200, NUMPY);
    const requirements = 'numpy>=2\norjson\n';
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 2);
    mockPullFiles(api.scope, 2, [{ path: 'requirements.txt', text: requirements, patch: addedPatch(requirements) }], SHA);
    // The changed file's contents are mocked above; the root tree says what else to read.
    mockRootTree(api.scope, SHA, { 'requirements.txt': requirements });
    mockListReviewComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr());
    finish(api, pypi);
    const summary = thread.comments[0]?.body ?? '';
    expect(summary).toContain('<!-- ftbot:summary v1 -->');
    expect(summary).toContain('### Dependencies on free-threaded CPython\n\n1 of 2 has no free-threaded or pure-Python wheel: `orjson`.');
    expect(summary).toMatch(/\| `orjson` \| ❌ not ready \|[^\n]*\n\| `numpy` \| ✅ ready \|/);
  });

  it('leaves the report out of the summary when only C code changed', async () => {
    const { probot } = createTestProbot({ packageIndex: createPypiIndex() });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 2);
    mockPullFiles(api.scope, 2, [{ path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) }], SHA);
    mockListReviewComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr());
    // No tree and no PyPI interceptor: a request for either would show up as unmatched.
    finish(api);
    const summary = thread.comments[0]?.body ?? '';
    expect(summary).toContain('<!-- ftbot:summary v1 -->');
    expect(summary).not.toContain('Dependencies on free-threaded CPython');
  });
});
