import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, type ResolvedConfig } from '../../src/core/config/defaults.js';
import { scanDirectory, type DirectoryScan } from '../../src/io/scan-directory.js';

const selectAll = (): ResolvedConfig => ({ ...structuredClone(defaultConfig), select: ['ALL'], preview: true });
const caches: string[] = [];
afterAll(() => {
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
});

/** Everything a user sees of a scan, and the facts project rules read. */
const visible = (s: DirectoryScan) => ({ findings: s.findings, diagnostics: s.diagnostics, facts: s.facts, files: s.stats.files, bytes: s.stats.bytes, parsed: s.stats.parsedFiles });

describe('a cold scan split over worker threads', () => {
  // The fixtures of every rule (unity builds for FT045, suppressions, PyO3, Cython, build files)
  // and the example extension, in one tree: one scan, one worker.
  const root = resolve('.');
  const paths = ['test/fixtures/rules', 'test/fixtures/projects/imaging-ext', 'examples'];

  it('finds what one thread finds, in the same order, and fills the cache with the same entries', async () => {
    const one = await scanDirectory({ cwd: root, paths, override: selectAll, threads: 1 });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ftbot-workers-'));
    caches.push(cacheDir);
    const two = await scanDirectory({ cwd: root, paths, override: selectAll, threads: 2, minParallelBytes: 0, cacheDir });
    expect(one.findings.length).toBeGreaterThan(100);
    expect(visible(two)).toEqual(visible(one));
    expect(two.threads).toBe(2);
    expect(two.stats.cachedFiles).toBeUndefined();
    // The parts' results went into the cache: a warm scan replays every source.
    const warm = await scanDirectory({ cwd: root, paths, override: selectAll, threads: 2, minParallelBytes: 0, cacheDir });
    expect(warm.stats.cachedFiles).toBeGreaterThan(50);
    expect({ ...visible(warm), parsed: 0 }).toEqual({ ...visible(one), parsed: 0 });
  }, 120_000);
});
