import { readFileSync } from 'node:fs';
import type nock from 'nock';
import { describe, expect, it } from 'vitest';
import { jobKeys } from '../../src/github/queue/job-keys.js';
import {
  createTestProbot,
  createThread,
  githubApi,
  loadWebhook,
  mockConfig,
  mockCreateComment,
  mockListComments,
  mockToken,
  mockUpdateComment,
  REPO,
  receive,
  type Thread,
} from '../helpers/probot-app.js';

const root = new URL('../../examples/spamext/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const BEFORE = { 'src/spam/spammodule.c': read('src/spam/spammodule.c'), 'pyproject.toml': read('pyproject.toml') };
// The default branch gains a second extension module (single-phase init, no GIL declaration).
const AFTER = { ...BEFORE, 'src/extra/extramodule.c': read('src/spam/legacy.c') };

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

/** The default branch at `commit`, holding `files`. */
function mockBranch(scope: nock.Scope, commit: string, files: Record<string, string>): void {
  scope.get(`${REPO}/branches/master`).reply(200, { name: 'master', commit: { sha: commit, commit: { tree: { sha: `t${commit}` } } } });
  const paths = Object.keys(files);
  scope
    .get(`${REPO}/git/trees/t${commit}`)
    .query({ recursive: 'true' })
    .reply(200, { sha: `t${commit}`, truncated: false, tree: paths.map((path, i) => ({ path, type: 'blob', sha: `${commit}-${i}`, size: 100, mode: '100644' })) });
  paths.forEach((path, i) => {
    scope.get(`${REPO}/git/blobs/${commit}-${i}`).reply(200, { sha: `${commit}-${i}`, encoding: 'base64', content: Buffer.from(files[path] ?? '').toString('base64'), size: 100 });
  });
}

function labeled(updatedAt: string) {
  const payload = loadWebhook('issues.labeled');
  payload.issue.labels = [LABEL];
  payload.label = LABEL;
  payload.issue.updated_at = updatedAt;
  return payload;
}

function run(thread: Thread, commit: string, files: Record<string, string>, write: 'create' | 'update' | 'none', token = false): ReturnType<typeof githubApi> {
  const api = githubApi();
  if (token) mockToken(api.scope);
  mockConfig(api.scope);
  mockListComments(api.scope, thread, 1);
  mockBranch(api.scope, commit, files);
  if (write === 'create') mockCreateComment(api.scope, thread, 1);
  if (write === 'update') mockUpdateComment(api.scope, thread, 1000);
  return api;
}

describe('triage refresh', () => {
  it('edits the triage comment when a re-label finds new code on the default branch, and writes nothing when nothing changed', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();

    // 1. labelled: one triage comment describing one module.
    let api = run(thread, 'a'.repeat(40), BEFORE, 'create', true);
    await receive(probot, 'issues.labeled', labeled('2026-01-01T00:00:00Z'), 'd-1');
    finish(api);
    expect(thread.comments[0]?.body).not.toContain('src/extra/extramodule.c');

    // 2. the default branch gains a module; labelled again: the same comment is edited.
    api = run(thread, 'b'.repeat(40), AFTER, 'update');
    await receive(probot, 'issues.labeled', labeled('2026-01-02T00:00:00Z'), 'd-2');
    finish(api);
    expect(thread.comments).toHaveLength(1);
    expect(thread.patches).toBe(1);
    expect(thread.comments[0]?.body).toContain('src/extra/extramodule.c');

    // 3. edited, nothing new on the branch: read again, nothing written.
    api = run(thread, 'b'.repeat(40), AFTER, 'none');
    const edited = loadWebhook('issues.edited');
    edited.issue.labels = [LABEL];
    edited.issue.updated_at = '2026-01-03T00:00:00Z';
    await receive(probot, 'issues.edited', edited, 'd-3');
    finish(api);
    expect(thread.posts).toBe(1);
    expect(thread.patches).toBe(1);
  });

  it('re-runs the triage on `@ftbot triage`, and answers on a pull request that `scan` is the command there', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = run(thread, 'c'.repeat(40), BEFORE, 'create', true);
    const command = loadWebhook('issue_comment.created');
    command.comment.body = '/ftbot triage';
    command.comment.author_association = 'OWNER';
    await receive(probot, 'issue_comment.created', command);
    finish(api);
    expect(thread.comments[0]?.body.split('\n')[0]).toBe('<!-- ftbot:triage v1 -->');

    const onPull = githubApi();
    mockCreateComment(onPull.scope, thread, 1);
    command.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
    await receive(probot, 'issue_comment.created', command, 'd-pr');
    finish(onPull);
    expect(thread.comments[1]?.body).toBe('Triage describes the default branch on an issue; on a pull request, `@ftbot scan` re-runs the review.');
  });

  it('keys a re-label and an edit as new work, and a redelivery as the same work', () => {
    const work = (id: string, name: string, payload: unknown): string => {
      const keyed = jobKeys(id, name, payload);
      if ('skip' in keyed) throw new Error(keyed.skip);
      return keyed.keys.work;
    };
    const first = work('d-1', 'issues', labeled('2026-01-01T00:00:00Z'));
    expect(work('d-1', 'issues', labeled('2026-01-01T00:00:00Z'))).toBe(first);
    expect(work('d-2', 'issues', labeled('2026-01-02T00:00:00Z'))).not.toBe(first);
    const edited = loadWebhook('issues.edited');
    edited.issue.labels = [LABEL];
    expect(work('d-3', 'issues', edited)).not.toBe(first);
  });
});
