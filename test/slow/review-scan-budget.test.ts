import { afterAll, describe, expect, it } from 'vitest';
import { createScanRunner } from '../../src/io/scan-in-worker.js';
import { deliver, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { addedPatch, loadWebhook } from '../helpers/probot-app.js';

const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };
const plain = 'static PyObject *f(PyObject *d, PyObject *k) {\n    PyObject *v = PyDict_GetItem(d, k);\n    return v;\n}\n';
const hostile = 'void f(PyObject *d){\n' + '{ PyObject *v = PyDict_GetItem(d, k); Py_INCREF(v);\n'.repeat(400) + '}'.repeat(400) + '\n}\n';

describe('a pull-request review on the scan runner', () => {
  let github: FakeGitHub | undefined;
  let service: WebhookService | undefined;
  afterAll(async () => {
    await service?.close(1000);
    await github?.close();
  });

  it('posts its summary with the file over budget named, while the endpoint keeps answering', async () => {
    github = await startFakeGitHub();
    github.pullFiles.set(2, [
      { filename: 'src/m.c', status: 'added', additions: 4, deletions: 0, changes: 4, patch: addedPatch(plain) },
      { filename: 'src/nested.c', status: 'added', additions: 1, deletions: 0, changes: 1, patch: addedPatch('void f(void);\n') },
    ]);
    github.contents.set('src/m.c', plain);
    github.contents.set('src/nested.c', hostile);
    service = (await startService({ github, app: { scanRunner: createScanRunner({ fileMs: 1_000 }) } })).service;
    const base = `http://127.0.0.1:${(await service.listen(0, '127.0.0.1')).port}`;
    const payload = loadWebhook('pull_request.labeled');
    payload.pull_request.labels = [LABEL];
    payload.label = LABEL;
    payload.pull_request.draft = false;
    payload.pull_request.state = 'open';
    expect(await deliver(base, { id: 'pr-budget', name: 'pull_request', payload })).toBe(200);
    // The endpoint answers while the scan runs.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await service.queue.drain();
    const summary = (github.comments.get(2) ?? []).map((c) => c.body).find((b) => b.includes('<!-- ftbot:summary v1 -->')) ?? '';
    expect(summary).toContain('`src/nested.c`: not scanned: it took over 1000 ms');
  });
});
