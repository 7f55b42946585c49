import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ConfigProblem, ResolvedConfig } from '../core/config/defaults.js';
import type { Diagnostic, Finding } from '../core/diagnostics.js';
import type { Rule } from '../core/engine/define-rule.js';
import { emptyProjectFacts } from '../core/engine/project-facts.js';
import { scanFiles, type ScanResult } from '../core/engine/scan-files.js';
import { emptyScanFacts } from '../core/engine/scan-facts.js';
import { selectRules } from '../core/engine/select-rules.js';
import { classifyPath, type SourceLanguage } from '../core/languages.js';
import type { Logger } from '../core/ports.js';
import { rules as allRules } from '../core/rules/index.js';
import { generatorOf } from './detect-generated.js';
import { createConfigDiscovery, resolveLayer, type ConfigLayer } from './load-project-config.js';
import { loadGrammars } from './load-grammars.js';
import { walkFiles, type WalkedFile } from './walk-files.js';

export type DirectoryScan = ScanResult & {
  /** Every rule that ran for at least one file (the union over the configurations found). */
  rules: Rule[];
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
};

/** A configuration found by discovery, validated, with the command-line options applied. */
type Settings = { dir: string; config: ResolvedConfig; enabled: Set<string>; exclude: Ignore; perFile: Array<{ matcher: Ignore; ruleIds: string[] }> };

const severityRank = { info: 0, warning: 1, error: 2 } as const;
const confidenceRank = { low: 0, medium: 1, high: 2 } as const;

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
}): Promise<DirectoryScan> {
  const started = performance.now();
  const { cwd, paths } = params;
  const override = params.override ?? ((c: ResolvedConfig) => c);
  const empty = (missing: string[], problems: ConfigProblem[], configSources: string[] = []): DirectoryScan => ({
    findings: [],
    diagnostics: [],
    stats: { files: 0, bytes: 0, parsedFiles: 0, parsedBytes: 0 },
    project: emptyProjectFacts(),
    facts: emptyScanFacts(),
    rules: [],
    ms: performance.now() - started,
    missing,
    textOf: () => undefined,
    problems,
    configSources,
  });

  // 1. Walk.
  const walked = walkFiles({ cwd, roots: paths, exclude: [] });
  if (walked.missing.length > 0) return empty(walked.missing, []);

  // 2. Configurations: one per project root met, plus the working directory's for the rule list.
  const discovery = createConfigDiscovery({ cwd, ...(params.configPath === undefined ? {} : { configPath: params.configPath }) });
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
  for (const f of walked.files) for (let d = dirname(f.absolute); !dirs.has(d); d = dirname(d)) {
    dirs.add(d);
    if (dirname(d) === d) break;
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

  // 3. Exclusions and generated code.
  const diagnostics: Diagnostic[] = [];
  const roots = paths.map((p) => resolve(cwd, p));
  const files = walked.files.filter((f) => {
    if (isExcluded(f, roots, settingsOfDir)) return false;
    const generator = isCSource(f.path) && f.regular ? generatorOf(f.path, readHead(f.absolute)) : undefined;
    if (generator === undefined) return true;
    diagnostics.push({ kind: 'generated', path: f.path, message: `skipped: generated by ${generator}; scan the source it was generated from` });
    return false;
  });

  // 4. Scan with the union of the selected rules.
  const all = [...settingsByLayer.values()];
  const enabled = new Set(all.flatMap((s) => [...s.enabled]));
  const rules = allRules.filter((r) => enabled.has(r.meta.id));
  const languages = new Set<SourceLanguage>();
  for (const f of files) {
    const kind = classifyPath(f.path);
    if (kind?.type === 'source') languages.add(kind.language);
  }
  const grammars = await loadGrammars(languages);
  const absoluteOf = new Map(files.map((f) => [f.path, f.absolute]));
  const maxFileSize = Math.max(...[...settingsByLayer.values()].map((s) => s.config.maxFileSize));
  const read = (path: string): string | undefined => {
    const abs = absoluteOf.get(path);
    if (abs === undefined) return undefined;
    try {
      // Only regular files (a symlink is followed first): a FIFO would block the read and a device
      // such as `/dev/zero` never ends. A file that grew past the limit since the walk is not read.
      const stat = statSync(abs);
      if (!stat.isFile() || stat.size > maxFileSize) return undefined;
      return readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  };
  const result = scanFiles({
    // Oversized files are not even read: the core checks the size from the walk first.
    files: files.map((f) => ({ path: f.path, size: f.size, text: () => read(f.path) })),
    grammars,
    rules,
    config: { maxFileSize: Math.max(...all.map((s) => s.config.maxFileSize)), minSeverity: 'info', minConfidence: 'low' },
    ...(params.logger === undefined ? {} : { logger: params.logger }),
    ...(params.onProgress === undefined ? {} : { onProgress: params.onProgress }),
  });

  // 5. Per-file settings.
  const findings = result.findings.filter((f) => admits(settingsOfDir(dirname(absoluteOf.get(f.path) ?? resolve(cwd, f.path))), f, absoluteOf.get(f.path)));
  return {
    ...result,
    findings,
    diagnostics: [...diagnostics, ...result.diagnostics],
    rules,
    ms: performance.now() - started,
    missing: [],
    textOf: read,
    problems: [],
    configSources,
  };
}

function toSettings(dir: string, config: ResolvedConfig): Settings {
  return {
    dir,
    config,
    enabled: new Set(selectRules(allRules, config).map((r) => r.meta.id)),
    exclude: ignore().add(config.exclude),
    perFile: config.perFileIgnores.map((p) => ({ matcher: ignore().add(p.pattern), ruleIds: p.ruleIds })),
  };
}

function admits(settings: Settings, f: Finding, absolute: string | undefined): boolean {
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

const cExtensions = ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx'];

function isCSource(path: string): boolean {
  return cExtensions.some((e) => path.endsWith(e));
}

/** The first 2 KB of a regular file (the walk marks FIFOs and devices, which are never opened). */
function readHead(absolute: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const buffer = Buffer.alloc(2048);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
