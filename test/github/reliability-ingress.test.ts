import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServiceSettings } from '../../src/github/queue/read-service-settings.js';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { SECRET, sign, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { loadWebhook } from '../helpers/probot-app.js';

const payload = loadWebhook('issue_comment.created');
payload.comment.body = '@ftbot help';
const body = JSON.stringify(payload);
const hmac = (algorithm: string, text: string, secret = SECRET): string => createHmac(algorithm, secret).update(text).digest('hex');
const good = sign(body);

/** Headers and body of a delivery that differs from a good one in one way. */
type Variant = { name: string; headers?: Record<string, string | string[] | undefined>; body?: string };

const variants: Variant[] = [
  { name: 'signature header missing', headers: { 'x-hub-signature-256': undefined } },
  { name: 'SHA-1 signature only', headers: { 'x-hub-signature-256': undefined, 'x-hub-signature': `sha1=${hmac('sha1', body)}` } },
  { name: 'SHA-1 digest under the sha256 header', headers: { 'x-hub-signature-256': `sha1=${hmac('sha1', body)}` } },
  { name: 'wrong algorithm prefix', headers: { 'x-hub-signature-256': `sha512=${hmac('sha256', body)}` } },
  { name: 'no prefix', headers: { 'x-hub-signature-256': hmac('sha256', body) } },
  { name: 'upper-case prefix', headers: { 'x-hub-signature-256': `SHA256=${hmac('sha256', body)}` } },
  { name: 'upper-case digest', headers: { 'x-hub-signature-256': `sha256=${hmac('sha256', body).toUpperCase()}` } },
  { name: 'wrong secret', headers: { 'x-hub-signature-256': sign(body, 'not-the-secret') } },
  { name: 'Probot default secret', headers: { 'x-hub-signature-256': sign(body, 'development') } },
  { name: 'empty secret', headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', '').update(body).digest('hex')}` } },
  { name: 'truncated digest', headers: { 'x-hub-signature-256': good.slice(0, -2) } },
  { name: 'digest with an extra byte', headers: { 'x-hub-signature-256': `${good}00` } },
  { name: 'prefix only', headers: { 'x-hub-signature-256': 'sha256=' } },
  { name: 'not hex', headers: { 'x-hub-signature-256': `sha256=${'z'.repeat(64)}` } },
  { name: 'body changed by one byte', body: body.replace('@ftbot help', '@ftbot helq') },
  { name: 'body with a trailing newline', body: `${body}\n` },
  { name: 'empty body', body: '' },
  { name: 'signature repeated in one header', headers: { 'x-hub-signature-256': `${good}, ${good}` } },
  { name: 'signature header sent twice', headers: { 'x-hub-signature-256': [good, good] } },
  { name: 'delivery id missing', headers: { 'x-github-delivery': undefined } },
  { name: 'event name missing', headers: { 'x-github-event': undefined } },
  { name: 'not JSON', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
];

let github: FakeGitHub;
let service: WebhookService;
let port: number;

beforeAll(async () => {
  github = await startFakeGitHub();
  service = (await startService({ github })).service;
  port = (await service.listen(0, '127.0.0.1')).port;
});

afterAll(async () => {
  await service.close(1000);
  await github.close();
});

/** Sends a raw request; resolves with the status (or 0 when the server cut the connection first). */
function send(params: { headers: Record<string, string | string[] | undefined>; body: string | (() => AsyncGenerator<Buffer>) }): Promise<number> {
  return new Promise((done) => {
    let finished = false;
    const resolve = (status: number): void => {
      finished = true;
      done(status);
    };
    const headers = Object.fromEntries(Object.entries(params.headers).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    if (typeof params.body === 'string') {
      req.end(params.body);
      return;
    }
    const chunks = params.body();
    void (async () => {
      for await (const chunk of chunks) {
        if (finished || req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r));
      }
      req.end();
    })();
  });
}

const baseHeaders = { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': 'sig-1', 'x-hub-signature-256': good };

describe('start-up warm-up (issue 14, cold acknowledgements)', () => {
  it('runs the first delivery’s code paths at start without calling GitHub, counting a delivery or queueing a job', async () => {
    expect(github.log).toEqual([]);
    expect(service.metrics.get('ftbot_webhooks_received_total')).toBe(0);
    expect(service.metrics.get('ftbot_jobs_enqueued_total')).toBe(0);
    expect(await service.queue.counts()).toEqual({ waiting: 0, active: 0 });
  });
});

describe('signature gate', () => {
  it('verifies GitHub’s documented test vector', () => {
    expect(createHmac('sha256', "It's a Secret to Everybody").update('Hello, World!').digest('hex')).toBe('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it(`answers ${variants.length} bad deliveries with 4xx, queues nothing and calls nothing`, async () => {
    for (const [i, variant] of variants.entries()) {
      const status = await send({ headers: { ...baseHeaders, 'x-github-delivery': `bad-${i}`, ...variant.headers }, body: variant.body ?? body });
      expect(status, variant.name).toBeGreaterThanOrEqual(400);
      expect(status, variant.name).toBeLessThan(500);
    }
    await service.queue.drain();
    expect(github.log).toEqual([]);
    expect(service.metrics.get('ftbot_jobs_enqueued_total')).toBe(0);
    expect(service.metrics.get('ftbot_webhooks_rejected_total')).toBe(variants.length);
  });

  it('accepts the same delivery correctly signed', async () => {
    expect(await send({ headers: { ...baseHeaders, 'x-github-delivery': 'good-1' }, body })).toBe(200);
    await service.queue.drain();
    expect(service.metrics.get('ftbot_jobs_enqueued_total')).toBe(1);
  });
});

describe('body cap', () => {
  it('answers 413 to a declared length over 25 MB without reading the body', async () => {
    const status = await send({
      headers: { ...baseHeaders, 'content-length': String(25 * 1024 * 1024 + 1) },
      body: async function* () {
        yield Buffer.alloc(1024, 32);
      },
    });
    expect([413, 0]).toContain(status);
  });

  it('stops reading a streamed 100 MiB body at the cap', async () => {
    // A raw socket: nock's http.request interceptor would buffer the whole body before sending it.
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let reply = '';
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (d: Buffer) => (reply += d.toString('utf8')));
    socket.on('error', () => undefined);
    const head = Object.entries({ ...baseHeaders, host: '127.0.0.1', 'transfer-encoding': 'chunked' }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST /api/github/webhooks HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n`);
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 32), Buffer.from('\r\n')]);
    while (sent < 100 * 1024 * 1024 && reply === '' && !socket.destroyed) {
      sent += 0x10000;
      if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r).once('close', r));
    }
    await closed;
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(sent).toBeLessThan(100 * 1024 * 1024);
  });

  it('reads a small body that spells a reason (`too-large`, `aborted`) as a body, not as that reason', async () => {
    for (const text of ['too-large', 'aborted']) {
      const status = await send({ headers: { ...baseHeaders, 'x-github-delivery': `spelled-${text}`, 'x-hub-signature-256': sign(text) }, body: text });
      // Signed, so it reaches the middleware, which refuses it as a payload: not the cap's 413, not a cut connection.
      expect(status, text).toBeGreaterThanOrEqual(400);
      expect(status, text).not.toBe(413);
    }
  });
});

describe('webhook secret in production', () => {
  it('refuses an unset, empty or default secret', () => {
    for (const secret of [undefined, '', '  ', 'development']) {
      expect(readServiceSettings({ NODE_ENV: 'production', APP_ID: '1', PRIVATE_KEY: 'k', WEBHOOK_SECRET: secret })).toEqual({
        error: 'WEBHOOK_SECRET must be set to a real secret in production (not empty, not `development`)',
      });
    }
    expect('settings' in readServiceSettings({ NODE_ENV: 'production', APP_ID: '1', PRIVATE_KEY: 'k', WEBHOOK_SECRET: 'a-real-secret' })).toBe(true);
  });

  it('exits non-zero at once when started that way', () => {
    const server = fileURLToPath(new URL('../../src/github/server.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', server], {
      cwd: fileURLToPath(new URL('../fixtures/webhooks/', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', APP_ID: '1', PRIVATE_KEY: 'x', WEBHOOK_SECRET: 'development' },
      encoding: 'utf8',
      // Loading the server through tsx takes seconds, tens of them on a loaded machine.
      timeout: 80_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('WEBHOOK_SECRET must be set to a real secret in production');
  }, 90_000);
});

describe('unverified bodies', () => {
  it('never writes a body to the log, even when the signature check fails at error level', async () => {
    const gh = await startFakeGitHub();
    const { service: svc, lines } = await startService({ github: gh, logLevel: 'error' });
    const p = (await svc.listen(0, '127.0.0.1')).port;
    try {
      const secretBody = JSON.stringify({ ...payload, note: 'BODY-MARKER-4711' });
      const response = await fetch(`http://127.0.0.1:${p}/api/github/webhooks`, {
        method: 'POST',
        headers: { ...baseHeaders, 'x-github-delivery': 'log-1', 'x-hub-signature-256': sign(secretBody, 'not-the-secret') },
        body: secretBody,
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(lines.length).toBeGreaterThan(0);
      expect(JSON.stringify(lines)).not.toContain('BODY-MARKER-4711');
    } finally {
      await svc.close(100);
      await gh.close();
    }
  });

  it('answers a request without a well-formed signature before reading its body', async () => {
    // 20 MB declared, nothing sent: the answer comes without waiting for the body.
    const status = await new Promise<number>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers: { ...baseHeaders, 'x-hub-signature-256': 'sha256=nothex', 'content-length': String(20 * 1024 * 1024) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', () => resolve(0));
      req.flushHeaders();
    });
    expect(status).toBe(400);
  });

  it('holds at most maxInflightBytes of unverified bodies at once; the rest get 503 and a retry-after', async () => {
    const gh = await startFakeGitHub();
    const { service: svc } = await startService({ github: gh, maxBodyBytes: 1000, maxInflightBytes: 1500 });
    const p = (await svc.listen(0, '127.0.0.1')).port;
    try {
      // A first request declares 1,000 bytes and sends none of them: it holds its reservation.
      const held = request({ host: '127.0.0.1', port: p, method: 'POST', path: '/api/github/webhooks', headers: { ...baseHeaders, 'content-length': '1000' } });
      held.on('error', () => undefined);
      held.flushHeaders();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = await fetch(`http://127.0.0.1:${p}/api/github/webhooks`, { method: 'POST', headers: { ...baseHeaders, 'x-github-delivery': 'busy-2' }, body: 'x'.repeat(900) });
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('5');
      held.destroy();
    } finally {
      await svc.close(100);
      await gh.close();
    }
  });
});
