/**
 * Webhook acknowledgement latency (goal A5): 200 signed deliveries over loopback HTTP while the
 * work behind the queue hangs. Everything downstream (the fake GitHub API on 127.0.0.1, standing
 * in for a stuck LLM or API call: the app has no LLM call on its webhook path) accepts the
 * connection and never answers, so every worker slot is stuck and the queue only grows.
 * Reports p50/p99/max from send to response, and the RSS and heap growth over the run.
 * Target: p99 ≤ 500 ms, max < 2 s. The first burst meets a service just started (cold); the
 * client runs in this process too, so its own work adds to every figure. The machine's other load
 * moves these figures a lot: compare medians of several runs.
 *
 * Baseline, same run: Probot's own model (the handler runs before the answer) on three deliveries,
 * which wait for the middleware's 9 s timeout and its 202.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { createApp } from '../src/github/app.js';
import { createMemoryQueue } from '../src/github/queue/memory-queue.js';
import { createWebhookService } from '../src/github/queue/webhook-service.js';
import { rules } from '../src/core/rules/index.js';
import { createScanRunner } from '../src/io/scan-in-worker.js';

const DELIVERIES = 200;
const SECRET = 'bench-secret';

function hangingApi(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage) => req.resume());
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function payload(i: number): Record<string, unknown> {
  return {
    action: 'created',
    issue: { number: 10 + i, state: 'open', labels: [], title: 't', user: { login: 'dev', type: 'User' }, updated_at: '2026-01-01T00:00:00Z' },
    comment: { id: 7000 + i, body: '@ftbot help', user: { login: 'dev', type: 'User' }, author_association: 'OWNER' },
    repository: { name: 'ext', full_name: 'bench/ext', owner: { login: 'bench' }, default_branch: 'main' },
    sender: { login: 'dev', type: 'User' },
    installation: { id: 2, node_id: 'I' },
  };
}

async function post(url: string, i: number): Promise<{ ms: number; status: number }> {
  const body = JSON.stringify(payload(i));
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': `bench-${i}`, 'x-hub-signature-256': signature },
    body,
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/**
 * Hostile inputs the same instance scans meanwhile: 1 MB of nested blocks that each take a borrowed
 * reference (minutes for the rules in one thread) and a 40-star cibuildwheel selector.
 */
function hostileFiles(): Array<{ path: string; text: string }> {
  const block = '{ PyObject *v = PyDict_GetItem(d, k); Py_INCREF(v);\n';
  const depth = Math.floor(1_000_000 / (block.length + 1));
  return [
    { path: 'src/nested.c', text: `void f(PyObject *d){\n${block.repeat(depth)}${'}'.repeat(depth)}\n}\n` },
    { path: 'pyproject.toml', text: `[project]\nname = "m"\n[tool.cibuildwheel]\nskip = "${'*'.repeat(40)}Z"\n` },
  ];
}

async function sendBurst(url: string, from: number): Promise<Array<{ ms: number; status: number }>> {
  // Ten at a time, as GitHub's deliveries overlap during a burst.
  const results: Array<{ ms: number; status: number }> = [];
  for (let i = 0; i < DELIVERIES; i += 10) results.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => post(url, from + i + k)))));
  return results;
}

export async function benchIngress(): Promise<Record<string, number | string>> {
  const api = await hangingApi();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));
  const probotOptions = { appId: 1, privateKey, secret: SECRET, baseUrl: api.url, logLevel: 'fatal' as const, Octokit };
  const app = createApp({ dryRun: false, appSlug: 'ftbot', docsBaseUrl: 'https://example.test/' });
  const startedAt = performance.now();
  const service = await createWebhookService({ app, probot: probotOptions, createQueue: (events) => createMemoryQueue({ ...events }) });
  const { port } = await service.listen(0, '127.0.0.1');
  const startMs = performance.now() - startedAt;
  const url = `http://127.0.0.1:${port}/api/github/webhooks`;
  try {
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const heap = process.memoryUsage().heapUsed;
    const results = await sendBurst(url, 0);
    global.gc?.();
    const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
    // The same instance scans hostile files on its scan runner (a worker thread with a budget)
    // while a second burst arrives.
    const scanStarted = performance.now();
    const scanning = createScanRunner({ fileMs: 10_000 })({ files: hostileFiles(), ruleIds: rules.map((r) => r.meta.id), config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
    let finished = false;
    void scanning.then(() => (finished = true));
    // Bursts until the scan ends, so they cover the thread's start, the stuck file and the restart.
    const during: Array<{ ms: number; status: number }> = [];
    for (let round = 1; !finished; round++) during.push(...(await sendBurst(url, round * 10_000)));
    const scan = await scanning;
    const duringSorted = during.map((r) => r.ms).sort((a, b) => a - b);
    const counts = await service.queue.counts();
    const figures: Record<string, number | string> = {
      deliveries: DELIVERIES,
      'answered 200': results.filter((r) => r.status === 200).length,
      'start-up ms (service and warm-up)': Math.round(startMs),
      'cold: first 10 acks max ms': Number(Math.max(...results.slice(0, 10).map((r) => r.ms)).toFixed(1)),
      'ack p50 ms': Number(percentile(sorted, 50).toFixed(1)),
      'ack p99 ms': Number(percentile(sorted, 99).toFixed(1)),
      'ack max ms': Number((sorted.at(-1) ?? NaN).toFixed(1)),
      'jobs stuck / queued': `${counts.active} / ${counts.waiting}`,
      'RSS growth MB': Number(((process.memoryUsage().rss - rss) / 2 ** 20).toFixed(1)),
      'heap growth MB': Number(((process.memoryUsage().heapUsed - heap) / 2 ** 20).toFixed(1)),
      target: 'p99 ≤ 500 ms, max < 2000 ms',
      'during hostile scan: deliveries': during.length,
      'during hostile scan: answered 200': during.filter((r) => r.status === 200).length,
      'during hostile scan: refused 503 (queue full)': during.filter((r) => r.status === 503).length,
      'during hostile scan: ack p99 ms': Number(percentile(duringSorted, 99).toFixed(1)),
      'during hostile scan: ack max ms': Number((duringSorted.at(-1) ?? NaN).toFixed(1)),
      'hostile scan ms (budget 10 s per file)': Math.round(performance.now() - scanStarted),
      'hostile scan: files skipped': scan.diagnostics.filter((d) => d.kind === 'truncated').map((d) => d.path).join(', '),
      'hostile scan: findings kept': scan.findings.length,
    };

    // Baseline: the handler runs before the answer, as Probot does by default.
    const probot = new Probot(probotOptions);
    const middleware = await createNodeMiddleware(app, { probot });
    const plain = createServer((req, res) => void middleware(req, res));
    const plainPort = await listen(plain);
    const baseline = await Promise.all([0, 1, 2].map((k) => post(`http://127.0.0.1:${plainPort}/api/github/webhooks`, 1000 + k)));
    figures['baseline ack ms (in-handler, 3 deliveries)'] = Math.round(Math.max(...baseline.map((b) => b.ms)));
    figures['baseline status'] = baseline.map((b) => b.status).join(',');
    plain.closeAllConnections();
    plain.close();
    return figures;
  } finally {
    await api.close();
    await service.close(100);
  }
}
