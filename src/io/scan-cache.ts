import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import type * as V8 from 'node:v8';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, Finding } from '../core/diagnostics.js';
import type { CachedFile, FileCache } from '../core/engine/file-cache.js';
import type { ProjectFacts } from '../core/engine/project-facts.js';
import type { ScanFacts } from '../core/engine/scan-facts.js';
import type { ScanResult } from '../core/engine/scan-files.js';
import type { Suppression } from '../core/engine/suppressions.js';
import { VERSION } from '../core/version.js';
import { grammarFilePaths } from './load-grammars.js';

// Taken from the loaded module, not imported: an ES import of a built-in module reads every one of
// its exports, and `node:crypto`'s include lazy ones (Web Crypto, which loads more modules), a
// millisecond of a warm re-scan for nothing it uses.
const { createHash, randomBytes } = process.getBuiltinModule('node:crypto');

/** Bumped whenever the layout of a cache file changes; older files are then never read. */
const FORMAT = 5;
/** Entries one cache file keeps (those of the latest scan first); beyond this, others are dropped. */
const MAX_ENTRIES = 100_000;
/** Diagnostics that may not happen again (a bug, a read that failed): a scan with one is never replayed whole. */
const transientKinds = new Set(['internal-error', 'read-error']);
/** A cache file bigger than this is not written (the scan is still correct, just not cached). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Cache files kept per format (one per rule set and ftbot build); the least recently written go. */
const MAX_FILES = 8;
/**
 * A file changed less than this long before the scan started may change again within the same
 * timestamp tick (1–2 s on some file systems): its stat is not trusted next time, its content is
 * hashed again (git's "racily clean" entries).
 */
const RACY_MS = 2_000;

/** What the walk knows about a file: enough to tell, without reading it, that it did not change. */
export type FileStat = { path: string; size: number; mtimeMs: number; ctimeMs: number };

type Entry = {
  /** SHA-256 of the text that was scanned. */
  hash: string;
  size: number;
  /** -1 when the stat was taken too close to a change to be trusted. */
  mtimeMs: number;
  ctimeMs: number;
  /** The project key the results were computed under (see `projectKey`). */
  project: string;
  result: CachedFile;
};

export type ScanCacheStore = {
  /** True when `file` is unchanged (by its stat) since a scan stored it: it is a scanned source. */
  knows(file: FileStat): boolean;
  /**
   * The results of `file` from an earlier scan with the same project key, if its content is
   * unchanged. A file whose stat changed is read (`read`) and hashed to compare its content.
   */
  probe(file: FileStat, project: string, read: () => string | undefined): CachedFile | undefined;
  /** The port the engine uses: hits from `probe`, and `set` for what the scan computes. */
  port(hits: ReadonlyMap<string, CachedFile>, stats: ReadonlyMap<string, FileStat>, project: string): FileCache;
  /** Stores results computed elsewhere (a worker thread) for `file`, whose text hashed to `hash`. */
  store(file: FileStat, hash: string, project: string, result: CachedFile): void;
  /** Writes the cache if anything changed (atomically). Returns a problem to show, or undefined. */
  save(): string | undefined;
  /**
   * Set when the cache file was there but damaged (truncated, edited, not a cache file): it was
   * ignored, every file is scanned again and a good file replaces it.
   */
  damaged?: string;
};

/**
 * Where the cache lives for a scan: `--no-cache` turns it off, then `--cache-dir`, then the
 * `FTBOT_CACHE_DIR` environment variable, then `.ftbot_cache` in the scanned directory (the one
 * directory given, or the working directory when several paths or a file are given).
 */
export function resolveCacheDir(params: { cwd: string; paths: readonly string[]; noCache?: boolean; cacheDir?: string; env: Record<string, string | undefined> }): string | undefined {
  const { cwd, paths } = params;
  if (params.noCache === true) return undefined;
  if (params.cacheDir !== undefined && params.cacheDir !== '') return resolve(cwd, params.cacheDir);
  const fromEnv = params.env.FTBOT_CACHE_DIR?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  const only = paths.length === 1 ? resolve(cwd, paths[0] ?? '.') : undefined;
  const root = only !== undefined && isDirectory(only) ? only : resolve(cwd);
  return join(root, '.ftbot_cache');
}

/**
 * The key of everything a file's results depend on besides its own text and the project facts:
 * the cache format, ftbot's version and code (its files' sizes and times, so a rebuilt checkout
 * misses), the grammars, the working directory (paths in findings are relative to it), the rules
 * and the size limit.
 */
export function settingsKey(params: { cwd: string; ruleIds: readonly string[]; maxFileSize: number; version?: string }): string {
  const { cwd, ruleIds, maxFileSize, version = VERSION } = params;
  return sha256(JSON.stringify({ format: FORMAT, version, code: codeStamp(), cwd: resolve(cwd), rules: [...ruleIds].sort(), maxFileSize }));
}

/**
 * The key of the project facts a scan reads from build files and Cython modules (the rules see
 * them as `ctx.project`): their paths and contents, and whether the scan has sources at all. When
 * one of these files changes, every cached result is recomputed.
 */
export function projectKey(files: ReadonlyArray<{ path: string; text: string | undefined }>, hasSources: boolean): string {
  const parts = files.map((f) => `${f.path}\u0000${f.text === undefined ? '-' : sha256(f.text)}`).sort();
  return sha256(JSON.stringify({ hasSources, parts }));
}

/**
 * Opens the cache of one rule set in `dir` (`<dir>/v<format>/<key>.json`). A missing, unreadable,
 * corrupt or foreign cache file is treated as empty (a damaged one is named in `damaged`, for a
 * warning); nothing here throws.
 */
export function openScanCache(params: { dir: string; key: string; startedAt?: number; maxEntries?: number }): ScanCacheStore {
  const { dir, key, maxEntries = MAX_ENTRIES } = params;
  const startedAt = params.startedAt ?? Date.now();
  const folder = join(dir, `v${FORMAT}`);
  const file = join(folder, `${key.slice(0, 24)}.json`);
  const { entries, damaged } = loadEntries(file, key);
  /** Entries written or confirmed by this scan (kept first when the cache is full). */
  const touched = new Set<string>();
  let dirty = false;

  const statMatches = (entry: Entry, stat: FileStat): boolean =>
    entry.mtimeMs >= 0 && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs && entry.ctimeMs === stat.ctimeMs;
  const trustedTimes = (stat: FileStat): { mtimeMs: number; ctimeMs: number } =>
    stat.mtimeMs < startedAt - RACY_MS ? { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs } : { mtimeMs: -1, ctimeMs: -1 };

  const store = (stat: FileStat, hash: string, project: string, result: CachedFile): void => {
    entries.set(stat.path, { hash, size: stat.size, ...trustedTimes(stat), project, result });
    touched.add(stat.path);
    dirty = true;
  };

  return {
    ...(damaged ? { damaged: `the scan cache ${file} is damaged: ignored it, scanning every file again and rewriting it` } : {}),
    knows(stat) {
      const entry = entries.get(stat.path);
      return entry !== undefined && statMatches(entry, stat);
    },
    probe(stat, project, read) {
      const entry = entries.get(stat.path);
      if (entry === undefined || entry.project !== project) return undefined;
      if (!statMatches(entry, stat)) {
        const text = read();
        if (text === undefined || sha256(text) !== entry.hash) return undefined;
        // Same content, new stat (a checkout, a touch): remember the stat so the next scan need not read it.
        Object.assign(entry, { size: stat.size, ...trustedTimes(stat) });
        dirty = true;
      }
      touched.add(stat.path);
      return entry.result;
    },
    port(hits, stats, project) {
      return {
        get: (path) => hits.get(path),
        set(path, text, result) {
          const stat = stats.get(path);
          if (stat !== undefined) store(stat, sha256(text), project, result);
        },
      };
    },
    store,
    save() {
      if (!dirty) return undefined;
      try {
        writeCacheFile(folder, file, key, bounded(entries, touched, maxEntries));
        pruneOldFiles(folder, file);
        return undefined;
      } catch (error) {
        return `could not write the cache in ${dir}: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}

/** A file the engine was handed, as the walk saw it (`language`: a `.py` that Cython compiles). */
export type ScanInput = FileStat & { regular: boolean; language?: 'cython'; buildRoot?: string };

/**
 * The last complete scan of one rule set: the files it was handed with their stats, and its
 * result. A re-scan handed exactly the same files, none changed by its stat, gets that result back
 * without reading the per-file cache or running any rule: the result is a function of those files'
 * contents (the stats stand for them, as the per-file entries' do), the rule set and ftbot's build
 * (the key), and nothing else.
 *
 * It is kept in two files, so that a re-scan reads only what it needs (see `readLastScan`):
 *
 * - `<key>.last`, the record: the inputs, the findings' keys, the diagnostics, the stats and the
 *   number of findings (about a tenth of the whole on a large tree). Its header is `ftbot-last <format> <key> <id> <result
 *   checksum>`; `id` is the SHA-256 of the result checksum and the body, so it checks the record
 *   and names the one result it goes with.
 * - `<key>.result`, the result proper: the findings, the published facts and the project facts.
 *   Its header is `ftbot-result <format> <key> <checksum of its body>`.
 *
 * Each file is written aside and renamed over (a reader sees a whole old file or a whole new one),
 * the result first. A pair never mixes two scans: a reader takes a result only when its checksum
 * is the one the record names. Two scans writing at once, or one killed between its two renames,
 * can leave the record of one with the result of the other; that pair is rejected, and the
 * re-scan scans (from the per-file entries) and writes a good pair.
 */
export type LastScan = {
  /** True when `file` was handed to that scan with this stat (so it is not generated code). */
  knows(file: FileStat): boolean;
  /** That scan's record, if `inputs` are exactly its files with the same stats; else undefined. */
  replay(inputs: readonly ScanInput[]): ReplayedRecord | undefined;
};

/** What the per-file settings read of a finding to admit it or not. */
export type FindingKey = Pick<Finding, 'ruleId' | 'path' | 'severity' | 'confidence'>;

/**
 * A replayed record: `keys` (the findings' rule, path, severity and confidence, in order) are
 * enough to apply the per-file settings, and with the rendered findings kept for them
 * (`readRenderedFindings`), to print the JSON report, without reading the result.
 */
export type ReplayedRecord = Pick<ScanResult, 'diagnostics' | 'stats'> & {
  /** Identifies the recorded result (the checksum of its record). */
  id: string;
  /** How many findings the result holds. */
  findingCount: number;
  /**
   * The findings' keys, decoded when first asked for: settings that admit every finding (the
   * usual case) need only their count.
   */
  keys: () => FindingKey[];
  /**
   * Reads the result that goes with the record (its findings, published facts and project facts,
   * each decoded when first read); undefined when the file is missing or damaged, or holds the
   * result of another scan (a torn pair).
   */
  result(): RecordedResult | undefined;
};

export type RecordedResult = Pick<ScanResult, 'findings' | 'facts' | 'project'>;

/** One finding key as stored: rule id, path, severity, confidence. */
type StoredKey = [ruleId: string, path: string, severity: Finding['severity'], confidence: Finding['confidence']];

const storedKey = (f: FindingKey): StoredKey => [f.ruleId, f.path, f.severity, f.confidence];

/** One input as stored: path, size, times, regular (1 or 0), language mark ('' or 'cython'). */
type StoredInput = [path: string, size: number, mtimeMs: number, ctimeMs: number, regular: number, language: string];

const storedInput = (f: ScanInput): StoredInput => [f.path, f.size, f.mtimeMs, f.ctimeMs, f.regular ? 1 : 0, f.language ?? ''];

function sameInput(stored: StoredInput | undefined, f: ScanInput): boolean {
  return (
    stored !== undefined &&
    stored[0] === f.path &&
    stored[1] === f.size &&
    stored[2] === f.mtimeMs &&
    stored[3] === f.ctimeMs &&
    stored[4] === (f.regular ? 1 : 0) &&
    stored[5] === (f.language ?? '')
  );
}

function lastScanFiles(dir: string, key: string): { folder: string; record: string; result: string } {
  const folder = join(dir, `v${FORMAT}`);
  const base = join(folder, key.slice(0, 24));
  return { folder, record: `${base}.last`, result: `${base}.result` };
}

/**
 * A cache file's first line split at its spaces (magic word, format, key, checksums), and the rest.
 * A file without a line break has no header: an empty one, which no magic word matches.
 */
function headerAndBody(bytes: Buffer): { header: (string | undefined)[]; body: Buffer } {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return { header: [], body: bytes };
  return { header: bytes.subarray(0, newline).toString('latin1').split(' '), body: bytes.subarray(newline + 1) };
}

/** The id of a record: the checksum of its body and of the result it names. */
function recordId(resultSum: string, body: Uint8Array | string): string {
  return createHash('sha256').update(resultSum).update('\n').update(body).digest('hex');
}

/**
 * Reads the record of the last complete scan of the rule set `key`; undefined when there is none
 * or it is damaged. The record's first line (the inputs) is decoded here, the others when the
 * inputs match; the result file is read only when `result()` is called.
 */
export function readLastScan(params: { dir: string; key: string }): LastScan | undefined {
  const files = lastScanFiles(params.dir, params.key);
  let bytes: Buffer;
  try {
    bytes = readFileSync(files.record);
  } catch {
    return undefined;
  }
  const { header, body } = headerAndBody(bytes);
  const [magic, format, key, id, resultSum] = header;
  if (magic !== 'ftbot-last' || format !== String(FORMAT) || key !== params.key || id === undefined || resultSum === undefined || id !== recordId(resultSum, body)) return undefined;
  const lines = splitLines(body, 3);
  const [inputsText, keysText, summaryText] = lines;
  if (inputsText === undefined || keysText === undefined || summaryText === undefined) return undefined;
  let inputs: StoredInput[];
  try {
    // The writer escapes every non-ASCII character: one-byte text decodes and parses fastest.
    inputs = JSON.parse(inputsText.toString('latin1')) as StoredInput[];
    if (!Array.isArray(inputs)) return undefined;
  } catch {
    return undefined;
  }
  const byPath = new Map(inputs.map((stored) => [stored[0], stored]));
  return {
    knows(stat) {
      const stored = byPath.get(stat.path);
      return stored !== undefined && stored[1] === stat.size && stored[2] === stat.mtimeMs && stored[3] === stat.ctimeMs;
    },
    replay(current) {
      if (current.length !== inputs.length || !current.every((f, i) => sameInput(inputs[i], f))) return undefined;
      try {
        const { diagnostics, stats, findingCount } = JSON.parse(summaryText.toString('latin1')) as Pick<ScanResult, 'diagnostics' | 'stats'> & { findingCount: number };
        if (typeof findingCount !== 'number') return undefined;
        let keys: FindingKey[] | undefined;
        let result: RecordedResult | null | undefined;
        return {
          id,
          findingCount,
          keys() {
            // The record's checksum matched: its lines are the writer's, and decode.
            keys ??= (JSON.parse(keysText.toString('latin1')) as StoredKey[]).map(([ruleId, path, severity, confidence]) => ({ ruleId, path, severity, confidence }));
            return keys;
          },
          diagnostics,
          stats,
          result() {
            // Read once: a second call gets the same answer even if a new pair was written since.
            if (result === undefined) result = readRecordedResult(files.result, params.key, resultSum) ?? null;
            return result ?? undefined;
          },
        };
      } catch {
        return undefined;
      }
    },
  };
}

/** The result file of a record whose header names `resultSum`; undefined when missing, damaged or another scan's. */
function readRecordedResult(file: string, key: string, resultSum: string): RecordedResult | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const { header, body } = headerAndBody(bytes);
  // The checksum in the header first: a result of another scan is told without hashing it.
  if (header[0] !== 'ftbot-result' || header[1] !== String(FORMAT) || header[2] !== key || header[3] !== resultSum || sha256(body) !== resultSum) return undefined;
  const [findingsText, factsText, projectText] = splitLines(body, 3);
  if (findingsText === undefined || factsText === undefined || projectText === undefined) return undefined;
  let findings: Finding[];
  try {
    // Parsed now (the findings are what the result is read for), so a bad line rejects the pair.
    findings = JSON.parse(findingsText.toString('latin1')) as Finding[];
    if (!Array.isArray(findings)) return undefined;
  } catch {
    return undefined;
  }
  let facts: ScanFacts | undefined;
  let project: ProjectFacts | undefined;
  return {
    findings,
    // The checksum matched: these were written by the same writer, and decode.
    get facts(): ScanFacts {
      facts ??= JSON.parse(factsText.toString('latin1')) as ScanFacts;
      return facts;
    },
    get project(): ProjectFacts {
      project ??= v8().deserialize(Buffer.from(projectText.toString('latin1'), 'base64')) as ProjectFacts;
      return project;
    },
  };
}

/** The first `count` lines of `body` (fewer when it has fewer). */
function splitLines(body: Buffer, count: number): Buffer[] {
  const lines: Buffer[] = [];
  for (let at = 0; lines.length < count; ) {
    const end = body.indexOf(0x0a, at);
    lines.push(body.subarray(at, end < 0 ? body.length : end));
    if (end < 0) break;
    at = end + 1;
  }
  return lines;
}

/**
 * Records `result` as the last complete scan of the rule set `key`, handed `inputs`, of which
 * `sources` are sources. Nothing is recorded (and an older record goes) when a file changed too
 * close to the scan's start to trust its stat, or the scan met a bug or a read error (a re-scan
 * must try those again). Returns a problem to show, or undefined.
 */
export function saveLastScan(params: { dir: string; key: string; inputs: readonly ScanInput[]; sources: number; result: ScanResult; startedAt: number }): { problem?: string; id?: string } {
  const { dir, key, inputs, result, startedAt } = params;
  const files = lastScanFiles(dir, key);
  const remove = (): void => {
    // The record first: without it the result is never read.
    rmSync(files.record, { force: true });
    rmSync(files.result, { force: true });
  };
  try {
    // The per-file entries' rule (git's "racily clean"): a stat taken too close to a change is not trusted.
    const trusted = inputs.every((f) => f.mtimeMs < startedAt - RACY_MS);
    if (!trusted || result.diagnostics.some((d) => transientKinds.has(d.kind))) {
      remove();
      return {};
    }
    // A replay scans nothing: every source's results come from the cache.
    const stats = { files: result.stats.files, bytes: result.stats.bytes, parsedFiles: 0, parsedBytes: 0, ...(params.sources > 0 ? { cachedFiles: params.sources } : {}) };
    const record = [asciiJson(inputs.map(storedInput)), asciiJson(result.findings.map(storedKey)), asciiJson({ diagnostics: result.diagnostics, stats, findingCount: result.findings.length })].join('\n');
    const recorded = [asciiJson(result.findings), asciiJson(result.facts), v8().serialize(result.project).toString('base64')].join('\n');
    if (record.length + recorded.length > MAX_FILE_BYTES) {
      remove();
      return {};
    }
    const resultSum = sha256(recorded);
    const id = recordId(resultSum, record);
    // The result first, then the record that names it: a reader never takes a record whose result is not there yet.
    writeAtomically(files.folder, files.result, `ftbot-result ${FORMAT} ${key} ${resultSum}\n${recorded}`);
    writeAtomically(files.folder, files.record, `ftbot-last ${FORMAT} ${key} ${id} ${resultSum}\n${record}`);
    return { id };
  } catch (error) {
    remove();
    return { problem: `could not write the cache in ${dir}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The JSON report's findings, rendered, of one recorded result as one set of file settings admits
 * it (`id`; see `renderedFindingsId`): a re-scan that replays that result with the same findings
 * admitted prints these bytes instead of decoding and rendering the findings again. Kept beside
 * the record (`<dir>/v<format>/<key>.report`), one per rule set; undefined when there is none
 * for `id` or the file is damaged.
 */
export function readRenderedFindings(params: { dir: string; key: string; id: string }): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(renderedFindingsFile(params.dir, params.key));
  } catch {
    return undefined;
  }
  const { header, body } = headerAndBody(bytes);
  if (header[0] !== 'ftbot-report' || header[1] !== String(FORMAT) || header[2] !== params.key || header[3] !== params.id || header[4] !== sha256(body)) return undefined;
  return body;
}

/** Keeps `bytes` as the rendered findings of `id` (replacing those of any other). Returns a problem to show, or undefined. */
export function saveRenderedFindings(params: { dir: string; key: string; id: string; bytes: Uint8Array }): string | undefined {
  const { dir, key, id, bytes } = params;
  const { folder } = lastScanFiles(dir, key);
  try {
    if (bytes.length > MAX_FILE_BYTES) return undefined;
    writeAtomically(folder, renderedFindingsFile(dir, key), Buffer.concat([Buffer.from(`ftbot-report ${FORMAT} ${key} ${id} ${sha256(bytes)}\n`, 'latin1'), bytes]));
    return undefined;
  } catch (error) {
    return `could not write the cache in ${dir}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The id of the findings of the recorded result `recordId` that the settings admit, given as the
 * indexes of those they drop: the rendered findings depend on nothing else (their texts and fixes
 * are the record's, and the files fixes are placed in are unchanged, or the record would not replay).
 */
export function renderedFindingsId(recordId: string, dropped: readonly number[]): string {
  return sha256(`${recordId} ${dropped.join(',')}`);
}

function renderedFindingsFile(dir: string, key: string): string {
  return join(dir, `v${FORMAT}`, `${key.slice(0, 24)}.report`);
}

/** JSON with every non-ASCII character escaped (`\uXXXX`): it decodes as one-byte text, much faster. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The entries to write: at most `max`, this scan's first. */
function bounded(entries: Map<string, Entry>, touched: ReadonlySet<string>, max: number): Array<[string, Entry]> {
  const all = [...entries];
  if (all.length <= max) return all;
  const mine = all.filter(([path]) => touched.has(path));
  const others = all.filter(([path]) => !touched.has(path));
  return [...mine, ...others].slice(0, max);
}

/**
 * A cache file is one header line, `ftbot-cache <format> <key> <sha256 of the rest>`, then the
 * entries as JSON. The checksum catches a truncated or damaged file; the key, a file of another
 * rule set or build.
 */
function loadEntries(file: string, key: string): { entries: Map<string, Entry>; damaged: boolean } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { entries: new Map(), damaged: false };
  }
  const damaged = { entries: new Map<string, Entry>(), damaged: true };
  const { header, body } = headerAndBody(bytes);
  if (header[0] !== 'ftbot-cache' || header[1] !== String(FORMAT) || header[2] !== key || header[3] !== sha256(body)) return damaged;
  try {
    // The writer escapes every non-ASCII character, so the body decodes as one-byte text (much
    // faster to decode and to parse than UTF-8 with a few `…` in messages).
    const parsed: unknown = JSON.parse(isAscii(body) ? body.toString('latin1') : body.toString('utf8'));
    if (!isRecord(parsed)) return damaged;
    const entries = new Map<string, Entry>();
    for (const [path, value] of Object.entries(parsed)) {
      // One entry of the wrong shape means the file was edited or damaged: trust none of it.
      if (!isEntry(value)) return damaged;
      entries.set(path, value);
    }
    return { entries, damaged: false };
  } catch {
    return damaged;
  }
}

function writeCacheFile(folder: string, file: string, key: string, entries: Array<[string, Entry]>): void {
  // ASCII only (`\uXXXX` for the rest): see `loadEntries`.
  const body = asciiJson(Object.fromEntries(entries));
  if (body.length > MAX_FILE_BYTES) return;
  writeAtomically(folder, file, `ftbot-cache ${FORMAT} ${key} ${sha256(body)}\n${body}`);
}

/** Writes `text` to `file` in the cache folder `folder`, creating and marking the folder first. */
function writeAtomically(folder: string, file: string, text: string | Uint8Array): void {
  mkdirSync(folder, { recursive: true });
  const root = dirname(folder);
  // Git ignores the folder's content, and backup tools that honour cache-directory tags skip it.
  writeIfMissing(join(root, '.gitignore'), '# Created by ftbot: the scan cache is local, never commit it.\n*\n');
  writeIfMissing(join(root, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by ftbot.\n# For information about cache directory tags see https://bford.info/cachedir/\n');
  // Write aside, then rename over: a reader sees the old file or the new one, never half of one.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

function writeIfMissing(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Keeps the `MAX_FILES` most recently written cache files (other rule sets or builds); temp files of crashed writers go too. */
function pruneOldFiles(folder: string, current: string): void {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.json') || name.endsWith('.tmp'))
    .map((name) => {
      const path = join(folder, name);
      try {
        return { path, mtimeMs: statSync(path).mtimeMs, temp: name.endsWith('.tmp') };
      } catch {
        return undefined;
      }
    })
    .filter((f) => f !== undefined)
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  const hour = 3_600_000;
  const stale = files.filter((f) => f.temp && f.mtimeMs < Date.now() - hour);
  const old = files.filter((f) => !f.temp && f.path !== current).slice(MAX_FILES - 1);
  // A rule set's last complete scan (record and result) and its rendered findings go with its cache file.
  const companions = ['.last', '.result', '.report'];
  for (const f of [...stale, ...old]) for (const path of f.temp ? [f.path] : [f.path, ...companions.map((ext) => f.path.replace(/\.json$/, ext))]) rmSync(path, { force: true });
}

let stamp: string | undefined;

/**
 * Identifies the running build of ftbot: the size and modification time of every module of the
 * package (the bundle's files in the bundled CLI) and of the grammar `.wasm` files. Computed once a process.
 */
function codeStamp(): string {
  if (stamp !== undefined) return stamp;
  const here = fileURLToPath(import.meta.url);
  // Built or from source: every module under dist/ or src/. Bundled: this module is one of the
  // bundle's files (the entry and its chunks), all in one folder.
  const modules = basename(here) === 'scan-cache.js' || basename(here) === 'scan-cache.ts' ? listModules(dirname(dirname(here))) : listModules(dirname(here));
  const parts = [...modules, ...grammarFilePaths()].map((path) => {
    try {
      const s = statSync(path);
      return `${path}:${s.size}:${s.mtimeMs}`;
    } catch {
      return `${path}:-`;
    }
  });
  stamp = sha256(parts.join('\n'));
  return stamp;
}

function listModules(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|mjs|ts|json)$/.test(e.name)) out.push(p);
    }
  };
  try {
    walk(dir);
  } catch {
    // An unreadable package folder only makes the stamp coarser.
  }
  return out.sort();
}

/**
 * Node's `v8` module, loaded when first needed: only a scan that records a result or reads its
 * project facts needs it, and loading it costs a few milliseconds a replayed scan need not pay.
 */
function v8(): typeof V8 {
  return process.getBuiltinModule('node:v8');
}

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored entry of the right shape (a damaged or hand-edited one is never trusted to crash the scan). */
function isEntry(value: unknown): value is Entry {
  if (!isRecord(value) || !isRecord(value.result)) return false;
  const { result } = value;
  return (
    typeof value.hash === 'string' &&
    typeof value.size === 'number' &&
    typeof value.mtimeMs === 'number' &&
    typeof value.ctimeMs === 'number' &&
    typeof value.project === 'string' &&
    typeof result.length === 'number' &&
    isRecord(result.facts) &&
    Object.values(result.facts).every(Array.isArray) &&
    Array.isArray(result.findings) &&
    result.findings.every(isFinding) &&
    Array.isArray(result.diagnostics) &&
    result.diagnostics.every(isDiagnostic) &&
    (result.suppressions === undefined || (Array.isArray(result.suppressions) && result.suppressions.every(isSuppression)))
  );
}

function isFinding(value: unknown): value is Finding {
  return (
    isRecord(value) &&
    typeof value.ruleId === 'string' &&
    typeof value.path === 'string' &&
    typeof value.line === 'number' &&
    typeof value.column === 'number' &&
    typeof value.endLine === 'number' &&
    typeof value.endColumn === 'number' &&
    typeof value.message === 'string' &&
    typeof value.fingerprint === 'string'
  );
}

function isSuppression(value: unknown): value is Suppression {
  return isRecord(value) && typeof value.line === 'number' && typeof value.target === 'number' && Array.isArray(value.ruleIds) && value.ruleIds.every((id) => typeof id === 'string');
}

function isDiagnostic(value: unknown): value is Diagnostic {
  return isRecord(value) && typeof value.kind === 'string' && typeof value.path === 'string' && typeof value.message === 'string';
}
