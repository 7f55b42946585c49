import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMention } from '../../src/github/handlers/on-issue-comment.js';
import {
  createTestProbot,
  createThread,
  githubApi,
  loadWebhook,
  mockConfig,
  mockCreateComment,
  mockListComments,
  mockToken,
  REPO,
  receive,
  type Thread,
} from '../helpers/probot-app.js';

const root = new URL('../../examples/spamext/', import.meta.url);
const tree = ['src/spam/spammodule.c', 'src/spam/legacy.c', 'src/fastcount/fastcount.pyx', 'pyproject.toml', 'README.md'];
const COMMIT = '3333333333333333333333333333333333333333';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

/** The default branch's commit, tree and the blobs of the files ftbot reads. */
function mockTree(scope: ReturnType<typeof githubApi>['scope']): void {
  scope.get(`${REPO}/branches/master`).reply(200, { name: 'master', commit: { sha: COMMIT, commit: { tree: { sha: 'tree1' } } } });
  scope
    .get(`${REPO}/git/trees/tree1`)
    .query({ recursive: 'true' })
    .reply(200, { sha: 'tree1', truncated: false, tree: tree.map((path, i) => ({ path, type: 'blob', sha: `b${i}`, size: 100, mode: '100644' })) });
  tree.forEach((path, i) => {
    if (path.endsWith('.md')) return;
    const content = readFileSync(new URL(path, root)).toString('base64');
    scope.get(`${REPO}/git/blobs/b${i}`).reply(200, { sha: `b${i}`, encoding: 'base64', content, size: 100 });
  });
}

function triageFlow(scope: ReturnType<typeof githubApi>['scope'], thread: Thread, token = true): void {
  if (token) mockToken(scope);
  mockConfig(scope);
  mockListComments(scope, thread, 1);
  mockTree(scope);
  mockCreateComment(scope, thread, 1);
}

describe('issues', () => {
  it('posts nothing for an issue without the label', async () => {
    const { probot } = createTestProbot();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    await receive(probot, 'issues.labeled', loadWebhook('issues.labeled'));
    finish(api);
  });

  it('reads at most 200 files on the automatic triage of a large tree, build files first', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 1);
    const big = [...Array.from({ length: 260 }, (_, i) => `src/gen/m${i}.c`), 'pyproject.toml'];
    api.scope.get(`${REPO}/branches/master`).reply(200, { name: 'master', commit: { sha: COMMIT, commit: { tree: { sha: 'tree1' } } } });
    api.scope
      .get(`${REPO}/git/trees/tree1`)
      .query({ recursive: 'true' })
      .reply(200, { sha: 'tree1', truncated: false, tree: big.map((path, i) => ({ path, type: 'blob', sha: `b${i}`, size: 20, mode: '100644' })) });
    const read: string[] = [];
    api.scope
      .get(/\/git\/blobs\/b\d+$/)
      .times(200)
      .reply(200, (uri) => {
        read.push(uri.slice(uri.lastIndexOf('/') + 1));
        const text = uri.endsWith('/b260') ? '[project]\nname = "big"\n' : 'int x;\n';
        return { sha: 'b', encoding: 'base64', content: Buffer.from(text).toString('base64'), size: text.length };
      });
    mockCreateComment(api.scope, thread, 1);
    const payload = loadWebhook('issues.labeled');
    payload.issue.labels = [LABEL];
    payload.label = LABEL;
    await receive(probot, 'issues.labeled', payload);
    finish(api);
    expect(read).toHaveLength(200);
    expect(read).toContain('b260');
    expect(thread.comments[0]?.body).toContain('the first triage reads at most 200 files');
  });

  it('posts one triage comment when the label is added', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    triageFlow(api.scope, thread);
    const payload = loadWebhook('issues.labeled');
    payload.issue.labels = [LABEL];
    payload.label = LABEL;
    await receive(probot, 'issues.labeled', payload);
    finish(api);
    expect(thread.comments).toHaveLength(1);
    const body = thread.comments[0]?.body ?? '';
    expect(body.split('\n')[0]).toBe('<!-- ftbot:triage v1 -->');
    expect(body).toContain(`| \`spam\` | C, multi-phase init | [\`src/spam/spammodule.c:158\`](https://github.com/Codertocat/Hello-World/blob/${COMMIT}/src/spam/spammodule.c#L158) | no ([FT008](https://example.test/docs/rules/ft008-module-gil-slot-missing.md)) |`);
    expect(body).toContain(`[L18](https://github.com/Codertocat/Hello-World/blob/${COMMIT}/src/spam/spammodule.c#L18)`);
    // The top examples get the templates' explanation and a citation (no model for triage).
    const fixes = body.slice(body.indexOf('### How to fix the top examples'), body.indexOf('### Build and CI'));
    expect(fixes.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(5);
    expect(fixes).toContain(`- [\`src/spam/spammodule.c:18\`](https://github.com/Codertocat/Hello-World/blob/${COMMIT}/src/spam/spammodule.c#L18) [FT001](https://example.test/docs/rules/ft001-dict-get-item-borrowed.md): Replace \`PyDict_GetItem\` with \`PyDict_GetItemRef\``);
    expect(fixes).toContain('Source: [Replacing borrowed references from dict lookups](https://example.test/knowledge/dict-borrowed-references.md#replacing-borrowed-references-from-dict-lookups) · [upstream](https://docs.python.org/3/');
    expect(fixes).toContain('or `@ftbot suggest <path>:<line>`.');
    expect(body.slice(body.indexOf('### Porting checklist'))).toMatchInlineSnapshot(`
      "### Porting checklist

      - [ ] Declare free-threading support in every module (0 of 3 do)
      - [ ] Fix the thread-safety hazards (10 in 1 file)
      - [ ] Test under free threading (a CI job on \`3.14t\`, ideally with \`pytest-run-parallel\`)
      - [ ] Build \`t\` wheels (\`cp314t\`) for every platform you ship
      - [ ] Add the \`Programming Language :: Python :: Free Threading\` classifier

      Run \`ftbot review .\` in a checkout for the same report. Comment \`@ftbot scan\` to refresh this one. The \`ftbot\` command comes with its pre-commit hook, its GitHub Action, or a checkout of its repository (\`npm ci\`, then \`npx ftbot …\`).
      <!-- ftbot:head 3333333333333333333333333333333333333333 -->"
    `);
  });
});

describe('mention commands', () => {
  function comment(body: string, association = 'OWNER') {
    const payload = loadWebhook('issue_comment.created');
    payload.comment.body = body;
    payload.comment.author_association = association;
    return payload;
  }

  it('parses mentions outside code', () => {
    expect(parseMention('Thanks!\n@ftbot scan please', 'ftbot')).toEqual({ name: 'scan', args: 'please', text: 'scan please' });
    expect(parseMention('@ftbot[bot] help', 'ftbot')).toEqual({ name: 'help', args: '', text: 'help' });
    expect(parseMention('`@ftbot scan`', 'ftbot')).toBeUndefined();
    expect(parseMention('@ftbotx scan', 'ftbot')).toBeUndefined();
    expect(parseMention('mail me@ftbot.dev', 'ftbot')).toBeUndefined();
  });

  it('answers help and unknown commands with the command list', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot help'));
    await receive(probot, 'issue_comment.created', comment('@ftbot frobnicate'));
    finish(api);
    expect(thread.comments[0]?.body).toMatchInlineSnapshot(`
      "Commands (mention the app, then the command):

      - \`@ftbot ask\`: Answer a question from the knowledge base (on a pull request, \`path:line\` in it adds that code's findings)
      - \`@ftbot deps\`: Check which of this project's dependencies install on free-threaded CPython (PyPI's latest releases; blockers first)
      - \`@ftbot help\`: List the commands
      - \`@ftbot scan\`: Re-run the review on this pull request, or the triage on this issue
      - \`@ftbot suggest\`: Draft a fix for the findings on \`<path>:<line>\` (the head commit, or the default branch on an issue); edits are verified before they are shown
      - \`@ftbot triage\`: Re-run the triage of the default branch on this issue (the comment is edited only when something changed)
      - \`@ftbot wheels\`: Show which free-threaded builds can install the latest release from PyPI (this project, or \`<project>[==<version>]\`)

      A mention followed by a question, such as \`@ftbot what replaces PyList_GetItem?\`, is answered like \`ask\`.
      \`/ftbot <command>\` at the start of a line works as well, here and in review-comment threads (answered in the thread)."
    `);
    expect(thread.comments[1]?.body.split('\n')[0]).toBe('Unknown command `frobnicate`.');
  });

  it('asks GitHub for the slug once when it is not configured', async () => {
    const { probot } = createTestProbot({ appSlug: undefined });
    const thread = createThread();
    const api = githubApi();
    api.scope.get('/app').reply(200, { id: 123, slug: 'ft-helper', name: 'ft helper' });
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot help'));
    await receive(probot, 'issue_comment.created', comment('@ft-helper help'));
    finish(api);
    expect(thread.comments).toHaveLength(1);
  });

  it('re-runs the triage on `scan` from a collaborator, and refuses it to others', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    triageFlow(api.scope, thread);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot scan'));
    await receive(probot, 'issue_comment.created', comment('@ftbot scan', 'NONE'));
    finish(api);
    expect(thread.comments[0]?.body).toContain('<!-- ftbot:triage v1 -->');
    expect(thread.comments[1]?.body).toBe('`scan` can be run by people with write access to this repository.');
  });

  it('asks GitHub whether a member or collaborator can push before running `scan` (the association alone does not say)', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    const login = loadWebhook('issue_comment.created').comment.user.login;
    const permission = (level: string) => ({ permission: level, role_name: level, user: null });
    api.scope.get(`${REPO}/collaborators/${login}/permission`).reply(200, permission('read'));
    api.scope.get(`${REPO}/collaborators/${login}/permission`).reply(404, { message: 'Not Found' });
    api.scope.get(`${REPO}/collaborators/${login}/permission`).reply(200, permission('write'));
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    mockCreateComment(api.scope, thread, 1);
    await receive(probot, 'issue_comment.created', comment('@ftbot scan', 'COLLABORATOR'));
    await receive(probot, 'issue_comment.created', comment('@ftbot scan', 'MEMBER'));
    triageFlow(api.scope, thread, false);
    await receive(probot, 'issue_comment.created', comment('@ftbot scan', 'MEMBER'));
    finish(api);
    expect(thread.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '`scan` can be run by people with write access to this repository.',
      '`scan` can be run by people with write access to this repository.',
      expect.stringContaining('<!-- ftbot:triage v1 -->'),
    ]);
  });

  it('ignores comments from bots, its own included', async () => {
    const { probot } = createTestProbot();
    const api = githubApi();
    const payload = comment('@ftbot help');
    payload.sender = { ...payload.sender, login: 'ftbot[bot]', type: 'Bot' };
    await receive(probot, 'issue_comment.created', payload);
    finish(api);
  });
});
