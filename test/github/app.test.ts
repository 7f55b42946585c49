import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GITHUB_BODY_LIMIT, patchLines } from '../../src/core/review/index.js';
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
  mockUpdateComment,
  receive,
  type Thread,
} from '../helpers/probot-app.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const SHA1 = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const SHA2 = '1111111111111111111111111111111111111111';
const SHA3 = '2222222222222222222222222222222222222222';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };

function labeledPr(action: 'opened' | 'synchronize' | 'labeled', sha = SHA1) {
  const payload = loadWebhook(`pull_request.${action}`);
  payload.pull_request.labels = [LABEL];
  payload.pull_request.head.sha = sha;
  if (action === 'labeled') payload.label = LABEL;
  return payload;
}

/** The reads every labeled pull-request run makes before it scans. */
function mockRunStart(
  scope: ReturnType<typeof githubApi>['scope'],
  thread: Thread,
  files: Parameters<typeof mockPullFiles>[2],
  ref: string,
  token = true,
  check: Parameters<typeof mockCheckRuns>[3] = {},
): void {
  // Probot caches the installation token, so only an instance's first event asks for one.
  if (token) mockToken(scope);
  mockCheckRuns(scope, thread.checks, ref, check);
  mockConfig(scope);
  mockListComments(scope, thread, 2);
  mockPullFiles(scope, 2, files, ref);
  mockListReviewComments(scope, thread, 2);
}

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

describe('pull requests', () => {
  it('makes no request for a pull request without the label', async () => {
    const { probot } = createTestProbot();
    const api = githubApi();
    await receive(probot, 'pull_request.opened', loadWebhook('pull_request.opened'));
    finish(api);
  });

  it('reads the config but posts nothing when the pull request has only other labels', async () => {
    const { probot } = createTestProbot();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    await receive(probot, 'pull_request.synchronize', loadWebhook('pull_request.synchronize'));
    finish(api);
  });

  it('ignores events sent by bots', async () => {
    const { probot } = createTestProbot();
    const api = githubApi();
    const payload = labeledPr('opened');
    payload.sender = { ...payload.sender, login: 'ftbot[bot]', type: 'Bot' };
    await receive(probot, 'pull_request.opened', payload);
    finish(api);
  });

  it('posts one review and one summary, then edits the summary and never repeats an inline comment', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const file = { path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) };

    // 1. opened with the label: one review on the head SHA, one summary.
    let api = githubApi();
    mockRunStart(api.scope, thread, [file], SHA1);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr('opened'));
    finish(api);
    expect(thread.reviews).toHaveLength(1);
    const review = thread.reviews[0] as { commit_id: string; event: string; body: string; comments: Array<{ path: string; line: number; body: string }> };
    expect(review.commit_id).toBe(SHA1);
    expect(review.event).toBe('COMMENT');
    // Exact lines depend on the rules (tested in test/rules); here: one comment per finding, in order.
    // One comment per line, listing every finding there (one fingerprint marker each).
    const findings = review.comments.reduce((n, c) => n + (c.body.match(/<!-- ftbot:fp /g) ?? []).length, 0);
    expect(findings).toBeGreaterThan(review.comments.length);
    expect(new Set(review.comments.map((c) => c.line)).size).toBe(review.comments.length);
    expect(review.body).toBe(`ftbot: ${findings} new free-threading findings on lines this pull request adds (${review.comments.length} lines).`);
    // A comment carrying a drafted suggestion spans the lines it replaces; comments follow the findings' order.
    const lines = review.comments.map((c) => (c as { start_line?: number }).start_line ?? c.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines).toEqual(expect.arrayContaining([18, 32, 44, 83, 145]));
    expect(review.comments[0]?.body).toMatchInlineSnapshot(`
      "**FT001** \`PyDict_GetItem\` returns a borrowed reference that another thread can free while \`registry\` is shared ([FT001](https://example.test/docs/rules/ft001-dict-get-item-borrowed.md): dict-get-item-borrowed)

      Why: Without the GIL another thread can delete the key and free the value while this code still uses the borrowed pointer.

      Background: [Replacing borrowed references from dict lookups](https://example.test/knowledge/dict-borrowed-references.md#replacing-borrowed-references-from-dict-lookups)

      Suggested change (drafted by ftbot's templates, verified by ftbot: it parses, clears the finding and adds none):

      Replace \`PyDict_GetItem\` with \`PyDict_GetItemRef\`, which stores a strong reference in its last argument and returns \`1\` (found), \`0\` (missing, the variable is NULL) or \`-1\` (error, exception set). The error result returns from the function, and the new reference is released with \`Py_XDECREF\` on every path that does not return it.

      \`PyDict_GetItemRef\` is new in Python 3.13; if the project supports older versions, include \`pythoncapi_compat.h\` (python/pythoncapi-compat), which provides it.

      \`\`\`suggestion
          PyObject *value;
          if (PyDict_GetItemRef(registry, key, &value) < 0) {
              return NULL;
          }
          if (value == NULL) {
              Py_RETURN_NONE;
          }
          return value;
      \`\`\`

      Sources:
      - Replacing borrowed references from dict lookups (\`knowledge/dict-borrowed-references.md\`) · [upstream](https://docs.python.org/3/howto/free-threading-extensions.html#borrowed-references)

      <!-- ftbot:draft deterministic -->

      ---

      **FT004** \`Py_NewRef(value)\` after \`PyDict_GetItem\` does not make the borrowed reference safe: the item can be freed before the increment ([FT004](https://example.test/docs/rules/ft004-borrowed-ref-then-incref.md): borrowed-ref-then-incref)

      Why: The object can be freed between the borrowed lookup and the increment, so the new reference may point at freed memory.

      Background: [Why Py_NewRef(PyList_GetItem(...)) is not a fix](https://example.test/knowledge/newref-around-borrowed-call.md#why-py_newrefpylist_getitem-is-not-a-fix)

      Fix: Call \`PyDict_GetItemRef\` instead, which returns a strong reference atomically

      Drafted change: see FT001 above.
      <!-- ftbot:fp 82f3e3c4bbbcd709 a92d94f14ec1ee36fb07e2cf14b4f530 -->
      <!-- ftbot:fp 7f97162d06b82a1c 90646c8e72a14dd0a963405136765d86 -->"
    `);
    // The safe FT008 fix becomes a committable multi-line suggestion.
    const slot = review.comments.at(-1) as { start_line?: number; line: number; body: string };
    expect([slot.start_line, slot.line]).toEqual([145, 147]);
    expect(slot.body).toContain('```suggestion\nstatic PyModuleDef_Slot spam_slots[] = {');
    expect(thread.comments).toHaveLength(1);
    const summaryId = thread.comments[0]?.id as number;

    expect(thread.checks.runs).toMatchObject([{ head_sha: SHA1, status: 'completed', conclusion: 'neutral' }]);

    // 2. labeled again on the same commit: nothing new, the summary and check run are unchanged, nothing written.
    api = githubApi();
    mockRunStart(api.scope, thread, [file], SHA1, false, { create: false });
    await receive(probot, 'pull_request.labeled', labeledPr('labeled'));
    finish(api);

    // 3. a push that moves every line down by three: same fingerprints, no review; summary edited.
    const shifted = `/* a */\n/* b */\n/* c */\n${spam}`;
    api = githubApi();
    mockRunStart(api.scope, thread, [{ ...file, text: shifted, patch: addedPatch(shifted) }], SHA2, false);
    mockUpdateComment(api.scope, thread, summaryId);
    await receive(probot, 'pull_request.synchronize', labeledPr('synchronize', SHA2));
    finish(api);
    expect(thread.reviews).toHaveLength(1);

    // 4. a push that fixes the `strtok` calls and adds a new borrowed call.
    const fixedText = shifted.replaceAll('strtok(', 'strtok_r(') + '\nstatic PyObject *late(PyObject *self, PyObject *key) {\n    return PyDict_GetItem(registry, key);\n}\n';
    api = githubApi();
    mockRunStart(api.scope, thread, [{ ...file, text: fixedText, patch: addedPatch(fixedText) }], SHA3, false);
    mockCreateReview(api.scope, thread, 2);
    mockUpdateComment(api.scope, thread, summaryId);
    await receive(probot, 'pull_request.synchronize', labeledPr('synchronize', SHA3));
    finish(api);
    expect(thread.reviews).toHaveLength(2);
    expect((thread.reviews[1] as { comments: unknown[] }).comments).toHaveLength(1);

    expect(thread.posts).toBe(1);
    expect(thread.patches).toBe(2);
    const summary = thread.comments[0]?.body ?? '';
    expect(summary).toContain('<!-- ftbot:summary v1 -->');
    expect(summary).toMatch(new RegExp(`<!-- ftbot:head ${SHA3} [0-9a-f]{32} -->`));
    expect(summary).toMatch(/### Fixed since the last run \(2\)/);
  });

  it('comments only on lines inside the diff and lists the rest in the summary', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    // A hunk that changes lines 40–60 only.
    const lines = spam.split('\n');
    const hunk = `@@ -40,19 +40,21 @@\n${lines.slice(39, 60).map((l, i) => (i === 5 || i === 16 ? `+${l}` : ` ${l}`)).join('\n')}`;
    const file = { path: 'src/spam/spammodule.c', text: spam, patch: hunk };
    const api = githubApi();
    mockRunStart(api.scope, thread, [file], SHA1);
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr('opened'));
    finish(api);
    const allowed = new Set(patchLines(hunk).hunks.flat());
    const added = new Set(patchLines(hunk).added);
    const comments = (thread.reviews[0] as { comments: Array<{ line: number; start_line?: number }> }).comments;
    expect(comments.length).toBeGreaterThan(0);
    // Every comment sits on a line the pull request adds; a suggestion may run on over unchanged
    // lines of the same hunk.
    for (const c of comments) {
      const span = Array.from({ length: c.line - (c.start_line ?? c.line) + 1 }, (_, i) => (c.start_line ?? c.line) + i);
      expect(span.some((l) => added.has(l))).toBe(true);
      for (const l of span) expect(allowed.has(l)).toBe(true);
    }
    expect(comments.filter((c) => c.start_line === undefined).every((c) => added.has(c.line))).toBe(true);
    expect(thread.comments[0]?.body).toMatch(/<details><summary>Outside the diff \(\d+\)<\/summary>/);
  });

  it('keeps every body under GitHub’s size limit and caps inline comments', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const many = Array.from({ length: 1500 }, (_, i) => `static char *split_${i}(char *s) { return strtok(s, ",@team${i}"); }`).join('\n');
    const text = `#include <Python.h>\n${many}\n`;
    const api = githubApi();
    // 1,500 findings: the first 1,000 are annotated, 50 per request (20 updates).
    mockRunStart(api.scope, thread, [{ path: 'src/many.c', text, patch: addedPatch(text) }], SHA1, true, { updates: 20 });
    mockCreateReview(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 2);
    await receive(probot, 'pull_request.opened', labeledPr('opened'));
    finish(api);
    const review = thread.reviews[0] as { body: string; comments: Array<{ body: string }> };
    expect(review.comments).toHaveLength(20);
    for (const c of review.comments) expect(c.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const summary = thread.comments[0]?.body ?? '';
    expect(summary.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(summary).toContain('### Over the inline-comment limit (1480)');
    const [run] = thread.checks.runs;
    expect(run?.annotations).toHaveLength(1000);
    expect(run?.updates).toBe(20);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral' });
  });

  it('reviews a fork from its head repository and skips a deleted head repository', async () => {
    const { probot, logs } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 2);
    const payload = labeledPr('opened');
    payload.pull_request.head.repo = null;
    await receive(probot, 'pull_request.opened', payload);
    finish(api);
    expect(logs.filter((l) => l.msg === 'head repository was deleted; nothing to review')).toHaveLength(1);
  });

  it('reports invalid configuration once and goes on with the defaults', async () => {
    const { probot } = createTestProbot();
    const thread = createThread();
    const file = { path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) };
    const yml = 'max-inline-comments: many\nlabel: free-threading\n';
    for (const round of [1, 2]) {
      const api = githubApi();
      if (round === 1) mockToken(api.scope);
      mockConfig(api.scope, { yml });
      mockListComments(api.scope, thread, 2);
      if (round === 1) mockCreateComment(api.scope, thread, 2);
      mockPullFiles(api.scope, 2, [file], SHA1);
      mockListReviewComments(api.scope, thread, 2);
      mockCheckRuns(api.scope, thread.checks, SHA1, round === 1 ? {} : { create: false });
      if (round === 1) {
        mockCreateReview(api.scope, thread, 2);
        mockCreateComment(api.scope, thread, 2);
      }
      await receive(probot, 'pull_request.opened', labeledPr('opened'));
      finish(api);
    }
    expect(thread.comments.map((c) => c.body.split('\n')[0])).toEqual(['<!-- ftbot:config v1 -->', '<!-- ftbot:summary v1 -->']);
    expect(thread.comments[0]?.body).toContain('`.github/ftbot.yml`: `max-inline-comments`:');
    expect(thread.reviews).toHaveLength(1);
  });

  it('logs and swallows a handler error, so receive resolves', async () => {
    const { probot, logs } = createTestProbot();
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockConfig(api.scope);
    mockListComments(api.scope, thread, 2);
    mockCheckRuns(api.scope, thread.checks, SHA1, { updates: 0 });
    api.scope.get('/repos/Codertocat/Hello-World/pulls/2/files').query(true).reply(500, { message: 'boom' });
    await expect(receive(probot, 'pull_request.opened', labeledPr('opened'), 'delivery-500')).resolves.toBeUndefined();
    finish(api);
    const failure = logs.find((l) => l.msg === 'handler failed');
    expect(failure?.deliveryId).toBe('delivery-500');
    expect(thread.comments).toEqual([]);
  });

  it('logs the exact payload instead of posting in dry-run mode', async () => {
    const { probot, logs } = createTestProbot({ dryRun: true });
    const thread = createThread();
    const file = { path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) };
    const api = githubApi();
    mockRunStart(api.scope, thread, [file], SHA1, true, { create: false });
    await receive(probot, 'pull_request.opened', labeledPr('opened'));
    finish(api);
    const writes = logs.filter((l) => l.dryRun === true);
    expect(writes.map((l) => l.route)).toEqual([
      'POST /repos/{owner}/{repo}/check-runs',
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    ]);
    expect((writes[1]?.payload as { commit_id: string }).commit_id).toBe(SHA1);
  });
});
