import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { createSourceClaims, inClaimOrder, runScanPart, takeSource, type ScanPartInput } from '../../src/io/scan-part-worker.js';
import { scanThreads, shareOrder } from '../../src/io/scan-with-workers.js';
import { walkFiles } from '../../src/io/walk-files.js';
import { rules } from '../../src/core/rules/index.js';

describe('shareOrder', () => {
  it('puts the largest sources first, equal sizes by path', () => {
    const files = [
      { path: 'c.c', size: 3 },
      { path: 'a.c', size: 5 },
      { path: 'b.c', size: 3 },
      { path: 'd.c', size: 1 },
    ];
    expect(shareOrder(files)).toEqual(['a.c', 'b.c', 'c.c', 'd.c']);
    expect(shareOrder([])).toEqual([]);
  });
});

describe('inClaimOrder', () => {
  it('keeps the files outside the order first, in their order, then the shared ones in claim order', () => {
    const files = ['setup.py', 'a.c', 'b.c', 'pyproject.toml', 'c.c'].map((path) => ({ path }));
    const order = new Map([
      ['c.c', 0],
      ['a.c', 1],
    ]);
    expect(inClaimOrder(files, order).map((f) => f.path)).toEqual(['setup.py', 'b.c', 'pyproject.toml', 'c.c', 'a.c']);
  });
});

describe('takeSource', () => {
  it('gives each source to the first thread that asks, once', () => {
    const claims = createSourceClaims(3);
    expect(takeSource(claims, 1)).toBe(true);
    expect(takeSource(claims, 1)).toBe(false);
    expect([0, 1, 2].map((i) => takeSource(claims, i))).toEqual([true, false, true]);
  });

  it('gives each source to exactly one of two threads taking them at once', async () => {
    const count = 20_000;
    const claims = createSourceClaims(count);
    // The worker takes what it can, as a scan part does: every source in turn.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const taken = [];
       parentPort.once('message', () => {
         for (let i = 0; i < workerData.length; i++) if (Atomics.compareExchange(workerData, i, 0, 1) === 0) taken.push(i);
         parentPort.postMessage(taken);
       });
       parentPort.postMessage('ready');`,
      { eval: true, workerData: claims },
    );
    const replies: Array<'ready' | number[]> = [];
    const next = (): Promise<'ready' | number[]> => new Promise((done) => worker.once('message', done));
    replies.push(await next());
    worker.postMessage('go');
    const theirs = next();
    const mine: number[] = [];
    for (let i = 0; i < count; i++) if (takeSource(claims, i)) mine.push(i);
    const other = (await theirs) as number[];
    await worker.terminate();
    expect(replies).toEqual(['ready']);
    expect(new Set([...mine, ...other]).size).toBe(count);
    expect(mine.length + other.length).toBe(count);
  });
});

describe('scanThreads', () => {
  it('uses two threads when a core is idle, one on a busy or single-core machine', () => {
    expect(scanThreads(2, 0.3, undefined)).toBe(2);
    expect(scanThreads(8, 2, undefined)).toBe(2);
    expect(scanThreads(2, 1.5, undefined)).toBe(1);
    expect(scanThreads(1, 0, undefined)).toBe(1);
  });

  it('takes FTBOT_THREADS over the load, at most 2, and ignores a value that is not a count', () => {
    expect(scanThreads(2, 0.3, '1')).toBe(1);
    expect(scanThreads(2, 1.5, '2')).toBe(2);
    expect(scanThreads(8, 0, '16')).toBe(2);
    expect(scanThreads(2, 1.5, 'lots')).toBe(1);
    expect(scanThreads(2, 0.3, '0')).toBe(2);
  });
});

describe('runScanPart', () => {
  const cwd = resolve('examples/spamext');
  const files = walkFiles({ cwd, roots: ['.'], exclude: [] }).files.map((f) => ({ path: f.path, absolute: f.absolute, size: f.size }));
  const sources = files.filter((f) => /\.(c|h|cpp|pyx)$/.test(f.path));
  const config = { maxFileSize: 1_000_000, minSeverity: 'info' as const, minConfidence: 'low' as const };
  const input: ScanPartInput = { files, order: shareOrder(sources), ruleIds: rules.map((r) => r.meta.id), config, hashes: true };

  it('scans the sources no other thread took and returns their results as cache entries', async () => {
    expect(sources.length).toBeGreaterThan(1);
    const claims = createSourceClaims(input.order.length);
    // Another thread took the first source of the order.
    expect(takeSource(claims, 0)).toBe(true);
    const result = runScanPart(input, await loadGrammars(), claims);
    expect(result.entries.map(([path]) => path)).toEqual(input.order.slice(1));
    expect(result.entries[0]?.[1].hash).toMatch(/^[0-9a-f]{64}$/);
    // Every source is taken now: a second part scans none, and reads none of them.
    const again = runScanPart(input, await loadGrammars(), claims);
    expect(again.entries).toEqual([]);
    expect(again.parsedFiles).toBe(0);
  });

  it('finds in the sources it takes what a part that took all of them finds there', async () => {
    const whole = runScanPart(input, await loadGrammars(), createSourceClaims(input.order.length));
    const claims = createSourceClaims(input.order.length);
    takeSource(claims, 0);
    const rest = runScanPart(input, await loadGrammars(), claims);
    expect(rest.entries).toEqual(whole.entries.filter(([path]) => path !== input.order[0]));
  });
});
