/**
 * The GitHub App on a 3,000-file pull request, against a fake GitHub API served by node:http on
 * 127.0.0.1 (nothing leaves the machine). Reports wall time for one `pull_request.opened` event
 * and the peak RSS growth while it runs. Targets: under 20 s and under 300 MB extra.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../src/github/app.js';

const FILES = 3000;
const OWNER_REPO = '/repos/bench/ext';

/** A C source of about 2 KB; every tenth file holds two findings. */
function sourceOf(i: number): string {
  const body = Array.from({ length: 60 }, (_, k) => `    total += values[${k}] * ${i};`).join('\n');
  const hazard = i % 10 === 0 ? `\nstatic PyObject *get_${i}(PyObject *registry, PyObject *key) {\n    PyObject *v = PyDict_GetItem(registry, key);\n    char *t = strtok(NULL, ",");\n    return v;\n}\n` : '';
  return `#include <Python.h>\n\nstatic long sum_${i}(const long *values) {\n    long total = 0;\n${body}\n    return total;\n}\n${hazard}`;
}

function patchOf(text: string): string {
  const lines = text.split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

function startFakeGitHub(): Promise<{ url: string; close: () => Promise<void>; requests: () => number }> {
  const texts = Array.from({ length: FILES }, (_, i) => sourceOf(i));
  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const raw = typeof body === 'string';
      res.writeHead(status, { 'content-type': raw ? 'application/vnd.github.raw' : 'application/json; charset=utf-8', ...headers });
      res.end(raw ? body : JSON.stringify(body));
    };
    // Drain request bodies; the fake does not need them.
    req.resume();
    req.on('end', () => {
      const path = url.pathname;
      if (req.method === 'POST' && path.endsWith('/access_tokens')) return send(201, { token: 'ghs_bench', expires_at: '2099-01-01T00:00:00Z' });
      if (req.method === 'POST') return send(201, { id: 1 });
      if (path === `${OWNER_REPO}/pulls/2/files`) {
        const page = Number(url.searchParams.get('page') ?? '1');
        const perPage = Number(url.searchParams.get('per_page') ?? '30');
        const from = (page - 1) * perPage;
        const items = texts.slice(from, from + perPage).map((text, k) => ({ filename: `src/mod${from + k}.c`, status: 'added', additions: 1, deletions: 0, changes: 1, patch: patchOf(text) }));
        const next = from + perPage < texts.length ? { link: `<http://${req.headers.host}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return send(200, items, next);
      }
      const content = /^\/repos\/bench\/ext\/contents\/src(?:%2F|\/)mod(\d+)\.c$/.exec(path);
      if (content !== null) return send(200, texts[Number(content[1])] ?? '');
      if (path.includes('/contents/')) return send(404, { message: 'Not Found' });
      if (path.endsWith('/comments')) return send(200, []);
      return send(404, { message: 'Not Found' });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

export async function benchApp(): Promise<Record<string, number | string>> {
  const fake = await startFakeGitHub();
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    // Throttling off: its 1–3 s pacing of writes measures GitHub's limits, not ftbot.
    const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));
    const probot = new Probot({ appId: 1, privateKey, baseUrl: fake.url, logLevel: 'fatal', Octokit });
    probot.load(createApp({ dryRun: false, appSlug: 'ftbot', docsBaseUrl: 'https://example.test/' }));
    const label = { id: 1, node_id: 'L', url: 'x', name: 'free-threading', color: 'ededed', default: false, description: null };
    const payload = {
      action: 'opened',
      number: 2,
      pull_request: { number: 2, state: 'open', draft: false, labels: [label], head: { sha: 'a'.repeat(40), repo: { name: 'ext', owner: { login: 'bench' } } } },
      repository: { name: 'ext', owner: { login: 'bench' }, default_branch: 'main' },
      sender: { login: 'dev', type: 'User' },
      installation: { id: 2, node_id: 'I' },
    };
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const started = performance.now();
    await probot.receive({ id: 'bench', name: 'pull_request', payload } as unknown as Parameters<Probot['receive']>[0]);
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      files: FILES,
      requests: fake.requests(),
      'wall ms': Math.round(ms),
      'peak RSS growth MB': Math.round((peak - baseline) / 1024 / 1024),
      target: '< 20000 ms, < 300 MB',
    };
  } finally {
    await fake.close();
  }
}
