import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, type ResolvedConfig } from '../../src/core/config/defaults.js';
import { openScanCache, resolveCacheDir, settingsKey } from '../../src/io/scan-cache.js';
import { scanDirectory, type DirectoryScan } from '../../src/io/scan-directory.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('cache');
const caches: string[] = [];
afterAll(() => {
  projects.removeAll();
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
});

function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftbot-cache-dir-'));
  caches.push(dir);
  return dir;
}

const selectAll = (config: ResolvedConfig): ResolvedConfig => ({ ...config, select: ['ALL'], preview: true });

function scan(cwd: string, dir: string | undefined, override: (c: ResolvedConfig) => ResolvedConfig = () => structuredClone(defaultConfig)): Promise<DirectoryScan> {
  return scanDirectory({ cwd, paths: ['.'], override, ...(dir === undefined ? {} : { cacheDir: dir }) });
}

/** What a user sees of a scan: findings (and their count), diagnostics and the facts project rules read. */
function visible(s: DirectoryScan): unknown {
  expect(s.findingCount).toBe(s.findings.length);
  return { findings: s.findings, findingCount: s.findingCount, diagnostics: s.diagnostics, facts: s.facts, files: s.stats.files, bytes: s.stats.bytes };
}

const module = (name: string): string => `#include <Python.h>
static PyObject *get(PyObject *self, PyObject *args) {
    PyObject *d = PyTuple_GetItem(args, 0);
    return PyDict_GetItemString(d, "${name}");
}
static struct PyModuleDef def = { PyModuleDef_HEAD_INIT, "${name}", NULL, -1, NULL };
PyMODINIT_FUNC PyInit_${name}(void) { return PyModule_Create(&def); }
`;

const pyproject = (classifier: string): string => `[project]
name = "spam"
requires-python = ">=3.9"
classifiers = ["${classifier}"]
`;

/** A project whose pyproject claims free-threading support that the C modules contradict (FT034). */
function sampleProject(): string {
  return projects.create({
    'pyproject.toml': pyproject('Programming Language :: Python :: Free Threading :: 2 - Beta'),
    'src/a.c': module('a'),
    'src/b.c': module('b'),
    'src/clean.c': 'int add(int a, int b) { return a + b; }\n',
  });
}

/** Moves every file's times two minutes back, so the cache trusts their stat (not "racily clean"). */
function ageFiles(root: string, paths: string[]): void {
  const past = new Date(Date.now() - 120_000);
  for (const p of paths) utimesSync(join(root, p), past, past);
}

describe('the scan cache', () => {
  it('replays every unchanged source on the second scan, with the same findings, diagnostics and facts', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    const uncached = await scan(root, undefined);
    const cold = await scan(root, dir);
    const warm = await scan(root, dir);
    expect(uncached.findings.some((f) => f.ruleId === 'FT034')).toBe(true);
    expect(cold.stats.cachedFiles ?? 0).toBe(0);
    expect(warm.stats.cachedFiles).toBe(3);
    expect(warm.stats.parsedFiles).toBe(0);
    expect(visible(cold)).toEqual(visible(uncached));
    expect(visible(warm)).toEqual(visible(uncached));
  });

  it('keeps the cache file ASCII and replays non-ASCII paths and messages exactly', async () => {
    const root = projects.create({ 'src/modulé_ü.c': module('a'), 'src/€uro.c': module('b') });
    ageFiles(root, ['src/modulé_ü.c', 'src/€uro.c']);
    const dir = cacheDir();
    const cold = await scan(root, dir, selectAll);
    const warm = await scan(root, dir, selectAll);
    expect(warm.stats.cachedFiles).toBe(2);
    expect(cold.findings.map((f) => f.path)).toContain('src/€uro.c');
    expect(visible(warm)).toEqual(visible(cold));
    const [file] = cacheFiles(dir);
    expect(file !== undefined && /^[\0-\x7f]*$/.test(readFileSync(file, 'latin1'))).toBe(true);
  });

  it('keeps the project rules right on a warm scan: FT034 still counts the cached modules', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    await scan(root, dir);
    const warm = await scan(root, dir);
    const ft034 = warm.findings.filter((f) => f.ruleId === 'FT034');
    expect(ft034).toHaveLength(1);
    expect(warm.facts.undeclaredModules.map((m) => m.path).sort()).toEqual(['src/a.c', 'src/b.c']);
  });

  it('rescans a source whose content changed, and only that one', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    await scan(root, dir);
    writeFileSync(join(root, 'src/clean.c'), module('clean'));
    const warm = await scan(root, dir);
    expect(warm.stats.cachedFiles).toBe(2);
    expect(warm.stats.parsedFiles).toBe(1);
    expect(visible(warm)).toEqual(visible(await scan(root, undefined)));
    expect(warm.findings.some((f) => f.path === 'src/clean.c')).toBe(true);
  });

  it('rescans a file rewritten with the same size and its old modification time', async () => {
    const root = sampleProject();
    ageFiles(root, ['src/a.c', 'src/b.c', 'src/clean.c']);
    const dir = cacheDir();
    await scan(root, dir);
    const before = statSync(join(root, 'src/a.c'));
    // Same length, different call: the change time still moves, so the stat no longer matches.
    writeFileSync(join(root, 'src/a.c'), module('a').replace('PyDict_GetItemString', 'PyDict_GetItemStrinG'));
    utimesSync(join(root, 'src/a.c'), before.atime, before.mtime);
    const warm = await scan(root, dir);
    expect(warm.stats.cachedFiles).toBe(2);
    expect(visible(warm)).toEqual(visible(await scan(root, undefined)));
  });

  it('still hits on a touched file: the times changed, the content hash decides', async () => {
    const root = sampleProject();
    ageFiles(root, ['src/a.c', 'src/b.c', 'src/clean.c']);
    const dir = cacheDir();
    await scan(root, dir);
    const now = new Date();
    utimesSync(join(root, 'src/b.c'), now, now);
    const warm = await scan(root, dir);
    expect(warm.stats.cachedFiles).toBe(3);
  });

  it('reads a file only when its stat changed or was taken too close to a change to trust', () => {
    const dir = cacheDir();
    const key = settingsKey({ cwd: '/p', ruleIds: [], maxFileSize: 1 });
    const result = { findings: [], diagnostics: [], facts: {}, length: 1 };
    const old = { path: 'old.c', size: 1, mtimeMs: Date.now() - 60_000, ctimeMs: Date.now() - 60_000 };
    const fresh = { path: 'fresh.c', size: 1, mtimeMs: Date.now(), ctimeMs: Date.now() };
    const store = openScanCache({ dir, key });
    const port = store.port(new Map(), new Map([old, fresh].map((s) => [s.path, s])), 'p');
    port.set(old.path, 'x', result);
    port.set(fresh.path, 'x', result);
    store.save();
    const reads: string[] = [];
    const reader = (path: string) => (): string => {
      reads.push(path);
      return 'x';
    };
    const again = openScanCache({ dir, key });
    expect(again.probe(old, 'p', reader(old.path))).toEqual(result);
    expect(again.probe(fresh, 'p', reader(fresh.path))).toEqual(result);
    expect(again.probe({ ...old, mtimeMs: old.mtimeMs + 1 }, 'p', reader('touched'))).toEqual(result);
    expect(reads).toEqual(['fresh.c', 'touched']);
    expect(again.probe(old, 'other project', reader('other'))).toBeUndefined();
  });

  it('recomputes everything when a build file changes (the project facts are part of the key)', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    await scan(root, dir);
    writeFileSync(join(root, 'pyproject.toml'), pyproject('Programming Language :: Python :: 3'));
    const warm = await scan(root, dir);
    expect(warm.stats.cachedFiles ?? 0).toBe(0);
    expect(warm.findings.some((f) => f.ruleId === 'FT034')).toBe(false);
    expect(visible(warm)).toEqual(visible(await scan(root, undefined)));
  });

  it('keeps one cache per rule set: another selection misses, and both stay warm', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    await scan(root, dir);
    const all = await scan(root, dir, selectAll);
    expect(all.stats.cachedFiles ?? 0).toBe(0);
    expect(visible(all)).toEqual(visible(await scan(root, undefined, selectAll)));
    expect((await scan(root, dir)).stats.cachedFiles).toBe(3);
    expect((await scan(root, dir, selectAll)).stats.cachedFiles).toBe(3);
  });

  it('gives the same findings cached and uncached on examples/ and the fixture projects', async () => {
    for (const root of ['examples/spamext', 'test/fixtures/projects/imaging-ext', 'test/fixtures/rules'].map((p) => resolve(p))) {
      const dir = cacheDir();
      // The cold scan is an uncached scan that also records (the first test compares the two).
      const cold = await scan(root, dir, selectAll);
      const warm = await scan(root, dir, selectAll);
      expect(warm.stats.cachedFiles, root).toBeGreaterThan(0);
      expect(visible(warm), root).toEqual(visible(cold));
    }
  });

  it('ignores a corrupt cache file, scans normally and writes a good one', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    const expected = visible(await scan(root, dir));
    const file = cacheFiles(dir)[0] ?? '';
    const text = readFileSync(file, 'utf8');
    for (const damaged of [text.slice(0, text.length / 2), text.replace('"findings"', '"findingz"'), '\u0000\u0001garbage', '']) {
      writeFileSync(file, damaged);
      const again = await scan(root, dir);
      expect(again.stats.cachedFiles ?? 0).toBe(0);
      expect(again.cacheWarning).toMatch(/scan cache .* is damaged: ignored it, scanning every file again/);
      expect(visible(again)).toEqual(expected);
      const healed = await scan(root, dir);
      expect(healed.stats.cachedFiles).toBe(3);
      expect(healed.cacheWarning).toBeUndefined();
    }
  });

  it('skips an entry of the wrong shape even when the file checksum is right', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    const key = settingsKey({ cwd: root, ruleIds: ['FT001'], maxFileSize: 1000 });
    const store = openScanCache({ dir, key, startedAt: Date.now() + 10_000 });
    const stat = { path: 'src/a.c', size: 1, mtimeMs: 1, ctimeMs: 1 };
    store.port(new Map(), new Map([[stat.path, stat]]), 'p').set(stat.path, 'x', { findings: [], diagnostics: [], facts: {}, length: 1 });
    expect(store.save()).toBeUndefined();
    const file = cacheFiles(dir)[0] ?? '';
    const [header = '', body = ''] = readFileSync(file, 'utf8').split('\n');
    const broken = body.replace('"findings":[]', '"findings":[{"ruleId":1}]');
    const { createHash } = await import('node:crypto');
    writeFileSync(file, `${header.split(' ').slice(0, 3).join(' ')} ${createHash('sha256').update(broken).digest('hex')}\n${broken}`);
    const reopened = openScanCache({ dir, key });
    expect(reopened.damaged).toMatch(/is damaged/);
    expect(reopened.probe(stat, 'p', () => 'x')).toBeUndefined();
  });

  it('is safe to delete at any time: the next scan finds the same and writes it again', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    const cold = await scan(root, dir);
    rmSync(dir, { recursive: true, force: true });
    const afterDelete = await scan(root, dir);
    expect(afterDelete.stats.cachedFiles ?? 0).toBe(0);
    expect(afterDelete.cacheWarning).toBeUndefined();
    expect(visible(afterDelete)).toEqual(visible(cold));
    // Only the cache file goes (a partial delete): still no warning, same findings.
    for (const file of cacheFiles(dir)) rmSync(file);
    expect(visible(await scan(root, dir))).toEqual(visible(cold));
    expect((await scan(root, dir)).stats.cachedFiles).toBe(3);
  });

  it('reads nothing written for another ftbot version', () => {
    const dir = cacheDir();
    const older = settingsKey({ cwd: '/p', ruleIds: ['FT001'], maxFileSize: 1000, version: '0.0.9' });
    const current = settingsKey({ cwd: '/p', ruleIds: ['FT001'], maxFileSize: 1000 });
    expect(older).not.toBe(current);
    const stat = { path: 'a.c', size: 1, mtimeMs: 1, ctimeMs: 1 };
    const store = openScanCache({ dir, key: older, startedAt: Date.now() + 10_000 });
    store.port(new Map(), new Map([[stat.path, stat]]), 'p').set(stat.path, 'x', { findings: [], diagnostics: [], facts: {}, length: 1 });
    store.save();
    expect(openScanCache({ dir, key: older }).probe(stat, 'p', () => 'x')).toBeDefined();
    expect(openScanCache({ dir, key: current }).probe(stat, 'p', () => 'x')).toBeUndefined();
  });

  it('marks its folder for git and backup tools, and keeps at most eight cache files', async () => {
    const root = sampleProject();
    const dir = cacheDir();
    for (let i = 0; i < 10; i++) await scan(root, dir, (c) => ({ ...c, select: ['ALL'], preview: true, maxFileSize: 100_000 + i }));
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('\n*\n');
    expect(readFileSync(join(dir, 'CACHEDIR.TAG'), 'utf8').startsWith('Signature: 8a477f597d28d172789f06886806bc55')).toBe(true);
    expect(cacheFiles(dir)).toHaveLength(8);
    expect(readdirSync(join(dir, 'v5')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps only the entries of the latest scan first when over its entry limit', () => {
    const dir = cacheDir();
    const key = settingsKey({ cwd: '/p', ruleIds: [], maxFileSize: 1 });
    const result = { findings: [], diagnostics: [], facts: {}, length: 1 };
    const stats = new Map(['a.c', 'b.c', 'c.c'].map((path) => [path, { path, size: 1, mtimeMs: 1, ctimeMs: 1 }]));
    const first = openScanCache({ dir, key, startedAt: Date.now() + 10_000, maxEntries: 2 });
    for (const path of ['a.c', 'b.c']) first.port(new Map(), stats, 'p').set(path, 'x', result);
    first.save();
    const second = openScanCache({ dir, key, startedAt: Date.now() + 10_000, maxEntries: 2 });
    second.port(new Map(), stats, 'p').set('c.c', 'x', result);
    second.save();
    const third = openScanCache({ dir, key });
    const found = ['a.c', 'b.c', 'c.c'].filter((path) => third.probe(stats.get(path) ?? { path, size: 0, mtimeMs: 0, ctimeMs: 0 }, 'p', () => 'x') !== undefined);
    expect(found).toHaveLength(2);
    expect(found).toContain('c.c');
  });

  it('still scans when the cache cannot be written, and says why', async () => {
    const root = sampleProject();
    const blocker = join(cacheDir(), 'file');
    writeFileSync(blocker, 'not a folder');
    const result = await scan(root, blocker);
    expect(visible(result)).toEqual(visible(await scan(root, undefined)));
    expect(result.cacheProblem).toMatch(/could not write the cache/);
  });
});

describe('the last complete scan', () => {
  const sources = ['pyproject.toml', 'src/a.c', 'src/b.c', 'src/clean.c'];
  /** A project whose files are old enough to trust by their stat, scanned once with `dir`. */
  async function scannedProject(dir: string, files: Record<string, string> = {}): Promise<string> {
    const root = sampleProject();
    for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
    ageFiles(root, [...sources, ...Object.keys(files)]);
    await scan(root, dir);
    return root;
  }
  const lastFiles = (dir: string): string[] => readdirSync(join(dir, 'v5')).filter((n) => n.endsWith('.last'));

  it('replays the whole result when no file changed: no file read, no rule run, the same findings and facts', async () => {
    const dir = cacheDir();
    const root = await scannedProject(dir);
    expect(lastFiles(dir)).toHaveLength(1);
    // Without the per-file entries, only the record of the last scan can answer.
    for (const file of cacheFiles(dir)) rmSync(file);
    const replayed = await scan(root, dir);
    expect(replayed.stats).toMatchObject({ parsedFiles: 0, cachedFiles: 3 });
    expect(visible(replayed)).toEqual(visible(await scan(root, undefined)));
    expect(replayed.project.classifiers).toEqual(['Programming Language :: Python :: Free Threading :: 2 - Beta']);
    expect(replayed.findings.some((f) => f.ruleId === 'FT034')).toBe(true);
  });

  it('is not used when a source is rewritten with the same size and its old modification time', async () => {
    const dir = cacheDir();
    const root = await scannedProject(dir);
    const before = statSync(join(root, 'src/clean.c'));
    writeFileSync(join(root, 'src/clean.c'), 'int add(int a, int b) { return a - b; }\n');
    utimesSync(join(root, 'src/clean.c'), before.atime, before.mtime);
    expect(statSync(join(root, 'src/clean.c')).size).toBe(before.size);
    const again = await scan(root, dir);
    expect(again.stats.cachedFiles).toBe(2);
    expect(visible(again)).toEqual(visible(await scan(root, undefined)));
  });

  it('is not used when a build file changes, a file is added or removed, or the rule set changes', async () => {
    const dir = cacheDir();
    const root = await scannedProject(dir);
    writeFileSync(join(root, 'pyproject.toml'), pyproject('Programming Language :: Python :: 3'));
    const changed = await scan(root, dir);
    expect(changed.findings.some((f) => f.ruleId === 'FT034')).toBe(false);
    expect(visible(changed)).toEqual(visible(await scan(root, undefined)));
    writeFileSync(join(root, 'src/c.c'), module('c'));
    expect(visible(await scan(root, dir))).toEqual(visible(await scan(root, undefined)));
    rmSync(join(root, 'src/c.c'));
    expect(visible(await scan(root, dir))).toEqual(visible(await scan(root, undefined)));
    const all = await scan(root, dir, selectAll);
    expect(visible(all)).toEqual(visible(await scan(root, undefined, selectAll)));
  });

  it('follows a configuration change: exclusions and per-file ignores apply to the replayed result', async () => {
    // The configuration files decide (the other tests replace them with the defaults).
    const fromFiles = (c: ResolvedConfig): ResolvedConfig => c;
    const dir = cacheDir();
    const root = await scannedProject(dir);
    await scan(root, dir, fromFiles);
    expect((await scan(root, dir, fromFiles)).findings.some((f) => f.path === 'src/a.c')).toBe(true);
    writeFileSync(join(root, '.ftbot.toml'), '[per-file-ignores]\n"src/a.c" = ["FT001"]\n');
    ageFiles(root, ['.ftbot.toml']);
    const ignored = await scan(root, dir, fromFiles);
    expect(ignored.findings.some((f) => f.path === 'src/a.c' && f.ruleId === 'FT001')).toBe(false);
    expect(visible(ignored)).toEqual(visible(await scan(root, undefined, fromFiles)));
    writeFileSync(join(root, '.ftbot.toml'), 'extend-exclude = ["src/b.c"]\n');
    ageFiles(root, ['.ftbot.toml']);
    const excluded = await scan(root, dir, fromFiles);
    expect(excluded.findings.some((f) => f.path === 'src/b.c')).toBe(false);
    expect(visible(excluded)).toEqual(visible(await scan(root, undefined, fromFiles)));
  });

  it('applies a minimum confidence or severity to the replayed result, counting only what is kept', async () => {
    const fromFiles = (c: ResolvedConfig): ResolvedConfig => c;
    const dir = cacheDir();
    const root = await scannedProject(dir);
    const everything = await scan(root, dir, fromFiles);
    expect(everything.stats.parsedFiles).toBe(0);
    const levels = new Set(everything.findings.map((f) => `${f.confidence} ${f.severity}`));
    expect(levels.size).toBeGreaterThan(1);
    for (const setting of ['min-confidence = "high"', 'min-severity = "error"']) {
      writeFileSync(join(root, '.ftbot.toml'), `${setting}\n`);
      ageFiles(root, ['.ftbot.toml']);
      await scan(root, dir, fromFiles);
      const replayed = await scan(root, dir, fromFiles);
      expect(replayed.stats.parsedFiles).toBe(0);
      expect(replayed.findingCount).toBeLessThan(everything.findingCount);
      expect(visible(replayed)).toEqual(visible(await scan(root, undefined, fromFiles)));
    }
  });

  it('is not recorded while a file changed too recently to trust its stat', async () => {
    const dir = cacheDir();
    const root = sampleProject();
    await scan(root, dir);
    expect(lastFiles(dir)).toEqual([]);
    ageFiles(root, sources);
    await scan(root, dir);
    expect(lastFiles(dir)).toHaveLength(1);
    // A fresh change removes the record instead of leaving an old one behind.
    writeFileSync(join(root, 'src/clean.c'), module('clean'));
    await scan(root, dir);
    expect(lastFiles(dir)).toEqual([]);
  });

  it('rejects a record paired with another scan\'s result (two scans at once, or one killed between its renames), a missing or a damaged result', async () => {
    const dir = cacheDir();
    const root = await scannedProject(dir);
    const whole = visible(await scan(root, undefined));
    const [name = ''] = lastFiles(dir);
    const record = join(dir, 'v5', name);
    const result = record.replace(/\.last$/, '.result');
    const wholeRecord = readFileSync(record);
    const wholeResult = readFileSync(result);
    // Same working directory and rules, so the same key: a scan of src/ alone records its own
    // pair over the first (without pyproject.toml, it has no FT034).
    const onlySrc = (): Promise<DirectoryScan> => scanDirectory({ cwd: root, paths: ['src'], override: () => structuredClone(defaultConfig), cacheDir: dir });
    const srcScan = visible(await onlySrc());
    expect(srcScan).not.toEqual(whole);
    expect(readFileSync(result).equals(wholeResult)).toBe(false);
    // The scan of the whole tree renamed its record last: its record, the other scan's result.
    writeFileSync(record, wholeRecord);
    expect(visible(await scan(root, dir))).toEqual(whole);
    // That scan wrote a good pair again, which replays without the per-file entries.
    for (const file of cacheFiles(dir)) rmSync(file);
    expect(readFileSync(result).equals(wholeResult)).toBe(true);
    expect(visible(await scan(root, dir))).toEqual(whole);
    // The other way round: the src/ scan's record with the whole tree's result.
    await onlySrc();
    writeFileSync(result, wholeResult);
    expect(visible(await onlySrc())).toEqual(srcScan);
    // A missing result, and a damaged one (same length, so only the checksum tells).
    await scan(root, dir);
    for (const damage of [() => rmSync(result), () => writeFileSync(result, wholeResult.toString('latin1').replace('"FT034"', '"FT035"'), 'latin1')]) {
      damage();
      const again = await scan(root, dir);
      expect(visible(again)).toEqual(whole);
      expect(again.stats.cachedFiles).toBe(3);
      expect(readFileSync(result).equals(wholeResult)).toBe(true);
    }
  });

  it('ignores a damaged record and scans from the per-file entries', async () => {
    const dir = cacheDir();
    const root = await scannedProject(dir);
    const expected = visible(await scan(root, undefined));
    const [name = ''] = lastFiles(dir);
    const file = join(dir, 'v5', name);
    const text = readFileSync(file, 'latin1');
    for (const damaged of [text.slice(0, text.length / 2), text.replace('"FT034"', '"FT035"'), '']) {
      writeFileSync(file, damaged, 'latin1');
      const again = await scan(root, dir);
      expect(again.stats.cachedFiles).toBe(3);
      expect(visible(again)).toEqual(expected);
    }
  });
});

describe('resolveCacheDir', () => {
  const root = projects.create({ 'sub/a.c': 'int x;\n' });
  it('follows --no-cache, then --cache-dir, then FTBOT_CACHE_DIR, then the scanned directory', () => {
    expect(resolveCacheDir({ cwd: root, paths: ['.'], noCache: true, cacheDir: 'c', env: { FTBOT_CACHE_DIR: '/e' } })).toBeUndefined();
    expect(resolveCacheDir({ cwd: root, paths: ['.'], cacheDir: 'c', env: { FTBOT_CACHE_DIR: '/e' } })).toBe(join(root, 'c'));
    expect(resolveCacheDir({ cwd: root, paths: ['.'], env: { FTBOT_CACHE_DIR: '/e' } })).toBe('/e');
    expect(resolveCacheDir({ cwd: root, paths: ['sub'], env: {} })).toBe(join(root, 'sub', '.ftbot_cache'));
    expect(resolveCacheDir({ cwd: root, paths: ['sub/a.c'], env: {} })).toBe(join(root, '.ftbot_cache'));
    expect(resolveCacheDir({ cwd: root, paths: ['sub', 'sub/a.c'], env: { FTBOT_CACHE_DIR: ' ' } })).toBe(join(root, '.ftbot_cache'));
  });
});

function cacheFiles(dir: string): string[] {
  return readdirSync(join(dir, 'v5'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => join(dir, 'v5', n));
}
