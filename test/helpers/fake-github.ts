import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ProbotOctokit } from 'probot';
import { createApp } from '../../src/github/app.js';
import type { AppOptions } from '../../src/github/app-options.js';
import { ftbotOctokit } from '../../src/github/queue/ftbot-octokit.js';
import { createMemoryQueue } from '../../src/github/queue/memory-queue.js';
import type { JobQueue, QueueEvents, QueueLimits } from '../../src/github/queue/types.js';
import { createWebhookService, type WebhookService } from '../../src/github/queue/webhook-service.js';

/**
 * A fake GitHub REST API on 127.0.0.1 that keeps state: issue comments, review comments and
 * reviews per repository thread, plus the files of pull requests and repository contents. Faults
 * are injected with `fault`, which may answer instead of the fake, or let the fake act and then
 * answer with an error (a write GitHub stored although the client saw a 502).
 */
export type FakeComment = { id: number; body: string; user: { login: string; type: string }; created_at: string; updated_at: string };
export type FakeRequest = { method: string; path: string; query: URLSearchParams; body: unknown };
export type FaultReply = { status: number; body?: unknown; headers?: Record<string, string>; commit?: boolean; delayMs?: number };

export type FakeGitHub = {
  url: string;
  comments: Map<number, FakeComment[]>;
  reviewComments: Map<number, Array<{ id: number; body: string; path: string; line: number; user: { login: string; type: string } }>>;
  reviews: Map<number, Array<Record<string, unknown>>>;
  /** Pull-request files: `{ filename, status, patch }` entries. */
  pullFiles: Map<number, Array<Record<string, unknown>>>;
  /** Repository files by path (any ref); a Buffer is served as raw bytes. */
  contents: Map<string, string | Buffer>;
  /** Check runs by id, with the annotations appended to each. */
  checkRuns: Array<{ id: number; name: string; head_sha: string; status: string; conclusion: string | null; annotations: unknown[] }>;
  /** Every request, in order. */
  log: FakeRequest[];
  /** Non-GET requests that the fake acted on (stored), in order. */
  writes: FakeRequest[];
  fault: ((req: FakeRequest) => FaultReply | undefined) | undefined;
  close: () => Promise<void>;
};

export const BOT_USER = { login: 'ftbot[bot]', type: 'Bot' };

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake: Omit<FakeGitHub, 'url' | 'close'> = {
    comments: new Map(),
    reviewComments: new Map(),
    reviews: new Map(),
    pullFiles: new Map(),
    contents: new Map<string, string | Buffer>(),
    checkRuns: [],
    log: [],
    writes: [],
    fault: undefined,
  };
  const list = <T>(map: Map<number, T[]>, n: number): T[] => {
    let items = map.get(n);
    if (items === undefined) map.set(n, (items = []));
    return items;
  };

  const act = (req: FakeRequest): { status: number; body: unknown; headers?: Record<string, string> } => {
    // (bodies: JSON values, strings, or Buffers sent as they are)
    const { method, path } = req;
    const now = new Date().toISOString();
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return { status: 201, body: { token: 'ghs_fake', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write', pull_requests: 'write', contents: 'read' } } };
    }
    if (method === 'GET' && path === '/app') return { status: 200, body: { slug: 'ftbot', id: 123 } };
    let m = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(path);
    if (method === 'GET' && m !== null) {
      const file = fake.contents.get(decodeURIComponent(m[1] ?? ''));
      return file === undefined ? { status: 404, body: { message: 'Not Found' } } : { status: 200, body: file, headers: { 'content-type': 'application/vnd.github.raw' } };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    if (m !== null && method === 'GET') return { status: 200, body: list(fake.comments, Number(m[1])) };
    if (m !== null && method === 'POST') {
      const comment = { id: nextId++, body: (req.body as { body: string }).body, user: BOT_USER, created_at: now, updated_at: now };
      list(fake.comments, Number(m[1])).push(comment);
      fake.writes.push(req);
      return { status: 201, body: comment };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    if (m !== null && method === 'PATCH') {
      for (const comments of fake.comments.values()) {
        const comment = comments.find((c) => c.id === Number(m?.[1]));
        if (comment !== undefined) {
          comment.body = (req.body as { body: string }).body;
          comment.updated_at = now;
          fake.writes.push(req);
          return { status: 200, body: comment };
        }
      }
      return { status: 404, body: { message: 'Not Found' } };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/.exec(path);
    if (m !== null && method === 'GET') return { status: 200, body: fake.pullFiles.get(Number(m[1])) ?? [] };
    m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/comments$/.exec(path);
    if (m !== null && method === 'GET') return { status: 200, body: list(fake.reviewComments, Number(m[1])) };
    m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/reviews$/.exec(path);
    if (m !== null && method === 'POST') {
      const n = Number(m[1]);
      const review = req.body as { comments?: Array<{ body: string; path: string; line: number }> };
      list(fake.reviews, n).push(review as Record<string, unknown>);
      for (const c of review.comments ?? []) list(fake.reviewComments, n).push({ id: nextId++, body: c.body, path: c.path, line: c.line, user: BOT_USER });
      fake.writes.push(req);
      return { status: 200, body: { id: nextId++ } };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/check-runs$/.exec(path);
    if (m !== null && method === 'GET') {
      const runs = fake.checkRuns.filter((r) => r.head_sha === m?.[1]);
      return { status: 200, body: { total_count: runs.length, check_runs: runs.map(({ annotations: _, ...r }) => r) } };
    }
    if (/^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path) && method === 'POST') {
      const b = req.body as { name: string; head_sha: string; status: string };
      const run = { id: nextId++, name: b.name, head_sha: b.head_sha, status: b.status, conclusion: null, annotations: [] };
      fake.checkRuns.push(run);
      fake.writes.push(req);
      return { status: 201, body: { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status } };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(path);
    if (m !== null && method === 'PATCH') {
      const run = fake.checkRuns.find((r) => r.id === Number(m?.[1]));
      if (run === undefined) return { status: 404, body: { message: 'Not Found' } };
      const b = req.body as { status?: string; conclusion?: string; output?: { annotations?: unknown[] } };
      if (b.status !== undefined) run.status = b.status;
      if (b.conclusion !== undefined) run.conclusion = b.conclusion;
      run.annotations.push(...(b.output?.annotations ?? []));
      fake.writes.push(req);
      return { status: 200, body: { id: run.id } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      void (async () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          body = raw;
        }
        const req: FakeRequest = { method: request.method ?? 'GET', path: url.pathname.replace(/^\/api\/v3/, ''), query: url.searchParams, body };
        fake.log.push(req);
        const fault = fake.fault?.(req);
        if (fault?.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        let reply: { status: number; body: unknown; headers?: Record<string, string> };
        if (fault === undefined) reply = act(req);
        else {
          if (fault.commit === true) act(req);
          reply = { status: fault.status, body: fault.body ?? { message: `fault ${fault.status}` }, ...(fault.headers === undefined ? {} : { headers: fault.headers }) };
        }
        const text = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        response.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads, so a test's `fault` takes effect.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

export const SECRET = 'reliability-secret';

/** The `x-hub-signature-256` value GitHub would send. */
export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Octokit for these tests. Throttling stays on (its rate-limit handlers are under test) but the
 * pacing limiters are replaced by pass-throughs, and `retry-after` seconds become `msPerSecond`
 * milliseconds; Octokit's retry plugin is on or off as asked.
 */
export function reliabilityOctokit(options: { retry?: boolean; msPerSecond?: number } = {}): typeof ProbotOctokit {
  const passThrough = { key: () => ({ schedule: (_o: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }) };
  const base = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: options.retry === true, ...(options.retry === true ? { retryAfterBaseValue: 1 } : {}) } }));
  return ftbotOctokit({
    base,
    retryAfterBaseValue: options.msPerSecond ?? 5,
    throttle: { global: passThrough, write: passThrough, notifications: passThrough, search: passThrough, auth: passThrough },
  });
}

/** A log sink that keeps parsed pino lines. */
export function captureLog(level = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level }, stream);
  return { log, lines };
}

/** The real app behind the queue, talking to `github`. */
export async function startService(params: {
  github: FakeGitHub;
  queue?: (events: QueueEvents) => JobQueue;
  limits?: Partial<QueueLimits>;
  app?: Partial<AppOptions>;
  retry?: boolean;
  maxBodyBytes?: number;
  maxInflightBytes?: number;
  logLevel?: string;
}): Promise<{ service: WebhookService; lines: Array<Record<string, unknown>> }> {
  const { log, lines } = captureLog(params.logLevel);
  const service = await createWebhookService({
    // These tests send hundreds of mentions from one person; the reply limits have their own tests.
    app: createApp({ dryRun: false, appSlug: 'ftbot', docsBaseUrl: 'https://example.test/docs/rules/', repliesPerUserPerHour: 10_000, repliesPerInstallationPerHour: 10_000, ...params.app }),
    probot: { appId: 123, privateKey, secret: SECRET, baseUrl: params.github.url, log, Octokit: reliabilityOctokit({ retry: params.retry ?? false }) },
    createQueue: params.queue ?? ((events) => createMemoryQueue({ backoffMs: 10, ...params.limits, ...events })),
    ...(params.maxBodyBytes === undefined ? {} : { maxBodyBytes: params.maxBodyBytes }),
    ...(params.maxInflightBytes === undefined ? {} : { maxInflightBytes: params.maxInflightBytes }),
  });
  return { service, lines };
}

/** Posts a signed delivery to a listening service; returns the status. */
export async function deliver(base: string, params: { id: string; name: string; payload: unknown; secret?: string }): Promise<number> {
  const body = JSON.stringify(params.payload);
  const response = await fetch(`${base}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': params.name, 'x-github-delivery': params.id, 'x-hub-signature-256': sign(body, params.secret) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
