import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookService } from '../../src/github/queue/webhook-service.js';
import { deliver, startFakeGitHub, startService, type FakeGitHub } from '../helpers/fake-github.js';
import { seededRandom } from '../helpers/seeded-random.js';

/**
 * Payload fuzzing (goal F1): 10,000 odd but plausible deliveries in `npm run test:fuzz` (200 in
 * `npm test`, to keep the unit run fast; `FTBOT_FUZZ_DELIVERIES` sets the count), derived from
 * `@octokit/webhooks-examples` and mutated where `@octokit/webhooks-schemas` allows it: nulls
 * for nullable fields, optional fields removed, the other type of a union, huge and odd unicode
 * strings, missing installations, bot senders, many labels. They go through the endpoint's
 * handler and the queue (some over signed HTTP, some straight to the worker's `receive`). No
 * crash, no unhandled rejection, every HTTP delivery answered 2xx or 4xx. Same seed, same run.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { $ref?: string; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[]; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[] };

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, Json>> }>;
const schema = require('@octokit/webhooks-schemas/schema.json') as { definitions: Record<string, Schema> };

const COUNT = Number(process.env.FTBOT_FUZZ_DELIVERIES ?? 200);
const EVENTS = new Set(['pull_request', 'issues', 'issue_comment', 'installation', 'push', 'check_run', 'pull_request_review_comment']);
const LABEL = { id: 1, node_id: 'L1', url: 'https://api.github.com/x', name: 'free-threading', color: 'ededed', default: false, description: null };

/** The parts of a schema node a mutation needs: nullable, union types, properties and required keys. */
type Shape = { nullable: boolean; types: string[]; properties: Record<string, Schema>; required: Set<string>; items: Schema | undefined };

function shape(node: Schema | undefined, depth = 0): Shape {
  const out: Shape = { nullable: false, types: [], properties: {}, required: new Set(), items: undefined };
  if (node === undefined || depth > 20) return out;
  if (node.$ref !== undefined) return shape(schema.definitions[node.$ref.replace('#/definitions/', '')], depth + 1);
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  out.types.push(...types.filter((t) => t !== 'null'));
  if (types.includes('null')) out.nullable = true;
  Object.assign(out.properties, node.properties ?? {});
  for (const r of node.required ?? []) out.required.add(r);
  out.items = node.items;
  for (const part of node.allOf ?? []) {
    const s = shape(part, depth + 1);
    Object.assign(out.properties, s.properties);
    for (const r of s.required) out.required.add(r);
    out.items ??= s.items;
    out.nullable ||= s.nullable;
    out.types.push(...s.types);
  }
  for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
    const s = shape(branch, depth + 1);
    if (s.types.length === 0 && s.nullable) out.nullable = true;
    else if (Object.keys(out.properties).length === 0) {
      Object.assign(out.properties, s.properties);
      for (const r of s.required) out.required.add(r);
      out.items ??= s.items;
    }
    out.nullable ||= s.nullable;
    out.types.push(...s.types);
  }
  return out;
}

/** A place in a payload where the schema allows something odd. */
type Site = { parent: Record<string, Json> | Json[]; key: string | number; nullable: boolean; optional: boolean; types: string[] };

function sites(value: Json, node: Schema | undefined, out: Site[], depth = 0): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  const s = shape(node);
  if (Array.isArray(value)) {
    value.slice(0, 5).forEach((item, i) => {
      const child = shape(s.items);
      out.push({ parent: value, key: i, nullable: child.nullable, optional: false, types: child.types });
      sites(item, s.items, out, depth + 1);
    });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childSchema = s.properties[key];
    const c = shape(childSchema);
    out.push({ parent: value, key, nullable: c.nullable, optional: !s.required.has(key), types: [...new Set(c.types)] });
    sites(child, childSchema, out, depth + 1);
  }
}

const ODD = ['', ' ', '\u0000', '\u202e\u2066evil\u2069', '\u200b\u200c\u200d', '🧵'.repeat(500), '\ud800', 'a'.repeat(70_000), '@ftbot help', '@ftbot scan ' + '('.repeat(5000), '<!-- ftbot:summary v1 -->', '${{ secrets.X }}', '../../etc/passwd'];

function oddValue(rand: () => number, type: string | undefined): Json {
  switch (type) {
    case 'integer':
    case 'number':
      return [0, -1, 2 ** 53, 1.5, Number.MAX_SAFE_INTEGER][Math.floor(rand() * 5)] ?? 0;
    case 'boolean':
      return rand() < 0.5;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return rand() < 0.01 ? 'x'.repeat(1_000_000) : (ODD[Math.floor(rand() * ODD.length)] ?? '');
  }
}

function mutate(payload: Record<string, Json>, name: string, rand: () => number, serial: number): Record<string, Json> {
  const action = typeof payload.action === 'string' ? payload.action : undefined;
  const definition = schema.definitions[action === undefined ? `${name}_event` : `${name}$${action}`] ?? schema.definitions[`${name}_event`];
  const all: Site[] = [];
  sites(payload, definition, all);
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits && all.length > 0; i++) {
    const site = all[Math.floor(rand() * all.length)] as Site;
    const parent = site.parent as Record<string | number, Json>;
    const roll = rand();
    if (roll < 0.3 && site.nullable) parent[site.key] = null;
    else if (roll < 0.5 && site.optional && !Array.isArray(site.parent)) delete parent[site.key];
    else if (roll < 0.65 && site.types.length > 1) parent[site.key] = oddValue(rand, site.types[Math.floor(rand() * site.types.length)]);
    else if (typeof parent[site.key] === 'string') parent[site.key] = oddValue(rand, 'string');
    else if (typeof parent[site.key] === 'number') parent[site.key] = oddValue(rand, 'integer');
  }
  const extra = rand();
  if (extra < 0.1) delete payload.installation;
  else if (extra < 0.5) payload.installation = { id: 2, node_id: 'I2' };
  if (rand() < 0.05) payload.sender = { login: 'someone[bot]', id: 1, type: 'Bot' } as Json;
  const subject = (payload.pull_request ?? payload.issue) as Record<string, Json> | null | undefined;
  if (subject !== null && typeof subject === 'object' && !Array.isArray(subject)) {
    if (rand() < 0.3) subject.labels = [LABEL, ...(rand() < 0.2 ? Array.from({ length: 200 }, (_, k) => ({ ...LABEL, id: k + 2, name: `l${k}\u202e` })) : [])];
    if (rand() < 0.2) subject.state = 'open';
    // Mostly new threads, so most deliveries become jobs rather than duplicates of an earlier one.
    if (rand() < 0.7 && typeof subject.number === 'number') subject.number = 1 + serial;
  }
  return payload;
}

let github: FakeGitHub;
let service: WebhookService;
let base: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  github = await startFakeGitHub();
  service = (await startService({ github, logLevel: 'warn', limits: { concurrency: 8, perInstallation: 8, attempts: 1 } })).service;
  base = `http://127.0.0.1:${(await service.listen(0, '127.0.0.1')).port}`;
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await service.close(1000);
  await github.close();
});

describe('payload fuzzing', () => {
  it(`survives ${COUNT} mutated deliveries`, { timeout: 900_000 }, async () => {
    expect(Number.isInteger(COUNT) && COUNT > 0, 'FTBOT_FUZZ_DELIVERIES must be a positive integer').toBe(true);
    const rand = seededRandom(20261124);
    const pool = examples.filter((e) => EVENTS.has(e.name)).flatMap((e) => e.examples.map((payload) => ({ name: e.name, payload })));
    expect(pool.length).toBeGreaterThan(50);
    const rss = process.memoryUsage().rss;
    const statuses = new Map<number, number>();
    let rejected = 0;
    const batch: Array<Promise<unknown>> = [];
    for (let i = 0; i < COUNT; i++) {
      const example = pool[Math.floor(rand() * pool.length)] as (typeof pool)[number];
      const payload = mutate(structuredClone(example.payload), example.name, rand, i);
      const id = `fuzz-${i}`;
      const route = rand();
      if (route < 0.05) {
        batch.push(deliver(base, { id, name: example.name, payload }).then((status) => statuses.set(status, (statuses.get(status) ?? 0) + 1)));
      } else if (route < 0.15) {
        // Straight to the worker, as a queue job would run it (ingress filters skipped).
        batch.push(service.worker.receive({ id, name: example.name, payload } as Parameters<typeof service.worker.receive>[0]).catch(() => rejected++));
      } else {
        batch.push(service.ingest({ id, name: example.name, payload }).catch(() => rejected++));
      }
      if (batch.length >= 50) {
        await Promise.all(batch.splice(0));
        await service.queue.drain();
      }
    }
    await Promise.all(batch);
    await service.queue.drain();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(unhandled).toEqual([]);
    for (const status of statuses.keys()) expect(status === 200 || (status >= 400 && status < 500), `status ${status}`).toBe(true);
    expect(service.metrics.get('ftbot_jobs_failed_total')).toBe(0);
    expect(rejected).toBe(0);
    const growth = (process.memoryUsage().rss - rss) / 2 ** 20;
    console.info(
      `fuzz: ${COUNT} deliveries, ${service.metrics.get('ftbot_jobs_enqueued_total')} jobs, ${service.metrics.get('ftbot_jobs_succeeded_total')} ran, ${github.log.length} GitHub requests, RSS growth ${growth.toFixed(1)} MiB`,
    );
  });
});
