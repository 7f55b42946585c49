/**
 * The GitHub App on a 3,000-file pull request, against a fake GitHub API served by node:http on
 * 127.0.0.1 (nothing leaves the machine). The changed files are real C and C++ sources of the
 * benchmark corpus (bench/fetch-corpus.sh; `FTBOT_BENCH_CORPUS` points elsewhere), each served
 * whole through the contents API and listed with its full patch, as an added file. The corpus
 * holds fewer than 3,000 such files, so the list goes round it again under `again/`. Reports wall
 * time for one `pull_request.opened` event, the bytes the review downloaded, the requests it made
 * and the peak RSS growth while it ran. Targets: under 20 s and under 300 MB extra.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../src/github/app.js';

const FILES = 3000;
const OWNER_REPO = '/repos/bench/ext';
const root = resolve(fileURLToPath(import.meta.url), '..', '..');

/** The corpus folder: `FTBOT_BENCH_CORPUS`, else the one bench/fetch-corpus.sh builds (and prints). */
function corpusRoot(): string {
  const given = process.env.FTBOT_BENCH_CORPUS;
  if (given !== undefined && existsSync(given)) return given;
  return execFileSync('bash', [join(root, 'bench', 'fetch-corpus.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** The pull request's files: corpus C/C++ sources in path order, repeated under `again/` up to FILES. */
function changedFiles(): Array<{ path: string; text: string }> {
  const dir = corpusRoot();
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|h|cc|cpp|cxx|hpp)$/.test(e.name)) found.push(p);
    }
  };
  walk(dir);
  if (found.length === 0) throw new Error(`no C or C++ files under ${dir}`);
  return Array.from({ length: FILES }, (_, i) => {
    const file = found[i % found.length] as string;
    const path = relative(dir, file).split('\\').join('/');
    return { path: i < found.length ? path : `again/${path}`, text: readFileSync(file, 'utf8') };
  });
}

function patchOf(text: string): string {
  const lines = text.split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

type Fake = {
  url: string;
  close: () => Promise<void>;
  requests: () => number;
  contentBytes: () => number;
  contentReads: () => number;
  unanswered: () => string[];
  /** The POST and PATCH requests, with their bodies (the check run and the review the app wrote). */
  writes: () => Array<{ route: string; body: string }>;
};

function startFakeGitHub(files: ReadonlyArray<{ path: string; text: string }>): Promise<Fake> {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  let requests = 0;
  let contentBytes = 0;
  let contentReads = 0;
  const unanswered = new Set<string>();
  const writes: Array<{ route: string; body: string }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const raw = typeof body === 'string';
      res.writeHead(status, { 'content-type': raw ? 'application/vnd.github.raw' : 'application/json; charset=utf-8', ...headers });
      res.end(raw ? body : JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PATCH' || req.method === 'POST') writes.push({ route: `${req.method} ${url.pathname}`, body: Buffer.concat(chunks).toString('utf8') });
      const path = url.pathname;
      if (req.method === 'POST' && path.endsWith('/access_tokens')) return send(201, { token: 'ghs_bench', expires_at: '2099-01-01T00:00:00Z' });
      if (path === `${OWNER_REPO}/check-runs` && req.method === 'POST') return send(201, { id: 1, status: 'in_progress' });
      if (path.startsWith(`${OWNER_REPO}/check-runs/`) && req.method === 'PATCH') return send(200, { id: 1 });
      if (req.method === 'POST') return send(201, { id: 1 });
      if (req.method === 'PATCH') return send(200, { id: 1 });
      if (/\/commits\/[0-9a-f]+\/check-runs$/.test(path)) return send(200, { total_count: 0, check_runs: [] });
      if (path === `${OWNER_REPO}/pulls/2/files`) {
        const page = Number(url.searchParams.get('page') ?? '1');
        const perPage = Number(url.searchParams.get('per_page') ?? '30');
        const from = (page - 1) * perPage;
        const items = files.slice(from, from + perPage).map((f) => ({ filename: f.path, status: 'added', additions: f.text.split('\n').length, deletions: 0, changes: f.text.split('\n').length, patch: patchOf(f.text) }));
        const next = from + perPage < files.length ? { link: `<http://${req.headers.host}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return send(200, items, next);
      }
      if (path.startsWith(`${OWNER_REPO}/contents/`)) {
        const text = byPath.get(decodeURIComponent(path.slice(`${OWNER_REPO}/contents/`.length)));
        if (text === undefined) return send(404, { message: 'Not Found' });
        contentReads++;
        contentBytes += Buffer.byteLength(text);
        return send(200, text, { 'content-length': String(Buffer.byteLength(text)) });
      }
      if (path.endsWith('/comments') || path.endsWith('/reviews')) return send(200, []);
      unanswered.add(`${req.method} ${path}`);
      return send(404, { message: 'Not Found' });
    });
  });
  // Idle keep-alive connections stay open while the review scans: with Node's 5 s default the
  // client reuses a socket the fake has just closed and the review's write fails (ECONNRESET).
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests: () => requests,
        contentBytes: () => contentBytes,
        contentReads: () => contentReads,
        unanswered: () => [...unanswered],
        writes: () => writes,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function checkRunOutcome(writes: ReadonlyArray<{ route: string; body: string }>): string {
  const last = writes.filter((w) => w.route.includes('/check-runs')).at(-1);
  if (last === undefined) return 'none written';
  const body = JSON.parse(last.body) as { conclusion?: string; output?: { title?: string } };
  return `${body.conclusion ?? 'no conclusion'}: ${body.output?.title ?? ''}`;
}

function reviewComments(writes: ReadonlyArray<{ route: string; body: string }>): number {
  return writes.filter((w) => w.route.endsWith('/reviews')).reduce((n, w) => n + ((JSON.parse(w.body) as { comments?: unknown[] }).comments?.length ?? 0), 0);
}

export async function benchApp(): Promise<Record<string, number | string>> {
  const files = changedFiles();
  const fake = await startFakeGitHub(files);
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    // Throttling off: its 1–3 s pacing of writes measures GitHub's limits, not ftbot.
    const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));
    const probot = new Probot({ appId: 1, privateKey, baseUrl: fake.url, logLevel: (process.env.BENCH_LOG_LEVEL ?? 'fatal') as 'fatal', Octokit });
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
    const cpuStarted = process.cpuUsage();
    await probot.receive({ id: 'bench', name: 'pull_request', payload } as unknown as Parameters<Probot['receive']>[0]);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
    return {
      files: FILES,
      'MB in the changed files': Number((bytes / 2 ** 20).toFixed(1)),
      'files downloaded (contents API)': fake.contentReads(),
      'MB downloaded': Number((fake.contentBytes() / 2 ** 20).toFixed(1)),
      requests: fake.requests(),
      'requests the fake did not know': fake.unanswered().join(', ') || 'none',
      // The check run's last update says what the review concluded (`neutral` with findings).
      'check run': checkRunOutcome(fake.writes()),
      'review comments posted': reviewComments(fake.writes()),
      'wall ms': Math.round(ms),
      // Every thread of the process (the scan's worker included): steadier than wall time on a busy machine.
      'CPU ms': Math.round((cpu.user + cpu.system) / 1000),
      'peak RSS growth MB': Math.round((peak - baseline) / 1024 / 1024),
      target: '< 20000 ms, < 300 MB',
    };
  } finally {
    await fake.close();
  }
}
