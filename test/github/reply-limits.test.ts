import { Probot, ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { ftbotOctokit } from '../../src/github/queue/ftbot-octokit.js';
import { createTestProbot, createThread, githubApi, loadWebhook, mockCreateComment, mockToken, privateKey, receive } from '../helpers/probot-app.js';

function finish(api: ReturnType<typeof githubApi>): void {
  expect(api.unmatched).toEqual([]);
  expect(api.violations).toEqual([]);
  expect(api.scope.pendingMocks()).toEqual([]);
}

function mention(body: string, user: { id: number; login: string }, issue = 1) {
  const payload = loadWebhook('issue_comment.created');
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, ...user };
  payload.issue.number = issue;
  return payload;
}

describe('reply limits', () => {
  it('answers one person at most `repliesPerUserPerHour` times, with one notice, whatever the command', async () => {
    const { probot } = createTestProbot({ repliesPerUserPerHour: 2, repliesPerInstallationPerHour: 100 });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    mockCreateComment(api.scope, thread, 2);
    mockCreateComment(api.scope, thread, 1);
    mockCreateComment(api.scope, thread, 1);
    const spammer = { id: 9001, login: 'spammer' };
    // Help, an unknown command, a refusal, then ten more: two replies and one notice.
    await receive(probot, 'issue_comment.created', mention('@ftbot help', spammer));
    await receive(probot, 'issue_comment.created', mention('@ftbot frobnicate', spammer, 2));
    for (let i = 0; i < 10; i += 1) await receive(probot, 'issue_comment.created', mention('@ftbot help', spammer));
    // Another person is still answered.
    await receive(probot, 'issue_comment.created', mention('@ftbot help', { id: 9002, login: 'someone' }));
    finish(api);
    expect(thread.comments).toHaveLength(4);
    expect(thread.comments[2]?.body).toBe('ftbot replies to one person at most 2 times per hour. Mention it again later.');
    expect(thread.comments[3]?.body).toContain('Commands');
  });

  it('stops replying on an installation over `repliesPerInstallationPerHour`, however many people ask', async () => {
    const { probot } = createTestProbot({ repliesPerUserPerHour: 5, repliesPerInstallationPerHour: 3 });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    for (let i = 0; i < 3; i += 1) mockCreateComment(api.scope, thread, 1);
    for (let i = 0; i < 8; i += 1) await receive(probot, 'issue_comment.created', mention('@ftbot help', { id: 100 + i, login: `user${i}` }));
    finish(api);
    expect(thread.comments).toHaveLength(3);
  });

  it('stops replying over `repliesPerProcessPerHour`, across installations (issue 14 M4)', async () => {
    const { probot } = createTestProbot({ repliesPerUserPerHour: 5, repliesPerInstallationPerHour: 100, repliesPerProcessPerHour: 3 });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    api.scope.post('/app/installations/3/access_tokens').reply(201, { token: 'ghs_test3', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write' } });
    for (let i = 0; i < 3; i += 1) mockCreateComment(api.scope, thread, 1);
    for (let i = 0; i < 8; i += 1) {
      const payload = mention('@ftbot help', { id: 200 + i, login: `user${i}` });
      // Every other mention comes from a second installation.
      if (i % 2 === 1) payload.installation = { ...payload.installation, id: 3 } as typeof payload.installation;
      await receive(probot, 'issue_comment.created', payload);
    }
    finish(api);
    expect(thread.comments).toHaveLength(3);
  });

  it('paces writes per installation: the throttle id is the installation, not one id for every installation', async () => {
    const keys: string[] = [];
    const recorder = { key: (k: string) => (keys.push(k), { schedule: (_o: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }) };
    const Octokit = ftbotOctokit({
      base: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false } })),
      throttle: { global: recorder, write: recorder, notifications: recorder, search: recorder, auth: recorder },
    });
    const probot = new Probot({ appId: 123, privateKey, Octokit });
    const thread = createThread();
    const api = githubApi();
    mockToken(api.scope);
    mockCreateComment(api.scope, thread, 1);
    const octokit = await probot.auth(2);
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'Codertocat', repo: 'Hello-World', issue_number: 1, body: 'hi' });
    finish(api);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys.filter((k) => k !== 'ftbot'))).toEqual(new Set(['ftbot:2']));
  });
});
