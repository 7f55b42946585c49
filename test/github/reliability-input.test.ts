import { afterEach, describe, expect, it } from 'vitest';
import { jobKeys } from '../../src/github/queue/job-keys.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { addedPatch, loadWebhook } from '../helpers/probot-app.js';

/**
 * Bad input through the whole app (queue, worker, handlers): each case must end the job without
 * a crash, within the test's time limit, and leave one visible comment or note where the app
 * would post one. Named after what they break.
 */
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const SUMMARY = '<!-- ftbot:summary v1 -->';

let github: FakeGitHub | undefined;
let service: WebhookService | undefined;
afterEach(async () => {
  await service?.close(1000);
  await github?.close();
});

async function run(name: string, payload: Record<string, unknown>, prepare: (fake: FakeGitHub) => void): Promise<{ fake: FakeGitHub; svc: WebhookService; lines: Array<Record<string, unknown>> }> {
  github = await startFakeGitHub();
  prepare(github);
  const started = await startService({ github, logLevel: 'info' });
  service = started.service;
  const keyed = jobKeys(`input-${name}`, name, payload);
  if ('skip' in keyed) throw new Error(keyed.skip);
  await service.queue.enqueue({ id: `input-${name}`, name, payload, keys: keyed.keys, installationId: keyed.installationId, target: keyed.target, enqueuedAt: 0 });
  await service.queue.drain();
  expect(service.metrics.get('ftbot_jobs_failed_total')).toBe(0);
  expect(started.lines.filter((l) => l.msg === 'job failed')).toEqual([]);
  return { fake: github, svc: service, lines: started.lines };
}

function pr(): Record<string, unknown> {
  const payload = loadWebhook('pull_request.opened');
  payload.pull_request.labels = [LABEL];
  payload.pull_request.draft = false;
  return payload;
}

function file(path: string, text: string | Buffer, patch?: string) {
  return { filename: path, status: 'added', additions: 1, deletions: 0, changes: 1, ...(patch === undefined ? {} : { patch }) } as Record<string, unknown> & { text?: string | Buffer };
}

const summaries = (fake: FakeGitHub, n = 2) => (fake.comments.get(n) ?? []).filter((c) => c.body.includes(SUMMARY));

describe('bad input', () => {
  it('oversized diff and file: 4 MB patch, 12 MB source', { timeout: 60_000 }, async () => {
    const big = 'int x;\n'.repeat(600_000);
    const huge = `/* ${'y'.repeat(12 * 1024 * 1024)} */\n`;
    const { fake } = await run('pull_request', pr(), (f) => {
      f.pullFiles.set(2, [file('src/big.c', big, addedPatch(big)), file('src/huge.c', huge)]);
      f.contents.set('src/big.c', big);
      f.contents.set('src/huge.c', huge);
    });
    expect(summaries(fake)).toHaveLength(1);
  });

  it('binary files: no patch, NUL bytes in a C file, a shared object', { timeout: 30_000 }, async () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0xff, 0xfe, 0, 0x0a]);
    const { fake } = await run('pull_request', pr(), (f) => {
      f.pullFiles.set(2, [file('src/blob.c', binary), file('lib/_spam.so', binary)]);
      f.contents.set('src/blob.c', binary);
      f.contents.set('lib/_spam.so', binary);
    });
    expect(summaries(fake)).toHaveLength(1);
  });

  it('invalid UTF-8 in a changed source', { timeout: 30_000 }, async () => {
    const text = Buffer.concat([Buffer.from('#include <Python.h>\nstatic PyObject *f(PyObject *d, PyObject *k) { return PyDict_GetItem(d, k); }\n/* '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from(' */\n')]);
    const { fake } = await run('pull_request', pr(), (f) => {
      f.pullFiles.set(2, [file('src/bad.c', text, addedPatch(text.toString('utf8')))]);
      f.contents.set('src/bad.c', text);
    });
    expect(summaries(fake)).toHaveLength(1);
  });

  it('YAML alias bomb in .github/ftbot.yml', { timeout: 30_000 }, async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { fake } = await run('pull_request', pr(), (f) => {
      f.contents.set('.github/ftbot.yml', `${levels.join('\n')}\nexclude: *j\n`);
      f.pullFiles.set(2, [file('src/m.c', 'int x;\n', addedPatch('int x;\n'))]);
      f.contents.set('src/m.c', 'int x;\n');
    });
    expect(fake.comments.get(2)?.length ?? 0).toBeGreaterThan(0);
  });

  it('deeply nested and huge pyproject.toml', { timeout: 60_000 }, async () => {
    const nested = `[tool.ftbot]\nx = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const { fake } = await run('pull_request', pr(), (f) => {
      f.contents.set('pyproject.toml', nested);
      f.pullFiles.set(2, [file('src/m.c', 'int x;\n', addedPatch('int x;\n'))]);
      f.contents.set('src/m.c', 'int x;\n');
    });
    expect(fake.comments.get(2)?.length ?? 0).toBeGreaterThan(0);
    await service?.close(1000);
    await github?.close();
    const rows = Array.from({ length: 200_000 }, (_, i) => `k${i} = "${'v'.repeat(40)}"`).join('\n');
    const { fake: second } = await run('pull_request', pr(), (f) => {
      f.contents.set('pyproject.toml', `[tool.other]\n${rows}\n`);
      f.pullFiles.set(2, [file('src/m.c', 'int x;\n', addedPatch('int x;\n'))]);
      f.contents.set('src/m.c', 'int x;\n');
    });
    expect(second.comments.get(2)?.length ?? 0).toBeGreaterThan(0);
  });

  for (const [name, body] of [
    ['many spaces after the mention', `@ftbot ${' '.repeat(200_000)}x`],
    ['unclosed code spans', `@ftbot help ${'`a'.repeat(100_000)}`],
    ['unclosed fences', `${'```\n'.repeat(30_001)}@ftbot help`],
    ['mention soup', '@ftbot'.repeat(50_000)],
    ['nested parentheses', `@ftbot ask ${'('.repeat(100_000)}?`],
  ] as const) {
    it(`ReDoS-shaped comment: ${name}`, { timeout: 30_000 }, async () => {
      const payload = loadWebhook('issue_comment.created');
      payload.comment.body = body;
      await run('issue_comment', payload, () => undefined);
    });
  }
});
