import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseToml, type TomlProblem } from '../core/build-files/parse-toml.js';
import { readPyproject } from '../core/build-files/pyproject.js';
import { defaultConfig, type ConfigProblem, type ResolvedConfig } from '../core/config/defaults.js';
import { locateTomlKey } from '../core/config/locate-key.js';
import { yamlTooDeep } from '../core/parsing/yaml-depth.js';

/** One file that holds settings, read and parsed but not yet validated. */
export type RawConfigSource = {
  /** The file as shown to the user (relative to the working directory when inside it). */
  source: string;
  value: unknown;
  /** Maps a key path to its line and column in the file. */
  locate: (path: readonly string[]) => { line: number; column: number };
  /** Unreadable file or a syntax error, with the position when the parser gives one. */
  problem?: ConfigProblem;
  /** The text of a YAML file, parsed in `resolveLayer` so the YAML parser loads only when needed. */
  yaml?: string;
};

/** The settings that apply to the files under `dir`, found by discovery or named by `--config`. */
export type ConfigLayer = { dir: string; sources: RawConfigSource[] };

/**
 * Finds the configuration for each directory the way ruff does: walking up from the directory,
 * the first one holding `.ftbot.toml`, a `pyproject.toml` with a `[tool.ftbot]` table, or
 * `.github/ftbot.yml` is the project root, and its files apply; nothing is merged from further
 * up. In that root, `.ftbot.toml` replaces `pyproject.toml` (as `.ruff.toml` does), and
 * `.github/ftbot.yml` is read after it and wins, the precedence the GitHub App uses. An explicit
 * `--config` file applies everywhere instead. Results are cached per directory.
 */
export function createConfigDiscovery(params: {
  cwd: string;
  configPath?: string;
  /** The names in directories already listed (by the walk): a file not among them is not looked for. */
  listed?: (absDir: string) => ReadonlySet<string> | undefined;
}): { layerFor: (absDir: string) => ConfigLayer | undefined } {
  const { cwd } = params;
  const display = (abs: string): string => {
    const rel = relative(cwd, abs);
    return rel.startsWith('..') || rel === '' ? abs : rel.split(sep).join('/');
  };
  if (params.configPath !== undefined) {
    const abs = resolve(cwd, params.configPath);
    const layer: ConfigLayer = { dir: cwd, sources: [readTomlSource(abs, params.configPath, true)] };
    return { layerFor: () => layer };
  }
  const cache = new Map<string, ConfigLayer | undefined>();
  const layerFor = (absDir: string): ConfigLayer | undefined => {
    if (cache.has(absDir)) return cache.get(absDir);
    const own = layerAt(absDir, display, params.listed?.(absDir));
    const parent = dirname(absDir);
    const layer = own ?? (parent === absDir ? undefined : layerFor(parent));
    cache.set(absDir, layer);
    return layer;
  };
  return { layerFor };
}

function layerAt(dir: string, display: (abs: string) => string, names: ReadonlySet<string> | undefined): ConfigLayer | undefined {
  // A name missing from the directory's listing does not exist; one present is still checked (a
  // dangling link is listed). Paths are joined only for names listed: most directories hold none.
  const existing = (name: string, ...rest: string[]): string | undefined => {
    if (names !== undefined && !names.has(name)) return undefined;
    const abs = join(dir, name, ...rest);
    return existsSync(abs) ? abs : undefined;
  };
  const sources: RawConfigSource[] = [];
  const dotToml = existing('.ftbot.toml');
  const pyproject = dotToml === undefined ? existing('pyproject.toml') : undefined;
  if (dotToml !== undefined) sources.push(readTomlSource(dotToml, display(dotToml), true));
  else if (pyproject !== undefined) {
    const source = readTomlSource(pyproject, display(pyproject), false);
    // A pyproject.toml without [tool.ftbot] is not ftbot's configuration (ruff skips it too),
    // unless it cannot be parsed: then it is reported, since it may hold the settings.
    if (source.value !== undefined || source.problem !== undefined) sources.push(source);
  }
  const yml = existing('.github', 'ftbot.yml');
  if (yml !== undefined) sources.push(readYamlSource(yml, display(yml)));
  return sources.length === 0 ? undefined : { dir, sources };
}

function readTomlSource(abs: string, source: string, standalone: boolean): RawConfigSource {
  const pyproject = abs.endsWith('pyproject.toml');
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return { source, value: undefined, locate: () => ({ line: 1, column: 1 }), problem: { source, path: '(file)', message: 'cannot read the configuration file' } };
  }
  const invalid = (error: TomlProblem): RawConfigSource => {
    const problem: ConfigProblem = { source, path: '(file)', ...error };
    return { source, value: undefined, locate: () => ({ line: 1, column: 1 }), problem };
  };
  const locate = (section: string | undefined) => (path: readonly string[]) => locateTomlKey(text, section, path);
  // A pyproject.toml goes through its one typed reader; its settings are `[tool.ftbot]`.
  if (pyproject) {
    const facts = readPyproject(text);
    return facts.error === undefined ? { source, value: facts.ftbot, locate: locate('tool.ftbot') } : invalid(facts.error);
  }
  const parsed = parseToml(text);
  if (!parsed.ok) return invalid(parsed.problem);
  const tool = (parsed.doc.tool as Record<string, unknown> | undefined)?.ftbot;
  // `--config x.toml` may hold `[tool.ftbot]` or hold the settings at its top level.
  const inTool = tool !== undefined || !standalone;
  return inTool ? { source, value: tool, locate: locate('tool.ftbot') } : { source, value: parsed.doc, locate: locate(undefined) };
}

function readYamlSource(abs: string, source: string): RawConfigSource {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return { source, value: undefined, locate: () => ({ line: 1, column: 1 }), problem: { source, path: '(file)', message: 'cannot read the configuration file' } };
  }
  return { source, value: undefined, locate: () => ({ line: 1, column: 1 }), yaml: text };
}

/**
 * Validates a layer's sources (YAML is parsed here, with the `yaml` package loaded only when a
 * YAML file exists) and merges them over the defaults. Problems carry the file, key path, line
 * and column.
 */
export async function resolveLayer(layer: ConfigLayer | undefined): Promise<{ config: ResolvedConfig; problems: ConfigProblem[] }> {
  if (layer === undefined) return { config: structuredClone(defaultConfig), problems: [] };
  const problems: ConfigProblem[] = [];
  const sources: RawConfigSource[] = [];
  for (const s of layer.sources) {
    if (s.yaml !== undefined) {
      const parsed = await parseYamlSource(s.source, s.yaml);
      if (parsed.problem !== undefined) problems.push(parsed.problem);
      else sources.push(parsed);
    } else if (s.problem !== undefined) problems.push(s.problem);
    else sources.push(s);
  }
  if (problems.length > 0) return { config: structuredClone(defaultConfig), problems };
  if (sources.every((s) => s.value === undefined)) return { config: structuredClone(defaultConfig), problems };
  const { resolveConfig } = await import('../core/config/schema.js');
  const resolved = resolveConfig(sources.map(({ source, value }) => ({ source, value })));
  const bySource = new Map(sources.map((s) => [s.source, s]));
  for (const p of resolved.problems) {
    const located = bySource.get(p.source)?.locate(p.path.split('.'));
    problems.push(located === undefined ? p : { ...p, ...located });
  }
  return { config: resolved.config, problems };
}

async function parseYamlSource(source: string, text: string): Promise<RawConfigSource> {
  const tooDeep = yamlTooDeep(text);
  if (tooDeep !== undefined) return { source, value: undefined, locate: () => ({ line: 1, column: 1 }), problem: { source, path: '(file)', message: tooDeep } };
  const { LineCounter, isMap, isScalar, isSeq, parseDocument } = await import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    const pos = error.linePos?.[0];
    const problem: ConfigProblem = { source, path: '(file)', message: error.message.split('\n')[0] ?? 'invalid YAML' };
    if (pos !== undefined) Object.assign(problem, { line: pos.line, column: pos.col });
    return { source, value: undefined, locate: () => ({ line: 1, column: 1 }), problem };
  }
  const raw = doc.toJS() as unknown;
  // Probot's `_extends` points at another repository's file; the CLI cannot follow it.
  const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '_extends')) : raw ?? undefined;
  // The key of a mapping entry (not its value) is where a misspelt or invalid key is written.
  const locate = (path: readonly string[]): { line: number; column: number } => {
    let node: unknown = doc.contents;
    let range: [number, number, number] | undefined;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === part);
        if (pair === undefined) break;
        range = (pair.key as { range?: [number, number, number] }).range ?? range;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(part)] as { range?: [number, number, number] } | undefined;
        if (item === undefined) break;
        range = item.range ?? range;
        node = item;
      } else break;
    }
    if (range === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(range[0]);
    return { line, column: col };
  };
  return { source, value, locate };
}

/**
 * The configuration for one directory (discovery walks up from `cwd`), or the file named by
 * `--config`. Kept for commands that read one configuration for a whole tree.
 */
export async function loadProjectConfig(params: { cwd: string; configPath?: string }): Promise<{
  config: ResolvedConfig;
  problems: ConfigProblem[];
  source: string | undefined;
}> {
  const layer = createConfigDiscovery(params).layerFor(resolve(params.cwd));
  const { config, problems } = await resolveLayer(layer);
  return { config, problems, source: layer?.sources.map((s) => s.source).join(', ') };
}

/** `path:line:column: message` for one problem, as compilers print it. */
export function formatConfigProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.source : `${p.source}:${p.line}:${p.column ?? 1}`;
  return `${where}: ${p.path === '(file)' || p.path === '(root)' ? '' : `${p.path}: `}${p.message}`;
}
