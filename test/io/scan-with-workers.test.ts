import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { runScanPart } from '../../src/io/scan-part-worker.js';
import { scanThreads, splitBySize } from '../../src/io/scan-with-workers.js';
import { walkFiles } from '../../src/io/walk-files.js';
import { rules } from '../../src/core/rules/index.js';

describe('splitBySize', () => {
  it('gives each file, largest first, to the part with the fewest bytes', () => {
    const files = [
      { path: 'b.c', size: 3 },
      { path: 'a.c', size: 5 },
      { path: 'c.c', size: 3 },
      { path: 'd.c', size: 1 },
    ];
    expect(splitBySize(files, 2)).toEqual([['a.c', 'd.c'], ['b.c', 'c.c']]);
    expect(splitBySize(files, 1)).toEqual([['a.c', 'b.c', 'c.c', 'd.c']]);
    // No empty parts.
    expect(splitBySize(files.slice(0, 1), 3)).toEqual([['b.c']]);
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
  it('scans only its part and returns its results as cache entries', async () => {
    const cwd = resolve('examples/spamext');
    const files = walkFiles({ cwd, roots: ['.'], exclude: [] }).files.map((f) => ({ path: f.path, absolute: f.absolute, size: f.size }));
    const sources = files.filter((f) => /\.(c|h|cpp|pyx)$/.test(f.path)).map((f) => f.path);
    expect(sources.length).toBeGreaterThan(1);
    const [first = '', ...rest] = sources;
    const config = { maxFileSize: 1_000_000, minSeverity: 'info' as const, minConfidence: 'low' as const };
    const result = runScanPart({ files, part: [first], ruleIds: rules.map((r) => r.meta.id), config, hashes: true }, await loadGrammars());
    expect(result.entries.map(([path]) => path)).toEqual([first]);
    expect(rest.every((p) => !result.entries.some(([path]) => path === p))).toBe(true);
    expect(result.entries[0]?.[1].hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
