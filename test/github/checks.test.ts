import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobKeys } from '../../src/github/queue/job-keys.js';
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
  type Thread,
} from '../helpers/probot-app.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const USER = { login: 'Codertocat', id: 21031067, type: 'User' };

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

function labeledPr() {
  const payload = loadWebhook('pull_request.labeled');
  payload.pull_request.labels = [LABEL];
  payload.pull_request.head.sha = SHA;
  payload.label = LABEL;
  return payload;
}

/** Reads and writes of one review; the check-run requests as `check` says. */
function mockReview(api: ReturnType<typeof githubApi>, thread: Thread, files: Parameters<typeof mockPullFiles>[2], opts: { token?: boolean; yml?: string; check?: Parameters<typeof mockCheckRuns>[3]; posts?: boolean } = {}): void {
  if (opts.token !== false) mockToken(api.scope);
  mockConfig(api.scope, opts.yml === undefined ? {} : { yml: opts.yml });
  mockListComments(api.scope, thread, 2);
  mockCheckRuns(api.scope, thread.checks, SHA, opts.check);
  mockPullFiles(api.scope, 2, files, SHA);
  mockListReviewComments(api.scope, thread, 2);
  if (opts.posts !== false) {
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
  }
}

const spamFile = { path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) };

describe('check run', () => {
  it('creates one check run in progress and completes it with annotations; `fail-on: warning` fails on added findings', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockReview(api, thread, [spamFile], { yml: 'fail-on: warning\n' });
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);
    expect(thread.checks.runs).toHaveLength(1);
    const [run] = thread.checks.runs;
    expect(run).toMatchObject({ name: 'ftbot', head_sha: SHA, status: 'completed', conclusion: 'failure', updates: 1 });
    expect(run?.annotations.length).toBeGreaterThan(5);
    expect(run?.annotations[0]).toMatchObject({ path: 'src/spam/spammodule.c', annotation_level: 'warning' });
    expect(run?.output?.summary).toContain('`fail-on: warning`');
  });

  it('is neutral with findings under the default `fail-on: none`, and success without findings', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    let api = githubApi();
    mockReview(api, thread, [spamFile]);
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);
    expect(thread.checks.runs[0]?.conclusion).toBe('neutral');

    const clean = createThread();
    const text = '#include <Python.h>\nstatic int answer(void) { return 42; }\n';
    api = githubApi();
    mockReview(api, clean, [{ path: 'src/clean.c', text, patch: addedPatch(text) }], { token: false, posts: false });
    mockCreateComment(api.scope, clean, 2);
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);
    expect(clean.checks.runs[0]).toMatchObject({ conclusion: 'success', annotations: [] });
  });

  it('sends more than 50 annotations 50 per request, completing on the last', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const many = Array.from({ length: 120 }, (_, i) => `static char *split_${i}(char *s) { return strtok(s, ","); }`).join('\n');
    const text = `#include <Python.h>\n${many}\n`;
    const api = githubApi();
    mockReview(api, thread, [{ path: 'src/many.c', text, patch: addedPatch(text) }], { check: { updates: 3 } });
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);
    const [run] = thread.checks.runs;
    expect(run?.annotations).toHaveLength(120);
    expect(run).toMatchObject({ updates: 3, status: 'completed' });
  });

  it('creates a new check run when the run or its suite is re-requested, and a redelivery is the same work', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const pr = labeledPr().pull_request;
    // The first review: one completed run.
    let api = githubApi();
    mockReview(api, thread, [spamFile]);
    await receive(probot, 'pull_request.labeled', labeledPr());
    finish(api);

    // "Re-run" on the check run: the pull request is read again, a new run is created without looking.
    const rerun = loadWebhook('check_run.rerequested');
    rerun.repository = labeledPr().repository;
    rerun.check_run.head_sha = SHA;
    rerun.check_run.pull_requests = [{ number: 2, head: { sha: SHA, ref: 'changes' }, base: { sha: 'b', ref: 'master' } }];
    rerun.sender = USER;
    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, pr);
    mockReview(api, thread, [spamFile], { token: false, check: { list: false }, posts: false });
    await receive(probot, 'check_run.rerequested', rerun, 'rerun-1');
    finish(api);
    expect(thread.checks.runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    // Nothing new to comment: no second review, the summary is unchanged.
    expect(thread.reviews).toHaveLength(1);

    // "Re-run all" on the suite does the same.
    const suite = loadWebhook('check_suite.rerequested');
    suite.sender = USER;
    api = githubApi();
    api.scope.get(`${REPO}/pulls/2`).reply(200, pr);
    mockReview(api, thread, [spamFile], { token: false, check: { list: false }, posts: false });
    await receive(probot, 'check_suite.rerequested', suite, 'rerun-2');
    finish(api);
    expect(thread.checks.runs).toHaveLength(3);

    const keys = (id: string, name: string, payload: unknown) => {
      const keyed = jobKeys(id, name, payload);
      if ('skip' in keyed) throw new Error(keyed.skip);
      return keyed.keys;
    };
    expect(keys('rerun-1', 'check_run', rerun)).toEqual(keys('rerun-1', 'check_run', rerun));
    expect(keys('rerun-3', 'check_run', rerun).work).not.toBe(keys('rerun-1', 'check_run', rerun).work);
    expect(keys('rerun-2', 'check_suite', suite)).toMatchObject({ thread: keys('rerun-1', 'check_run', rerun).thread });
  });

  it('leaves a re-requested check alone when the pull request lost the label', async () => {
    const { probot, logs } = createTestProbot();
    const api = githubApi();
    mockToken(api.scope);
    api.scope.get(`${REPO}/pulls/2`).reply(200, { ...labeledPr().pull_request, labels: [] });
    mockConfig(api.scope);
    const suite = loadWebhook('check_suite.rerequested');
    suite.sender = USER;
    await receive(probot, 'check_suite.rerequested', suite);
    finish(api);
    expect(logs.some((l) => l.msg === 'check re-requested on a pull request ftbot does not review now')).toBe(true);
  });
});
