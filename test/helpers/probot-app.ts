import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { Writable } from 'node:stream';
import { createApp } from '../../src/github/app.js';
import type { AppOptions } from '../../src/github/app-options.js';
import { watchContract } from './github-contract.js';

/** Fixture names: trimmed `@octokit/webhooks-examples` payloads with an installation added. */
export type WebhookFixture =
  | 'pull_request.opened'
  | 'pull_request.synchronize'
  | 'pull_request.labeled'
  | 'issues.opened'
  | 'issues.labeled'
  | 'issues.edited'
  | 'issue_comment.created'
  | 'pull_request_review_comment.created'
  | 'check_run.rerequested'
  | 'check_suite.rerequested';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = any;

/** A fresh copy of a webhook fixture, safe to modify. */
export function loadWebhook(name: WebhookFixture): Payload {
  return JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), 'utf8')) as Payload;
}

export const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

// Probot 14 replaces an object-form `throttle` default with its own; only the function form
// turns throttling off (otherwise every comment POST waits 3 s).
const TestOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object), enabled: false },
}));

export const DOCS = 'https://example.test/docs/rules/';

/** A Probot instance running the real app, with its log lines captured. */
export function createTestProbot(options: Partial<AppOptions> = {}): { probot: Probot; logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: 'debug' }, stream);
  const probot = new Probot({ appId: 123, privateKey, log, Octokit: TestOctokit });
  probot.load(createApp({ dryRun: false, appSlug: 'ftbot', docsBaseUrl: DOCS, ...options }));
  return { probot, logs };
}

/** Sends a webhook through Probot. */
export async function receive(probot: Probot, name: string, payload: Payload, id = 'delivery-1'): Promise<void> {
  const event = name.split('.')[0] as string;
  await probot.receive({ id, name: event, payload } as Parameters<Probot['receive']>[0]);
}

/**
 * A nock scope for api.github.com whose requests are checked against the GitHub OpenAPI contract,
 * plus every request nock could not match (the app swallows handler errors, so a missing mock
 * would otherwise go unnoticed).
 */
export function githubApi(): { scope: nock.Scope; violations: string[]; unmatched: string[] } {
  const scope = nock('https://api.github.com');
  const violations = watchContract(scope);
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; options?: { method?: string; path?: string } }): void => {
    unmatched.push(`${req.method ?? req.options?.method} ${req.path ?? req.options?.path}`);
  };
  nock.emitter.removeAllListeners('no match');
  nock.emitter.on('no match', onNoMatch);
  return { scope, violations, unmatched };
}

export const REPO = '/repos/Codertocat/Hello-World';

/** The installation token Probot asks for before each event. */
export function mockToken(scope: nock.Scope): void {
  scope.post('/app/installations/2/access_tokens').reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write', pull_requests: 'write', contents: 'read' } });
}

/**
 * Configuration reads: `pyproject.toml` from the repository, then `.github/ftbot.yml` (and, when
 * absent, the owner's `.github` repository, as Probot's config plugin does).
 */
export function mockConfig(scope: nock.Scope, files: { yml?: string; pyproject?: string } = {}): void {
  if (files.pyproject === undefined) scope.get(`${REPO}/contents/pyproject.toml`).reply(404, { message: 'Not Found' });
  else scope.get(`${REPO}/contents/pyproject.toml`).reply(200, files.pyproject, { 'content-type': 'text/plain; charset=utf-8' });
  const yml = /\/contents\/\.github(%2F|\/)ftbot\.yml$/;
  if (files.yml === undefined) {
    scope.get((p) => p.startsWith(REPO) && yml.test(p)).reply(404, { message: 'Not Found' });
    scope.get((p) => p.startsWith('/repos/Codertocat/.github/') && yml.test(p)).reply(404, { message: 'Not Found' });
  } else {
    scope.get((p) => p.startsWith(REPO) && yml.test(p)).reply(200, files.yml, { 'content-type': 'text/plain; charset=utf-8' });
  }
}

/** An in-memory conversation: the issue comments and review comments GitHub would hold. */
export type Thread = {
  comments: Array<{ id: number; body: string; user: { login: string; type: string } }>;
  reviewComments: Array<{ id: number; body: string; path: string; line: number; user: { login: string; type: string } }>;
  reviews: Array<Record<string, unknown>>;
  posts: number;
  patches: number;
  checks: Checks;
};

export function createThread(): Thread {
  return { comments: [], reviewComments: [], reviews: [], posts: 0, patches: 0, checks: createChecks() };
}

const BOT = { login: 'ftbot[bot]', type: 'Bot' };

export function mockListComments(scope: nock.Scope, thread: Thread, issue: number): void {
  scope.get(`${REPO}/issues/${issue}/comments`).query(true).reply(200, () => thread.comments);
}

export function mockCreateComment(scope: nock.Scope, thread: Thread, issue: number): void {
  scope.post(`${REPO}/issues/${issue}/comments`).reply(201, (_uri, body) => {
    const comment = { id: 1000 + thread.comments.length, body: (body as { body: string }).body, user: BOT };
    thread.comments.push(comment);
    thread.posts++;
    return comment;
  });
}

export function mockUpdateComment(scope: nock.Scope, thread: Thread, id: number): void {
  scope.patch(`${REPO}/issues/comments/${id}`).reply(200, (_uri, body) => {
    const comment = thread.comments.find((c) => c.id === id);
    if (comment !== undefined) comment.body = (body as { body: string }).body;
    thread.patches++;
    return comment ?? {};
  });
}

export function mockListReviewComments(scope: nock.Scope, thread: Thread, pull: number): void {
  scope.get(`${REPO}/pulls/${pull}/comments`).query(true).reply(200, () => thread.reviewComments);
}

export function mockCreateReview(scope: nock.Scope, thread: Thread, pull: number): void {
  scope.post(`${REPO}/pulls/${pull}/reviews`).reply(200, (_uri, body) => {
    const review = body as { comments: Array<{ body: string; path: string; line: number }> };
    thread.reviews.push(review as Record<string, unknown>);
    for (const c of review.comments) thread.reviewComments.push({ id: 5000 + thread.reviewComments.length, body: c.body, path: c.path, line: c.line, user: BOT });
    return { id: thread.reviews.length };
  });
}

/** A changed file of a pull request, with its `patch` and its text at the head commit. */
export type ChangedFile = { path: string; text: string; patch?: string; status?: string };

/** `listFiles` and the contents reads of the changed files at `ref`. */
export function mockPullFiles(scope: nock.Scope, pull: number, files: readonly ChangedFile[], ref: string): void {
  scope
    .get(`${REPO}/pulls/${pull}/files`)
    .query(true)
    .reply(
      200,
      files.map((f) => ({ filename: f.path, status: f.status ?? 'modified', additions: 1, deletions: 0, changes: 1, ...(f.patch === undefined ? {} : { patch: f.patch }) })),
    );
  for (const f of files) {
    if (f.status === 'removed') continue;
    scope
      .get(`${REPO}/contents/${f.path.split('/').map(encodeURIComponent).join('%2F')}`)
      .query({ ref })
      .reply(200, f.text, { 'content-type': 'application/vnd.github.raw' });
  }
}

/** A patch that adds every line of `text` (a new file). */
export function addedPatch(text: string): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

/** The check runs GitHub would hold, with every annotation the app appended. */
export type Checks = {
  runs: Array<{ id: number; name: string; head_sha: string; status: string; conclusion?: string; output?: { title: string; summary: string }; annotations: Array<Record<string, unknown>>; updates: number }>;
};

export function createChecks(): Checks {
  return { runs: [] };
}

/**
 * The check-run requests of one review: the lookup by head SHA, then (unless a completed run
 * exists, or `list: false` for a re-request) the create and `updates` updates.
 */
export function mockCheckRuns(scope: nock.Scope, checks: Checks, sha: string, opts: { list?: boolean; create?: boolean; updates?: number } = {}): void {
  if (opts.list !== false) {
    scope
      .get(`${REPO}/commits/${sha}/check-runs`)
      .query(true)
      .reply(200, () => {
        const runs = checks.runs.filter((r) => r.head_sha === sha).map((r) => ({ id: r.id, name: r.name, head_sha: r.head_sha, status: r.status, conclusion: r.conclusion ?? null }));
        return { total_count: runs.length, check_runs: runs };
      });
  }
  if (opts.create !== false) {
    scope.post(`${REPO}/check-runs`).reply(201, (_uri, body) => {
      const b = body as { name: string; head_sha: string; status: string };
      const run = { id: 7000 + checks.runs.length, name: b.name, head_sha: b.head_sha, status: b.status, annotations: [], updates: 0 };
      checks.runs.push(run);
      return { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status };
    });
  }
  const updates = opts.updates ?? (opts.create === false ? 0 : 1);
  if (updates > 0) {
    scope
      .patch((p) => p.startsWith(`${REPO}/check-runs/`))
      .times(updates)
      .reply(200, (uri, body) => {
        const id = Number(uri.split('/').pop());
        const run = checks.runs.find((r) => r.id === id);
        const b = body as { status?: string; conclusion?: string; output?: { title: string; summary: string; annotations?: Array<Record<string, unknown>> } };
        if (run !== undefined) {
          run.updates++;
          if (b.status !== undefined) run.status = b.status;
          if (b.conclusion !== undefined) run.conclusion = b.conclusion;
          if (b.output !== undefined) {
            run.output = { title: b.output.title, summary: b.output.summary };
            run.annotations.push(...(b.output.annotations ?? []));
          }
        }
        return { id };
      });
  }
}
