import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot, type ApplicationFunction, type Logger } from 'probot';
import { jobKeys } from './job-keys.js';
import { runInJobScope } from './job-scope.js';
import { createMetrics, type CounterName, type Metrics } from './metrics.js';
import type { JobOutcome, JobQueue, QueueEvent, QueueEvents, WebhookJob } from './types.js';

/** GitHub never sends a webhook body over 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** Unverified body bytes held at once across requests; more waits for a 503 and GitHub's redelivery. */
export const MAX_INFLIGHT_BYTES = 64 * 1024 * 1024;

/**
 * Drops what an error carries of the request from log lines: Probot logs a failed signature
 * check with the event attached, body included, at `error` level. Bodies are never logged.
 */
function errorWithoutBody(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { status?: unknown; code?: unknown };
  return { type: e.name, message: e.message.slice(0, 500), status: e.status, code: e.code, stack: e.stack };
}

export const WEBHOOK_PATH = '/api/github/webhooks';

/** What both Probot instances (the endpoint's and the worker's) are built with. */
export type ProbotSettings = NonNullable<ConstructorParameters<typeof Probot>[0]>;

export type WebhookService = {
  /** The HTTP handler: webhooks, `/healthz`, `/readyz`, `/metrics`; 404 for anything else. */
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Starts an HTTP server on `host:port` (port 0: any free port). */
  listen: (port: number, host: string) => Promise<{ server: Server; port: number }>;
  /** Queues a verified event, as the endpoint does after the signature check. */
  ingest: (event: { id: string; name: string; payload: unknown }) => Promise<void>;
  queue: JobQueue;
  metrics: Metrics;
  /** Runs the app on queued jobs. */
  worker: Probot;
  log: Logger;
  /** Stops the HTTP server (if any), then the queue: running jobs finish or go back. */
  close: (timeoutMs?: number) => Promise<void>;
};

const QUEUE_COUNTERS: Record<QueueEvent, CounterName> = {
  enqueued: 'ftbot_jobs_enqueued_total',
  deduplicated: 'ftbot_jobs_deduplicated_total',
  stale: 'ftbot_jobs_stale_total',
  superseded: 'ftbot_jobs_superseded_total',
  started: 'ftbot_jobs_started_total',
  succeeded: 'ftbot_jobs_succeeded_total',
  retried: 'ftbot_jobs_retried_total',
  failed: 'ftbot_jobs_failed_total',
  dropped: 'ftbot_jobs_dropped_total',
  refused: 'ftbot_jobs_refused_total',
};

/**
 * The app behind a job queue. The webhook endpoint (the signature checked on the raw body before
 * anything else, with the endpoint Probot's secret) only computes the delivery's idempotency keys
 * and enqueues it, then answers; no GitHub request, no scan and no LLM call happens before the
 * 2xx. A worker Probot instance runs the real app on each job, inside a job scope so a
 * transient GitHub failure retries the job rather than being lost.
 */
export async function createWebhookService(params: {
  app: ApplicationFunction;
  probot: ProbotSettings;
  createQueue: (events: QueueEvents) => JobQueue;
  webhookPath?: string;
  maxBodyBytes?: number;
  /** More GET routes (the `/docs/` pages), tried before the 404; each returns true when it answered. */
  handlers?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>>;
  maxInflightBytes?: number;
  /** False to skip the start-up pass over the first delivery's code paths (see `warmUp`). */
  warmUp?: boolean;
}): Promise<WebhookService> {
  const webhookPath = params.webhookPath ?? WEBHOOK_PATH;
  const maxBodyBytes = params.maxBodyBytes ?? MAX_WEBHOOK_BYTES;
  const maxInflightBytes = Math.max(maxBodyBytes, params.maxInflightBytes ?? MAX_INFLIGHT_BYTES);
  let inflightBytes = 0;
  const metrics = createMetrics();
  // The endpoint's log never carries a request body (see `errorWithoutBody`).
  // Probot makes its own logger only once it has loaded: before that, `.log` is null.
  const baseLog = params.probot.log ?? (await loadedProbot(params.probot)).log;
  const ingress = new Probot({ ...params.probot, log: baseLog.child({}, { serializers: { err: errorWithoutBody } }) });
  await ingress.load(() => undefined);
  const log = ingress.log.child({ name: 'ftbot' });
  const worker = new Probot({ ...params.probot, log: params.probot.log ?? ingress.log });
  await worker.load(params.app);
  if (params.warmUp !== false) await warmUp(ingress, worker);

  const queue = params.createQueue({
    onEvent: (event, job, detail) => {
      metrics.add(QUEUE_COUNTERS[event]);
      const fields = { deliveryId: job.id, event: job.name, installation: job.installationId, target: job.target, attempt: detail?.attempt, ms: detail?.ms };
      if (event === 'failed') log.error({ ...fields, err: detail?.error }, 'job failed');
      else if (event === 'retried') log.warn(fields, 'job will be retried');
      else if (event === 'dropped') log.warn(fields, 'job dropped at shutdown');
      else if (event === 'refused') log.warn(fields, 'queue full: delivery refused with 503; GitHub lists it as failed, redeliver it from the app settings or the API');
      else if (event === 'deduplicated' || event === 'stale' || event === 'superseded') log.info(fields, `job ${event}`);
      else log.debug(fields, `job ${event}`);
    },
  });

  queue.process(async (job: WebhookJob): Promise<JobOutcome> => {
    // A job starts after the acknowledgement that queued it has been written: its synchronous
    // start (an Octokit, a token request) does not delay that answer or the next ones.
    await new Promise((resolve) => setImmediate(resolve));
    const scope = await runInJobScope(() => worker.receive({ id: job.id, name: job.name, payload: job.payload } as Parameters<Probot['receive']>[0]));
    return scope.retry ? 'retry' : 'done';
  });

  /** Queues a verified delivery, or counts it as needing no job; false when the queue is full. */
  const enqueue = async (id: string, name: string, payload: unknown): Promise<boolean> => {
    const keyed = jobKeys(id, name, payload);
    if ('skip' in keyed) {
      metrics.add('ftbot_webhooks_ignored_total');
      log.debug({ deliveryId: id, event: name, reason: keyed.skip }, 'delivery needs no job');
      return true;
    }
    const result = await queue.enqueue({ id, name, payload, keys: keyed.keys, installationId: keyed.installationId, target: keyed.target, enqueuedAt: Date.now() });
    return result !== 'full';
  };

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
    } catch {
      return send(res, 400, 'bad request\n');
    }
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'ok\n');
    if (req.method === 'GET' && path === '/readyz') return (await queue.ready()) ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n');
    if (req.method === 'GET' && path === '/metrics') {
      const counts = await queue.counts().catch(() => ({ waiting: -1, active: -1 }));
      return send(res, 200, metrics.render({ ftbot_queue_waiting: counts.waiting, ftbot_queue_active: counts.active }), 'text/plain; version=0.0.4');
    }
    if (path !== webhookPath.replace(/\/+$/, '')) {
      for (const handler of params.handlers ?? []) if (await handler(req, res)) return;
      return send(res, 404, 'not found\n');
    }
    metrics.add('ftbot_webhooks_received_total');
    if (req.method === 'POST') {
      // Checks that need no body come first: a request that cannot be a signed delivery is not read.
      const signature = req.headers['x-hub-signature-256'];
      if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature) || typeof req.headers['x-github-event'] !== 'string' || typeof req.headers['x-github-delivery'] !== 'string') {
        metrics.add('ftbot_webhooks_rejected_total');
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 250).unref());
        return send(res, 400, 'not a signed GitHub delivery\n');
      }
      const declared = Number(req.headers['content-length']);
      const reserve = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, maxBodyBytes) : maxBodyBytes;
      if (inflightBytes + reserve > maxInflightBytes) {
        metrics.add('ftbot_webhooks_rejected_total');
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 250).unref());
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end('busy reading other deliveries\n');
        return;
      }
      inflightBytes += reserve;
      let body: CappedBody;
      try {
        body = await readCapped(req, maxBodyBytes);
      } finally {
        inflightBytes -= reserve;
      }
      if (body.kind === 'too-large') {
        metrics.add('ftbot_webhooks_rejected_total');
        // Close the connection a moment after the answer, not at once: destroying a socket with
        // unread request bytes makes the kernel send a reset, and a client still writing its
        // body may then lose the 413 it was sent. Unread bytes are not consumed meanwhile; TCP
        // back-pressure stops the sender.
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 250).unref());
        // No `connection: close` header: with it Node ends the socket as soon as the answer is
        // flushed, with the same reset problem; our timer closes it instead.
        res.writeHead(413, { 'content-type': 'text/plain' }).end(`request body over ${maxBodyBytes} bytes\n`);
        return;
      }
      if (body.kind === 'aborted') {
        req.socket.destroy();
        return;
      }
      return receive(req, res, body.text);
    }
    metrics.add('ftbot_webhooks_rejected_total');
    return send(res, 404, 'not found\n');
  };

  /**
   * Checks the signature on the raw body, then queues the delivery and answers. Done here rather
   * than by Probot's middleware, which builds an authenticated Octokit for every delivery before
   * its handler runs: about half the CPU of an acknowledgement, for a client the endpoint never
   * uses.
   */
  const receive = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const reject = (status: number, message: string): void => {
      metrics.add('ftbot_webhooks_rejected_total');
      send(res, status, `${message}\n`);
    };
    if (!/^\s*application\/json\s*(?:;|$)/.test(req.headers['content-type'] ?? '')) return reject(415, 'content type must be application/json');
    const signature = req.headers['x-hub-signature-256'] as string;
    const name = req.headers['x-github-event'] as string;
    const id = req.headers['x-github-delivery'] as string;
    if (!(await ingress.webhooks.verify(body, signature).catch(() => false))) {
      log.error({ deliveryId: id.slice(0, 100), event: name.slice(0, 100) }, 'webhook signature does not match');
      return reject(400, 'signature does not match');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return reject(400, 'body is not JSON');
    }
    let taken: boolean;
    try {
      taken = await enqueue(id, name, payload);
    } catch (error) {
      log.error({ deliveryId: id, event: name, err: errorWithoutBody(error) }, 'delivery not queued');
      return send(res, 500, 'not queued\n');
    }
    // Full: a failure answer, so the delivery stays in GitHub's list of failed deliveries, from
    // where it can be redelivered; GitHub does not redeliver by itself.
    if (!taken) return void res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60' }).end('queue full\n');
    send(res, 200, 'ok\n');
  };

  let server: Server | undefined;
  return {
    handle,
    ingest: async (event) => {
      await enqueue(event.id, event.name, event.payload);
    },
    queue,
    metrics,
    worker,
    log,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const s = createServer((req, res) => {
          handle(req, res).catch((error: unknown) => {
            log.error({ err: error }, 'request failed');
            if (!res.headersSent) send(res, 500, 'internal error\n');
          });
        });
        // Slow or stuck clients cannot hold sockets open for long.
        s.requestTimeout = 30_000;
        s.headersTimeout = 10_000;
        s.once('error', reject);
        s.listen(port, host, () => {
          server = s;
          const bound = (s.address() as AddressInfo).port;
          const done = (): void => resolve({ server: s, port: bound });
          if (params.warmUp === false) done();
          else void warmHttp(host, bound).then(done);
        });
      }),
    close: async (timeoutMs = 30_000) => {
      if (server !== undefined) {
        const s = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections();
        });
      }
      await queue.close(timeoutMs);
    },
  };
}

/** A request body read up to a limit: its text, or why there is none (a body may be any string, so no string stands for these). */
type CappedBody = { kind: 'body'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

/** Reads a request body up to `limit` bytes; stops reading as soon as it is over. */
function readCapped(req: IncomingMessage, limit: number): Promise<CappedBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: CappedBody): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish({ kind: 'body', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('aborted', () => finish({ kind: 'aborted' }));
  });
}

/** A delivery used only to warm up the endpoint's code paths; its sender is a bot, so it keys to no job. */
const WARM_UP_DELIVERY = JSON.stringify({
  action: 'created',
  issue: { number: 1, state: 'open', labels: [], title: 'warm-up', user: { login: 'ftbot', type: 'User' }, updated_at: '2026-01-01T00:00:00Z' },
  comment: { id: 1, body: 'warm-up', user: { login: 'ftbot[bot]', type: 'Bot' }, author_association: 'NONE' },
  repository: { name: 'warm-up', full_name: 'ftbot/warm-up', owner: { login: 'ftbot' }, default_branch: 'main' },
  sender: { login: 'ftbot[bot]', type: 'Bot' },
  installation: { id: 1 },
});

/**
 * Runs once, before the first delivery, the code a delivery and its first job take: the signature
 * check, the JSON parse and the job keys, the job scope (which turns on async hooks), and the
 * GitHub App token (importing the RSA key and signing a JWT, all local). Cold, these cost the
 * first burst of deliveries hundreds of milliseconds of compiling and one-time set-up on the
 * event loop (issue 14, ack p99). Nothing here reaches the network; a failure (a test key that
 * cannot sign) is ignored, as the same failure is reported where it matters, in a job.
 */
async function warmUp(ingress: Probot, worker: Probot): Promise<void> {
  // Enough rounds for the hot functions to be compiled by the optimising tiers, not just once.
  for (let i = 0; i < 100; i++) {
    const signature = await ingress.webhooks.sign(WARM_UP_DELIVERY);
    await ingress.webhooks.verify(WARM_UP_DELIVERY, signature).catch(() => false);
    jobKeys('warm-up', 'issue_comment', JSON.parse(WARM_UP_DELIVERY) as Parameters<typeof jobKeys>[2]);
  }
  // The app on a comment it ignores at once (a bot's, with no mention): Probot's event context,
  // an installation Octokit (built, not used) and the handler's entry. Bounded, in case an app
  // ever answers it over the network.
  const event = { id: 'warm-up', name: 'issue_comment', payload: JSON.parse(WARM_UP_DELIVERY) as unknown } as Parameters<Probot['receive']>[0];
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([runInJobScope(() => worker.receive(event)).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
  try {
    const octokit = await worker.auth();
    await octokit.auth({ type: 'app' });
  } catch {
    // No usable key here: the first job reports it.
  }
}

/**
 * Requests `/healthz` fifty times from the server just started: compiles Node's HTTP server path and loads
 * `fetch` (which Octokit uses for every GitHub request) before GitHub's first delivery, so the
 * first acknowledgements do not pay for it. Each request is bounded to 2 s; a failure only ends the warm-up.
 */
async function warmHttp(host: string, port: number): Promise<void> {
  const loopback = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  try {
    // Rounds of ten at once, as a burst of deliveries arrives: new connections, not one reused.
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 10 }, async () => (await fetch(`http://${loopback}:${port}/healthz`, { signal: AbortSignal.timeout(2000) })).arrayBuffer()));
    }
  } catch {
    // The server answers anyway; only the warm-up is lost.
  }
}

async function loadedProbot(settings: ProbotSettings): Promise<Probot> {
  const probot = new Probot(settings);
  await probot.load(() => undefined);
  return probot;
}
