import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ConfigProblem, ResolvedConfig } from '../core/config/defaults.js';
import { confidenceRank, severityRank, type Diagnostic, type Finding } from '../core/diagnostics.js';
import type { CachedFile, FileCache, ScanResult, ScanStats } from '../core/engine/scan-files.js';
import { emptyScanFacts } from '../core/engine/scan-facts.js';
import { selectRules } from '../core/engine/select-rules.js';
import type { BuildText } from '../core/build-files/cython-python-modules.js';
import { readPyproject } from '../core/build-files/pyproject.js';
import { classifyPath, type FileKind, type SourceLanguage } from '../core/languages.js';
import { pyprojectBuildModules } from '../core/build-files/build-modules.js';
import type { Logger } from '../core/ports.js';
import { ruleTable } from '../core/rules/rule-table.js';
import { generatorOf } from './detect-generated.js';
import { createConfigDiscovery, resolveLayer, type ConfigLayer } from './load-project-config.js';
import {
  openScanCache,
  projectKey,
  readLastScan,
  readRenderedFindings,
  renderedFindingsId,
  saveLastScan,
  saveRenderedFindings,
  settingsKey,
  type FindingKey,
  type RecordedResult,
  type ScanCacheStore,
  type ScanInput,
} from './scan-cache.js';
import { readRegularFile } from './read-regular-file.js';
import { walkFiles, type WalkedFile } from './walk-files.js';
import { allowOptimisingCompiler } from './v8-tiers.js';

export type DirectoryScan = ScanResult & {
  /**
   * The ids of the rules that ran for at least one file (the union over the configurations found),
   * sorted. Ids only: a scan replayed from the cache loads no rule code.
   */
  ruleIds: string[];
  /** Wall time of walk + read + scan, in milliseconds. */
  ms: number;
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** The text of a scanned file (read again on demand; used to render and apply fixes). */
  textOf: (path: string) => string | undefined;
  /** Configuration problems; when there are any, nothing was scanned. */
  problems: ConfigProblem[];
  /** The configuration files that applied, as shown to the user. */
  configSources: string[];
  /** A problem with the scan cache (it could not be written); the scan itself is complete. */
  cacheProblem?: string;
  /** The scan cache was damaged and ignored: every file was scanned again (a warning to show). */
  cacheWarning?: string;
  /** Threads whose scanning results were used (1 unless a cold scan was split over workers). */
  threads?: number;
  /** `findings.length`, known without decoding the findings of a replayed scan. */
  findingCount: number;
  /**
   * The JSON report's rendered findings kept in the scan cache for this result and these settings
   * (`readRenderedFindings`): `get` them, or `set` them once rendered. Set when the result is
   * recorded as the last complete scan (a re-scan that changes nothing replays it).
   */
  renderedFindings?: { get(): Buffer | undefined; set(bytes: Uint8Array): string | undefined };
};

/** A configuration found by discovery, validated, with the command-line options applied. */
type Settings = { dir: string; config: ResolvedConfig; enabled: Set<string>; exclude: Ignore; perFile: Array<{ matcher: Ignore; ruleIds: string[] }> };


/**
 * Scans files on disk with the configuration that applies to each file.
 *
 * Steps:
 * 1. Walk `paths` under `cwd` (ignore files, `.git/info/exclude`).
 * 2. Find each file's configuration (nearest `.ftbot.toml` / `pyproject.toml [tool.ftbot]` /
 *    `.github/ftbot.yml`, or `--config`), validate it, and apply `override` (the command line).
 * 3. Drop files their configuration excludes (checked from the scan root down, so an excluded
 *    directory stays excluded even when a project inside it has its own configuration), and
 *    generated C (Cython, SWIG, cffi, mypyc) with a diagnostic.
 * 4. Run the union of the selected rules once, so project facts span the whole tree.
 * 5. Keep each finding only if its file's configuration selects the rule, does not ignore it for
 *    that path, and admits its severity and confidence.
 */
export async function scanDirectory(params: {
  cwd: string;
  paths: string[];
  /** `--config`: one file for every path instead of discovery. */
  configPath?: string;
  /** Applies the command-line options to each configuration found. */
  override?: (config: ResolvedConfig) => ResolvedConfig;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  /**
   * The scan cache's folder (see `resolveCacheDir`): unchanged sources replay their results from
   * it instead of being scanned. Without it nothing is cached.
   */
  cacheDir?: string;
  /** Threads a cold scan may use (default `scanThreads()`: at most 2); 1 scans on this thread only. */
  threads?: number;
  /** Sources to scan below this many bytes stay on one thread (default `MIN_PARALLEL_BYTES`; tests lower it). */
  minParallelBytes?: number;
  /**
   * The caller prints the rendered findings the cache keeps (`renderedFindings`) when there are
   * some, and reads `findings`, `facts` and `project` only when there are none: a replayed scan
   * then reads them first, and leaves the recorded result unread when they are there.
   */
  printsRenderedFindings?: boolean;
}): Promise<DirectoryScan> {
  // `process.hrtime` rather than `performance.now()`, which loads eleven modules of Node's own.
  const started = process.hrtime.bigint();
  const elapsedMs = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  /** The clock files' times are compared with (a file changed after this is not trusted by its stat). */
  const startedAt = Date.now();
  const { cwd, paths } = params;
  const override = params.override ?? ((c: ResolvedConfig) => c);
  // The project facts' module (build-file readers, YAML) loads only here, never for a replayed scan.
  const empty = async (missing: string[], problems: ConfigProblem[], configSources: string[] = []): Promise<DirectoryScan> => ({
    findings: [],
    diagnostics: [],
    stats: { files: 0, bytes: 0, parsedFiles: 0, parsedBytes: 0 },
    project: (await import('../core/engine/project-facts.js')).emptyProjectFacts(),
    facts: emptyScanFacts(),
    ruleIds: [],
    ms: elapsedMs(),
    missing,
    textOf: () => undefined,
    problems,
    configSources,
    findingCount: 0,
  });

  // 1. Walk. `.py` files are listed only to find the ones Cython compiles (pure-Python mode).
  const walkedAll = walkFiles({ cwd, roots: paths, exclude: [], python: true });
  if (walkedAll.missing.length > 0) return empty(walkedAll.missing, []);
  const buildModules = pyprojectBuildModuleFiles(walkedAll.files);
  const cythonPython = await cythonPythonFiles(walkedAll.files.filter((f) => !buildModules.has(f.path)));
  // The walk lists only files `classifyPath` knows, and `.py` files: only those are classified again.
  const walked = {
    files: walkedAll.files.filter((f) => !f.path.endsWith('.py') || classifyPath(f.path) !== undefined || cythonPython.has(f.path) || buildModules.has(f.path)),
  };
  const kindOf = (path: string): FileKind | undefined =>
    cythonPython.has(path) ? { type: 'source', language: 'cython' } : buildModules.has(path) ? { type: 'build', kind: 'setup-py' } : classifyPath(path);
  /** What a file's path does not tell: a `.py` that Cython compiles, or a build module a pyproject names. */
  const marked = (path: string): { language?: 'cython'; buildRoot?: string } => {
    if (cythonPython.has(path)) return { language: 'cython' };
    const root = buildModules.get(path);
    return root === undefined ? {} : { buildRoot: root };
  };

  // 2. Configurations: one per project root met, plus the working directory's for the rule list.
  const discovery = createConfigDiscovery({ cwd, listed: (dir) => walkedAll.listings.get(dir), ...(params.configPath === undefined ? {} : { configPath: params.configPath }) });
  const settingsByLayer = new Map<ConfigLayer | undefined, Settings>();
  const problems: ConfigProblem[] = [];
  const settingsFor = async (layer: ConfigLayer | undefined): Promise<Settings> => {
    let settings = settingsByLayer.get(layer);
    if (settings === undefined) {
      const resolved = await resolveLayer(layer);
      problems.push(...resolved.problems);
      settings = toSettings(layer?.dir ?? cwd, override(resolved.config));
      settingsByLayer.set(layer, settings);
    }
    return settings;
  };
  const dirs = new Set<string>([resolve(cwd)]);
  // Files come grouped by directory: a file in the same directory as the one before is skipped
  // by comparing the prefix (no `dirname` per file), and each new directory's parents are walked once.
  let lastDir = '';
  for (const f of walked.files) {
    const cut = f.absolute.lastIndexOf(sep);
    if (cut > 0 && cut === lastDir.length && f.absolute.startsWith(lastDir)) continue;
    const dir = dirname(f.absolute);
    lastDir = dir;
    for (let d = dir; !dirs.has(d); d = dirname(d)) {
      dirs.add(d);
      if (dirname(d) === d) break;
    }
  }
  const layerOf = new Map<string, ConfigLayer | undefined>();
  for (const d of dirs) {
    const layer = discovery.layerFor(d);
    layerOf.set(d, layer);
    await settingsFor(layer);
  }
  const configSources = [...new Set([...settingsByLayer.keys()].flatMap((l) => l?.sources.map((s) => s.source) ?? []))];
  if (problems.length > 0) return empty([], problems, configSources);
  const settingsOfDir = (d: string): Settings => settingsByLayer.get(layerOf.get(d) ?? discovery.layerFor(d)) as Settings;

  // The union of the selected rules, and the cache of results scanned with them.
  const all = [...settingsByLayer.values()];
  const enabled = new Set(all.flatMap((s) => [...s.enabled]));
  const ruleIds = ruleTable.filter((r) => enabled.has(r.meta.id)).map((r) => r.meta.id);
  const maxFileSize = Math.max(...all.map((s) => s.config.maxFileSize));
  const cacheKey = params.cacheDir === undefined ? undefined : settingsKey({ cwd, ruleIds, maxFileSize });

  // 3. Exclusions and generated code (a source the cache knows unchanged was scanned, so not generated).
  const roots = paths.map((p) => resolve(cwd, p));
  const excludes = all.some((s) => s.config.exclude.length > 0);
  const admitted = (knows: (f: WalkedFile) => boolean): { files: WalkedFile[]; diagnostics: Diagnostic[] } => {
    const diagnostics: Diagnostic[] = [];
    const files = walked.files.filter((f) => {
      if (excludes && isExcluded(f, roots, settingsOfDir)) return false;
      const generator = isCSource(f.path) && f.regular && !knows(f) ? generatorOf(f.path, readHead(f.absolute)) : undefined;
      if (generator === undefined) return true;
      diagnostics.push({ kind: 'generated', path: f.path, message: `skipped: generated by ${generator}; scan the source it was generated from` });
      return false;
    });
    return { files, diagnostics };
  };
  // Most trees mark no file: their inputs are built without looking each path up.
  const unmarked = cythonPython.size === 0 && buildModules.size === 0;
  const inputsOf = (files: readonly WalkedFile[]): ScanInput[] =>
    files.map((f) =>
      unmarked
        ? { path: f.path, size: f.size, mtimeMs: f.mtimeMs, ctimeMs: f.ctimeMs, regular: f.regular }
        : { path: f.path, size: f.size, mtimeMs: f.mtimeMs, ctimeMs: f.ctimeMs, regular: f.regular, ...marked(f.path) },
    );
  // Settings that admit any finding of the rules that ran (the usual case: one configuration, no
  // per-file ignores, no minimum level) drop none: the findings need not even be looked at.
  const admitsAll = all.every((s) => s.perFile.length === 0 && s.config.minSeverity === 'info' && s.config.minConfidence === 'low' && ruleIds.every((id) => s.enabled.has(id)));
  /** The indexes of the findings their file's configuration does not admit (step 5). */
  const droppedFindings = (keys: () => readonly FindingKey[], absolutes: () => ReadonlyMap<string, string>): number[] => {
    if (admitsAll) return [];
    const found = keys();
    const absoluteOf = absolutes();
    const dropped: number[] = [];
    // Findings come grouped by file: each file's settings are looked up once.
    let file: { path: string; absolute: string | undefined; settings: Settings } | undefined;
    found.forEach((f, i) => {
      if (file?.path !== f.path) {
        const absolute = absoluteOf.get(f.path);
        file = { path: f.path, absolute, settings: settingsOfDir(dirname(absolute ?? resolve(cwd, f.path))) };
      }
      if (!admits(file.settings, f, file.absolute)) dropped.push(i);
    });
    return dropped;
  };
  const without = <T>(found: readonly T[], dropped: readonly number[]): T[] => {
    if (dropped.length === 0) return [...found];
    const skip = new Set(dropped);
    return found.filter((_, i) => !skip.has(i));
  };
  /** The rendered findings of the recorded result `recordId` with `dropped` left out, in the cache. */
  const renderedFindings = (recordId: string, dropped: readonly number[]): DirectoryScan['renderedFindings'] => {
    const { cacheDir } = params;
    if (cacheDir === undefined || cacheKey === undefined) return undefined;
    const id = renderedFindingsId(recordId, dropped);
    return {
      get: () => readRenderedFindings({ dir: cacheDir, key: cacheKey, id }),
      set: (bytes) => saveRenderedFindings({ dir: cacheDir, key: cacheKey, id, bytes }),
    };
  };
  /**
   * The admitted files by path (mapped when first asked for: a replayed scan whose settings admit
   * every finding reads no file), and a reader of them (a file that grew past the limit since the
   * walk is not read).
   */
  const readerOf = (files: readonly WalkedFile[]): { absoluteOf: () => Map<string, string>; read: (path: string) => string | undefined } => {
    let byPath: Map<string, string> | undefined;
    const absoluteOf = (): Map<string, string> => (byPath ??= new Map(files.map((f) => [f.path, f.absolute])));
    const read = (path: string): string | undefined => {
      const abs = absoluteOf().get(path);
      return abs === undefined ? undefined : readRegularFile(abs, maxFileSize);
    };
    return { absoluteOf, read };
  };
  /** What a replayed and a scanned result share once the scan is over. */
  const finished = (read: (path: string) => string | undefined) => ({ ruleIds, ms: elapsedMs(), missing: [], textOf: lastRead(read), problems: [], configSources });

  // Nothing changed since the last complete scan with these rules: its result, without reading a
  // file or running a rule.
  const last = params.cacheDir === undefined || cacheKey === undefined ? undefined : readLastScan({ dir: params.cacheDir, key: cacheKey });
  if (last !== undefined) {
    const { files, diagnostics } = admitted((f) => last.knows(f));
    const replayed = last.replay(inputsOf(files));
    if (replayed !== undefined) {
      const { absoluteOf, read } = readerOf(files);
      const dropped = droppedFindings(replayed.keys, absoluteOf);
      const rendered = renderedFindings(replayed.id, dropped);
      // A caller that prints the rendered findings needs nothing else of the result when they are
      // kept: the record's result file is then not even read. Otherwise it is read now, so that a
      // missing, damaged or mismatched one (a torn pair) falls back to a scan below.
      const kept = params.printsRenderedFindings === true ? rendered?.get() : undefined;
      const result = kept === undefined ? replayed.result() : undefined;
      if (kept !== undefined || result !== undefined) {
        const recorded = (): RecordedResult => {
          const found = result ?? replayed.result();
          // Only a caller that said it prints the kept findings, then asks for the result, gets
          // here, and only if the file changed under it since the record was read.
          if (found === undefined) throw new Error(`the scan cache in ${params.cacheDir ?? ''} changed during the scan: run it again`);
          return found;
        };
        let findings: Finding[] | undefined;
        return {
          get findings() {
            findings ??= without(recorded().findings, dropped);
            return findings;
          },
          findingCount: replayed.findingCount - dropped.length,
          diagnostics: [...diagnostics, ...replayed.diagnostics],
          stats: replayed.stats,
          get project() {
            return recorded().project;
          },
          get facts() {
            return recorded().facts;
          },
          ...finished(read),
          ...(rendered === undefined ? {} : { renderedFindings: kept === undefined ? rendered : { get: () => kept, set: (bytes) => rendered.set(bytes) } }),
        };
      }
    }
  }
  // The rules, the engine, the parser and the worker pool load only when something is scanned;
  // their code runs long enough to gain from V8's optimising compiler (see `v8-tiers.ts`).
  allowOptimisingCompiler();
  const cache = params.cacheDir === undefined || cacheKey === undefined ? undefined : openScanCache({ dir: params.cacheDir, key: cacheKey });
  // A cold scan of much code splits the sources over threads. A worker needs about a quarter of a
  // second to load ftbot and its grammars: it starts now, on what the walk and the cache's stats
  // tell of the sources to scan, and loads while this thread reads and probes the files.
  const { MIN_PARALLEL_BYTES, scanThreads, scanWithWorkers, startScanWorker } = await import('./scan-with-workers.js');
  const threads = params.threads ?? scanThreads();
  const minParallelBytes = params.minParallelBytes ?? MIN_PARALLEL_BYTES;
  /** Sources worth splitting over the threads: more than one, and enough bytes to repay a worker's start. */
  const worthSplitting = (sources: ReadonlyArray<{ size: number }>): boolean =>
    threads > 1 && sources.length > 1 && sources.reduce((sum, f) => sum + f.size, 0) >= minParallelBytes;
  // The sources the cache will not replay, and their languages: each path classified once.
  const likely: WalkedFile[] = [];
  const likelyLanguages = new Set<SourceLanguage>();
  for (const f of threads > 1 ? walked.files : []) {
    if (!f.regular || f.size > maxFileSize) continue;
    const kind = kindOf(f.path);
    if (kind?.type !== 'source' || cache?.knows(f) === true) continue;
    likely.push(f);
    likelyLanguages.add(kind.language);
  }
  let workers = worthSplitting(likely) ? Array.from({ length: threads - 1 }, () => startScanWorker(likelyLanguages)) : [];
  const [{ rules: allRules }, { scanFiles }, { readsFilesAgain }, { loadGrammars }] = await Promise.all([
    import('../core/rules/index.js'),
    import('../core/engine/scan-files.js'),
    import('../core/engine/run-project-rules.js'),
    import('./load-grammars.js'),
  ]);
  const rules = allRules.filter((r) => enabled.has(r.meta.id));
  const { files, diagnostics } = admitted((f) => cache?.knows(f) === true);

  const { absoluteOf, read } = readerOf(files);
  const { hits, preRead, fileCache, project: projectKeyOf } = probeCache(cache, files, read, kindOf);
  // Project rules with a per-file `check` read and parse every file of their targets, cached or not.
  const projectTargets = new Set<string>(rules.filter(readsFilesAgain).flatMap((r) => r.meta.targets));
  const languages = new Set<SourceLanguage>();
  const todo: WalkedFile[] = [];
  for (const f of files) {
    const kind = kindOf(f.path);
    if (kind?.type !== 'source') continue;
    if (!hits.has(f.path)) todo.push(f);
    if (!hits.has(f.path) || projectTargets.has(kind.language)) languages.add(kind.language);
  }
  const grammars = await loadGrammars(languages);
  const config = { maxFileSize, minSeverity: 'info' as const, minConfidence: 'low' as const };

  // The scan below replays the threads' results in file order, as it replays the cache, so the
  // findings are the same as on one thread. Workers started for sources the cache then had are
  // stopped unused; the estimate missed a scan worth splitting only when the cache's stats
  // promised sources it then could not replay.
  const split = worthSplitting(todo);
  if (!split) for (const worker of workers) worker.stop();
  else if (workers.length === 0) workers = Array.from({ length: threads - 1 }, () => startScanWorker(languages));
  const parts = split
    ? await scanWithWorkers({ files: files.map((f) => ({ path: f.path, absolute: f.absolute, size: f.size, ...marked(f.path) })), todo, workers, ruleIds, config, grammars, hashes: cache !== undefined })
    : undefined;
  if (parts !== undefined && cache !== undefined && projectKeyOf !== undefined) {
    const statOf = new Map(files.map((f) => [f.path, f]));
    for (const [path, entry] of parts.entries) {
      const stat = statOf.get(path);
      if (stat !== undefined) cache.store(stat, entry.hash, projectKeyOf, entry.result);
    }
  }
  const engineCache: FileCache | undefined =
    parts === undefined ? fileCache : { get: (path) => parts.entries.get(path)?.result ?? fileCache?.get(path), set: (path, text, result) => fileCache?.set(path, text, result) };

  // 4. Scan with the union of the selected rules; grammars only for the sources the cache lacks.
  const scanned = scanFiles({
    // Oversized files are not even read: the core checks the size from the walk first.
    files: files.map((f) => ({ path: f.path, size: f.size, text: preRead.get(f.path) ?? (() => read(f.path)), ...marked(f.path) })),
    grammars,
    rules,
    ...(engineCache === undefined ? {} : { cache: engineCache }),
    config,
    ...(params.logger === undefined ? {} : { logger: params.logger }),
    ...(params.onProgress === undefined ? {} : { onProgress: params.onProgress }),
  });
  const result = parts === undefined ? scanned : { ...scanned, stats: partStats(scanned.stats, parts) };

  // 5. Per-file settings.
  const dropped = droppedFindings(() => result.findings, absoluteOf);
  const findings = without(result.findings, dropped);
  const fileCacheProblem = cache?.save();
  const saved =
    fileCacheProblem !== undefined || params.cacheDir === undefined || cacheKey === undefined
      ? undefined
      : saveLastScan({ dir: params.cacheDir, key: cacheKey, inputs: inputsOf(files), sources: files.filter((f) => kindOf(f.path)?.type === 'source').length, result, startedAt });
  const cacheProblem = fileCacheProblem ?? saved?.problem;
  const rendered = saved?.id === undefined ? undefined : renderedFindings(saved.id, dropped);
  return {
    ...result,
    findings,
    findingCount: findings.length,
    diagnostics: [...diagnostics, ...result.diagnostics],
    ...finished(read),
    ...(rendered === undefined ? {} : { renderedFindings: rendered }),
    ...(cacheProblem === undefined ? {} : { cacheProblem }),
    ...(cache?.damaged === undefined ? {} : { cacheWarning: cache.damaged }),
    ...(parts === undefined ? {} : { threads: parts.threads }),
  };
}

/**
 * Looks every source up in the scan cache before the scan. The key of the project facts needs the
 * build files and Cython modules read first; they are handed to the scan already read.
 */
function probeCache(
  cache: ScanCacheStore | undefined,
  files: readonly WalkedFile[],
  read: (path: string) => string | undefined,
  kindOf: (path: string) => FileKind | undefined,
): { hits: Map<string, CachedFile>; preRead: Map<string, string>; fileCache: FileCache | undefined; project: string | undefined } {
  const hits = new Map<string, CachedFile>();
  const preRead = new Map<string, string>();
  if (cache === undefined) return { hits, preRead, fileCache: undefined, project: undefined };
  const kinds = files.map((f) => ({ f, kind: kindOf(f.path) }));
  const factFiles = kinds.filter(({ kind }) => kind?.type === 'build' || (kind?.type === 'source' && kind.language === 'cython'));
  const factTexts = factFiles.map(({ f }) => ({ path: f.path, text: read(f.path) }));
  for (const { path, text } of factTexts) if (text !== undefined) preRead.set(path, text);
  const sources = kinds.filter(({ kind }) => kind?.type === 'source').map(({ f }) => f);
  const project = projectKey(factTexts, sources.length > 0);
  for (const f of sources) {
    const hit = cache.probe(f, project, () => preRead.get(f.path) ?? read(f.path));
    if (hit !== undefined) hits.set(f.path, hit);
  }
  return { hits, preRead, fileCache: cache.port(hits, new Map(sources.map((f) => [f.path, f])), project), project };
}

/** The stats of a scan that replayed the parts' results: those files were scanned, not cached. */
function partStats(stats: ScanStats, parts: { entries: ReadonlyMap<string, unknown>; parsedFiles: number; parsedBytes: number }): ScanStats {
  const cachedFiles = (stats.cachedFiles ?? 0) - parts.entries.size;
  const { cachedFiles: _replayed, ...rest } = stats;
  return { ...rest, parsedFiles: stats.parsedFiles + parts.parsedFiles, parsedBytes: stats.parsedBytes + parts.parsedBytes, ...(cachedFiles > 0 ? { cachedFiles } : {}) };
}

/** `read`, remembering the last file: renderers ask for the same file once per finding, in path order. */
function lastRead(read: (path: string) => string | undefined): (path: string) => string | undefined {
  let last: { path: string; text: string | undefined } | undefined;
  return (path) => {
    if (last?.path !== path) last = { path, text: read(path) };
    return last.text;
  };
}

function toSettings(dir: string, config: ResolvedConfig): Settings {
  return {
    dir,
    config,
    enabled: new Set(selectRules(ruleTable, config).map((r) => r.meta.id)),
    exclude: ignore().add(config.exclude),
    perFile: config.perFileIgnores.map((p) => ({ matcher: ignore().add(p.pattern), ruleIds: p.ruleIds })),
  };
}

function admits(settings: Settings, f: FindingKey, absolute: string | undefined): boolean {
  const { config, enabled, perFile, dir } = settings;
  if (!enabled.has(f.ruleId)) return false;
  if (severityRank[f.severity] < severityRank[config.minSeverity] || confidenceRank[f.confidence] < confidenceRank[config.minConfidence]) return false;
  if (perFile.length === 0 || absolute === undefined) return true;
  const rel = toPosix(relative(dir, absolute));
  if (rel.startsWith('..')) return true;
  return !perFile.some((p) => p.matcher.ignores(rel) && p.ruleIds.some((id) => id === 'ALL' || f.ruleId.startsWith(id)));
}

/** Checks each path segment below the scan root against the settings that govern its parent. */
function isExcluded(f: WalkedFile, roots: string[], settingsOfDir: (dir: string) => Settings): boolean {
  const root = roots.find((r) => f.absolute === r || f.absolute.startsWith(r + sep));
  if (root === undefined || root === f.absolute) return false;
  const parts = relative(root, f.absolute).split(sep);
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    const next = `${current}${sep}${parts[i] ?? ''}`;
    const settings = settingsOfDir(current);
    if (settings.config.exclude.length > 0) {
      const rel = toPosix(relative(settings.dir, next));
      const isDir = i < parts.length - 1;
      if (rel !== '' && !rel.startsWith('..') && settings.exclude.ignores(isDir ? `${rel}/` : rel)) return true;
    }
    current = next;
  }
  return false;
}

/** Largest build file or `.py` module read to find Cython's pure-Python-mode modules. */
const maxPythonProbe = 2 * 1024 * 1024;

/**
 * The `.py` files among `files` that Cython compiles: named by a setup.py, a build script the
 * `pyproject.toml` names (`PyprojectFacts.buildScripts`), meson.build, CMake, Makefile or tox
 * command, or beside a same-named `.pxd` and importing `cython` (`findCythonPythonModules`). Reads
 * those build files, and only the `.py` files with a `.pxd`. The build-file readers load only for a
 * tree with `.py` files.
 */
async function cythonPythonFiles(files: readonly WalkedFile[]): Promise<Set<string>> {
  const python = files.filter((f) => f.path.endsWith('.py') && classifyPath(f.path) === undefined);
  if (python.length === 0) return new Set();
  const { findCythonPythonModules } = await import('../core/build-files/cython-python-modules.js');
  const byPath = new Map(files.map((f) => [f.path, f]));
  const text = (f: WalkedFile | undefined): string | undefined => {
    if (f === undefined || !f.regular || f.size > maxPythonProbe) return undefined;
    return readRegularFile(f.absolute, maxPythonProbe);
  };
  const builds: BuildText[] = [];
  const scripts = new Set<string>();
  for (const f of files) {
    const kind = classifyPath(f.path);
    if (kind?.type !== 'build' || !['setup-py', 'meson', 'cmake', 'makefile', 'tox', 'pyproject'].includes(kind.kind)) continue;
    const t = text(f);
    if (t === undefined) continue;
    if (kind.kind !== 'pyproject') {
      builds.push({ path: f.path, kind: kind.kind, text: t });
      continue;
    }
    // A build script the pyproject names (Poetry's `build_ext.py`) is read like a setup.py, from
    // the project's folder, where the back-end runs it.
    if (!/\b(?:poetry|pdm|hatch)\b/.test(t)) continue;
    const folder = f.path.slice(0, f.path.length - 'pyproject.toml'.length);
    for (const script of readPyproject(t).buildScripts) {
      const path = `${folder}${script}`;
      const scriptText = scripts.has(path) ? undefined : text(byPath.get(path));
      scripts.add(path);
      // The script is not scanned as a build file, so a directive it sets would go unseen: its
      // modules are then left unscanned rather than reported as undeclared.
      if (scriptText !== undefined && !/freethreading_compatible/.test(scriptText)) builds.push({ path, kind: 'setup-py', text: scriptText, folder });
    }
  }
  return findCythonPythonModules({
    builds,
    pythonPaths: python.map((f) => f.path).filter((p) => !scripts.has(p)),
    pxdPaths: files.filter((f) => f.path.endsWith('.pxd')).map((f) => f.path),
    textOf: (path) => text(byPath.get(path)),
  });
}

/**
 * The Python modules a `pyproject.toml` names as part of its build (`pyprojectBuildModules`: an
 * in-tree back-end, setuptools command classes) that exist, each with the pyproject's folder, where
 * the build runs: they are read as setup.py files whose sources are relative to that folder.
 */
function pyprojectBuildModuleFiles(files: readonly WalkedFile[]): Map<string, string> {
  const out = new Map<string, string>();
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const f of files) {
    if (!f.path.endsWith('pyproject.toml') || classifyPath(f.path)?.type !== 'build' || !f.regular || f.size > maxPythonProbe) continue;
    const text = readRegularFile(f.absolute, maxPythonProbe);
    if (text === undefined) continue;
    const folder = f.path.slice(0, f.path.length - 'pyproject.toml'.length);
    for (const module of pyprojectBuildModules(text)) {
      const path = `${folder}${module}`;
      const file = byPath.get(path);
      // A module whose name already makes it a build file (`setup_helpers.py`) is read as it is.
      if (file !== undefined && file.regular && classifyPath(path) === undefined) out.set(path, folder);
    }
  }
  return out;
}

const cExtensions = new Set(['c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx']);

/** Whether `path` names a C or C++ file (by its extension, case-sensitive), the files generated code is looked for in. */
function isCSource(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && cExtensions.has(path.slice(dot + 1));
}

/** The buffer `readHead` reads into, kept from file to file. */
const head = Buffer.allocUnsafe(2048);

/**
 * The first 2 KB of a regular file (the walk marks FIFOs and devices, which are never opened),
 * one byte to one character: `generatorOf` looks only for ASCII text, which UTF-8 encodes as the
 * same bytes and never inside another character's bytes, so it finds what it would find in the
 * UTF-8 text, without decoding it.
 */
function readHead(absolute: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    return head.toString('latin1', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
