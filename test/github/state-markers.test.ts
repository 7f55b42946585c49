import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
  receive,
  type Thread,
} from '../helpers/probot-app.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const file = { path: 'src/spam/spammodule.c', text: spam, patch: addedPatch(spam) };

function labeledPr() {
  const payload = loadWebhook('pull_request.opened');
  payload.pull_request.labels = [LABEL];
  payload.pull_request.head.sha = SHA;
  return payload;
}

/** One labeled review of the fixture pull request (#2) on `thread`. */
async function review(thread: Thread): Promise<void> {
  const { probot } = createTestProbot();
  const api = githubApi();
  mockToken(api.scope);
  mockCheckRuns(api.scope, thread.checks, SHA);
  mockConfig(api.scope);
  mockListComments(api.scope, thread, 2);
  mockPullFiles(api.scope, 2, [file], SHA);
  mockListReviewComments(api.scope, thread, 2);
  mockCreateReview(api.scope, thread, 2);
  mockCreateComment(api.scope, thread, 2);
  await receive(probot, 'pull_request.opened', labeledPr());
  expect(api.unmatched).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

const fingerprintsOf = (body: string): string[] => [...body.matchAll(/<!-- ftbot:fp ([0-9a-z]+)/g)].map((m) => m[1] ?? '');

describe('state markers on a pull request (issue 14 M2)', () => {
  it('still comments inline when the author smuggles ftbot\u2019s markers into a bot\u2019s message', async () => {
    // What ftbot posts on a clean thread: the fingerprints of its inline findings.
    const clean = createThread();
    await review(clean);
    const posted = clean.reviewComments.flatMap((c) => fingerprintsOf(c.body));
    expect(posted.length).toBeGreaterThan(3);

    // The author adds the hazards and gets another bot (a linter quoting their text, a workflow
    // echoing the description) to post a message ending with ftbot's markers, unkeyed.
    const attacked = createThread();
    attacked.reviewComments.push({
      id: 4000,
      path: file.path,
      line: 1,
      body: `Quoted from the pull request:\n${posted.map((fp) => `<!-- ftbot:fp ${fp} -->`).join('\n')}`,
      user: { login: 'lint-bot[bot]', type: 'Bot' },
    });
    await review(attacked);
    expect(attacked.reviews).toHaveLength(1);
    const again = attacked.reviewComments.filter((c) => c.id !== 4000).flatMap((c) => fingerprintsOf(c.body));
    expect(again).toEqual(posted);
  });
});
