import { readPyproject, type PyprojectFacts } from '../build-files/pyproject.js';
import type { SourceFile } from '../ports.js';
import { evaluateMarker } from './evaluate-marker.js';
import { normalizeProjectName, parseRequirement, type Requirement } from './parse-requirement.js';
import { targetEnvironments, type TargetEnvironment } from './target-environments.js';
import { quote } from './quote.js';

/** A requirement a project declares, with where it came from and where it applies. */
export type DeclaredDependency = {
  requirement: Requirement;
  /** The requirement as written, on one line. */
  text: string;
  path: string;
  /** The optional group (extra, or the suffix of `requirements-dev.txt`); null for runtime. */
  group: string | null;
  /** The free-threaded targets on which the marker is true or cannot be decided; all without a marker. */
  targets: TargetEnvironment[];
  /** True when the marker depends on something a target does not fix (e.g. `platform_release`). */
  markerUndecided: boolean;
};

/** A requirement, or a whole file, that is not checked, and why. */
export type SkippedRequirement = {
  /** The requirement as written, or the file's path for file-level trouble. */
  requirement: string;
  reason: string;
  path: string;
};

/**
 * A dependency file: its path and text, and for a `pyproject.toml` the facts already read from it
 * (`readPyproject`), so the file is parsed once however many steps look at it.
 */
export type DependencyFile = SourceFile & { pyproject?: PyprojectFacts | undefined };

/**
 * A dependency file ready for `listReferencedFiles` and `readDependencies`: a `pyproject.toml`
 * is read into its facts here, once.
 */
export function dependencyFile(path: string, text: string, pyproject?: PyprojectFacts): DependencyFile {
  return path.endsWith('pyproject.toml') ? { path, text, pyproject: pyproject ?? readPyproject(text) } : { path, text };
}

/** The facts of a `pyproject.toml` file, read now unless the file carries them. */
function pyprojectOf(file: DependencyFile): PyprojectFacts {
  return file.pyproject ?? readPyproject(file.text);
}

export type DependencyList = {
  dependencies: DeclaredDependency[];
  skipped: SkippedRequirement[];
  /** Files that could not be read at all (invalid TOML, wrong types): an error for the CLI. */
  errors: { path: string; message: string }[];
};

/** File names read as requirements files: `requirements.txt`, `requirements-dev.txt`, `requirements/test.txt`, … */
const REQUIREMENTS_FILE = /(^|\/)(requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/;
/** Requirements files whose suffix still means "what the project needs at run time". */
const RUNTIME_SUFFIXES = new Set(['', 'base', 'main', 'prod', 'production', 'runtime', 'install', 'requirements']);
/** pip options that take a value and say nothing about dependencies. */
const INDEX_OPTIONS = /^(-i|--index-url|--extra-index-url|-f|--find-links|--no-binary|--only-binary|--trusted-host|--use-feature|--pre|--prefer-binary|--no-index|--require-hashes)\b/;
/** Per-requirement pip options; everything from the first one on is dropped. */
const REQUIREMENT_OPTIONS = /[ \t]+(--hash|--global-option|--install-option|--config-settings|-C)\b.*$/;

/**
 * Whether a file is one `readDependencies` reads as an entry point: `pyproject.toml`, `setup.cfg` or
 * a requirements file at the top of the project (or in a `requirements/` folder).
 */
export function isDependencyFile(path: string): boolean {
  return path === 'pyproject.toml' || path === 'setup.cfg' || /^(requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/.test(path);
}

/** The group a requirements file stands for: null (runtime) for `requirements.txt`, `dev` for `requirements-dev.txt`. */
function requirementsGroup(path: string): string | null {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.txt$/, '');
  const inFolder = path.includes('requirements/');
  const suffix = inFolder ? base : base.replace(/^requirements[-_.]?/, '');
  return RUNTIME_SUFFIXES.has(suffix.toLowerCase()) ? null : suffix.toLowerCase();
}

/** Resolves `rel` against the folder of `from`, with `/` separators; undefined if it leaves the project. */
function resolvePath(from: string, rel: string): string | undefined {
  if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) || rel.includes('://')) return undefined;
  const parts = from.split('/').slice(0, -1);
  for (const part of rel.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Joins `\`-continued lines and drops comments, the way pip reads a requirements file. */
function logicalLines(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, '');
  return joined
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|[ \t])#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** `-r x.txt`, `-rx.txt`, `--requirement x.txt`, `--requirement=x.txt` → `x.txt`. */
function optionValue(line: string, short: string, long: string): string | undefined {
  const m = new RegExp(`^(?:${short}[ \\t=]?|${long}(?:[ \\t]+|=))(.+)$`).exec(line);
  return m?.[1]?.trim();
}

/**
 * Lists the files a dependency file points at and that the caller should pass along too:
 * `-r`/`-c` targets of requirements files, and `[tool.setuptools.dynamic]` `file` entries of
 * `pyproject.toml`. Paths are resolved from the project root; ones outside it are left out.
 *
 * @example
 *   listReferencedFiles({ path: 'requirements/dev.txt', text: '-r base.txt\npytest\n' }) // ['requirements/base.txt']
 */
export function listReferencedFiles(file: DependencyFile): string[] {
  const out: string[] = [];
  if (file.path.endsWith('.txt')) {
    for (const line of logicalLines(file.text)) {
      const target = optionValue(line, '-r', '--requirement');
      const resolved = target === undefined ? undefined : resolvePath(file.path, target);
      if (resolved !== undefined) out.push(resolved);
    }
  } else if (file.path.endsWith('pyproject.toml')) {
    const dynamic = setuptoolsDynamic(pyprojectOf(file));
    for (const paths of Object.values(dynamic)) out.push(...paths);
  }
  return [...new Set(out)];
}

/** `[tool.setuptools.dynamic]` `dependencies` / `optional-dependencies.<g>` file lists, by group ('' = runtime), resolved. */
function setuptoolsDynamic(pyproject: PyprojectFacts): Record<string, string[]> {
  const dynamic = pyproject.setuptoolsDynamic;
  if (dynamic === undefined) return {};
  const resolved = (files: readonly string[]): string[] => files.flatMap((f) => resolvePath('pyproject.toml', f) ?? []);
  const out: Record<string, string[]> = {};
  const runtime = resolved(dynamic.dependencies);
  if (runtime.length > 0) out[''] = runtime;
  for (const { group, files } of dynamic.optional) {
    const paths = resolved(files);
    if (paths.length > 0) out[group] = paths;
  }
  return out;
}

/** Collects requirements into a list, deciding applicability as each one comes in. */
class Collector {
  readonly list: DependencyList = { dependencies: [], skipped: [], errors: [] };
  private readonly targets = targetEnvironments();
  private readonly projectKey: string | undefined;

  constructor(projectKey: string | undefined) {
    this.projectKey = projectKey;
  }

  private readonly seenSkips = new Set<string>();

  /** Records a skipped line once, even when its file is read again through an include. */
  skip(requirement: string, reason: string, path: string): void {
    const key = `${path}\n${requirement}\n${reason}`;
    if (this.seenSkips.has(key)) return;
    this.seenSkips.add(key);
    this.list.skipped.push({ requirement, reason, path });
  }

  /** Adds one PEP 508 string read from `path` in `group`. */
  add(text: string, path: string, group: string | null): void {
    const oneLine = text.replace(/\s+/g, ' ').trim();
    if (oneLine === '') return;
    if (looksLikePath(oneLine)) {
      this.skip(oneLine, 'local path, not a package on an index', path);
      return;
    }
    const parsed = parseRequirement(oneLine);
    if (!parsed.ok) {
      this.skip(oneLine, `does not parse: ${parsed.error}`, path);
      return;
    }
    const requirement = parsed.requirement;
    if (requirement.url !== undefined) {
      const local = requirement.url.startsWith('file:') || !requirement.url.includes('://');
      this.skip(oneLine, local ? 'local path, not a package on an index' : 'direct URL reference, not a release on an index', path);
      return;
    }
    if (this.projectKey !== undefined && requirement.key === this.projectKey) {
      this.skip(oneLine, 'refers to the project itself', path);
      return;
    }
    // Markers are judged on every free-threaded target; the group's name is the value of `extra`.
    let targets = this.targets;
    let undecided = false;
    if (requirement.markerTree !== null) {
      const tree = requirement.markerTree;
      const extra = group ?? '';
      targets = this.targets.filter((t) => {
        const result = evaluateMarker(tree, { ...t.env, extra });
        if (result === 'unknown') undecided = true;
        return result !== false;
      });
      if (targets.length === 0) {
        this.skip(oneLine, 'not applicable: the marker is false on every free-threaded CPython', path);
        return;
      }
    }
    this.list.dependencies.push({ requirement, text: oneLine, path, group, targets, markerUndecided: undecided });
  }
}

/** Bare paths and archive names in requirements files (`./pkg`, `../x.whl`, `C:\src\pkg`). */
function looksLikePath(text: string): boolean {
  return /^(\.{1,2}([\\/]|$)|[\\/~]|[A-Za-z]:[\\/])/.test(text) || /\.(whl|zip|tar\.gz|tar\.bz2|tgz)$/i.test(text.split(/[ \t;]/)[0] ?? '');
}

function readRequirementsFile(params: {
  path: string;
  group: string | null;
  files: ReadonlyMap<string, string>;
  collector: Collector;
  stack: string[];
}): void {
  const { path, group, files, collector, stack } = params;
  const text = files.get(path);
  if (text === undefined) return;
  for (const line of logicalLines(text)) {
    const include = optionValue(line, '-r', '--requirement');
    if (include !== undefined) {
      const target = resolvePath(path, include);
      if (target === undefined) collector.skip(line, 'include outside the project', path);
      else if (stack.includes(target)) collector.skip(line, 'include cycle', path);
      else if (!files.has(target)) collector.skip(line, `included file ${quote(target)} was not given`, path);
      else readRequirementsFile({ path: target, group, files, collector, stack: [...stack, target] });
      continue;
    }
    if (optionValue(line, '-c', '--constraint') !== undefined) {
      collector.skip(line, 'constraints file: constraints are not dependencies', path);
      continue;
    }
    if (optionValue(line, '-e', '--editable') !== undefined) {
      collector.skip(line, 'editable requirement, installed from source', path);
      continue;
    }
    if (INDEX_OPTIONS.test(line)) continue;
    if (line.startsWith('-')) {
      collector.skip(line, 'pip option not understood', path);
      continue;
    }
    const requirement = line.replace(REQUIREMENT_OPTIONS, '');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(requirement) || /^(git|hg|svn|bzr)\+/i.test(requirement)) {
      collector.skip(requirement, 'URL requirement, not a release on an index', path);
      continue;
    }
    collector.add(requirement, path, group);
  }
}

/** A minimal INI reader, enough for setup.cfg: sections, `key = value`, indented continuation lines. */
function readIni(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  let values: string[] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const stripped = raw.trim();
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(stripped);
    if (header !== null && !/^[ \t]/.test(raw)) {
      section = new Map();
      sections.set((header[1] ?? '').trim(), section);
      values = undefined;
      continue;
    }
    if (/^[ \t]/.test(raw) && values !== undefined) {
      values.push(stripped);
      continue;
    }
    // `key = value` or `key: value`, split at the first `=` or `:` (a lazy key followed by `[ \t]*`
    // would split a long run of blanks every way).
    const at = stripped.search(/[=:]/);
    const entry = at > 0 ? [stripped, stripped.slice(0, at), stripped.slice(at + 1)] : null;
    if (entry === null || section === undefined) continue;
    values = [];
    const first = (entry[2] ?? '').trim();
    if (first !== '') values.push(first);
    section.set((entry[1] ?? '').trim().toLowerCase().replace(/-/g, '_'), values);
  }
  return sections;
}

/** Drops ` # comment` tails from a setup.cfg value line. */
function withoutComment(line: string): string {
  return line.replace(/(^|[ \t])#.*$/, '').trim();
}

function readSetupCfg(path: string, text: string, collector: Collector): void {
  const ini = readIni(text);
  const addAll = (lines: readonly string[], group: string | null): void => {
    for (const line of lines.map(withoutComment).filter((l) => l !== '')) {
      if (line.startsWith('file:')) collector.skip(line, 'read from a file by setuptools; pass that file as a requirements file', path);
      else collector.add(line, path, group);
    }
  };
  addAll(ini.get('options')?.get('install_requires') ?? [], null);
  for (const [group, lines] of ini.get('options.extras_require') ?? []) addAll(lines, group);
}

function readPyprojectDependencies(path: string, pyproject: PyprojectFacts, files: ReadonlyMap<string, string>, collector: Collector): void {
  if (pyproject.error !== undefined) {
    const message = `not valid TOML: ${pyproject.error.message}`;
    collector.list.errors.push({ path, message });
    collector.skip(path, message, path);
    return;
  }
  const bad = (key: string): void => {
    const message = `${quote(key)} must be a list of strings`;
    collector.list.errors.push({ path, message });
    collector.skip(path, message, path);
  };
  const { dependencies } = pyproject;
  if (dependencies !== undefined) {
    if (!dependencies.ok) bad('project.dependencies');
    else for (const r of dependencies.list) collector.add(r, path, null);
  }
  for (const optional of pyproject.optionalDependencies) {
    if (!optional.ok) bad(`project.optional-dependencies.${optional.group}`);
    else for (const r of optional.list) collector.add(r, path, optional.group);
  }
  // Dependencies setuptools reads from files (`dynamic = ["dependencies"]`).
  const { dynamic } = pyproject;
  const fromFiles = setuptoolsDynamic(pyproject);
  for (const [group, paths] of Object.entries(fromFiles)) {
    const field = group === '' ? 'dependencies' : 'optional-dependencies';
    if (!dynamic.includes(field)) continue;
    for (const target of paths) {
      if (files.has(target)) readRequirementsFile({ path: target, group: group === '' ? null : group, files, collector, stack: [target] });
      else collector.skip(target, `\`${field}\` are read from ${quote(target)}, which was not given`, path);
    }
  }
}

function projectName(pyproject: PyprojectFacts | undefined, files: ReadonlyMap<string, string>): string | undefined {
  if (pyproject?.name !== undefined) return pyproject.name;
  const cfg = files.get('setup.cfg');
  return cfg === undefined ? undefined : readIni(cfg).get('metadata')?.get('name')?.[0];
}

/**
 * Reads the dependencies a project declares, from `pyproject.toml` (`[project] dependencies` and
 * `optional-dependencies`), `setup.cfg` (`install_requires`, `extras_require`) and requirements
 * files, and judges each marker on every free-threaded CPython target.
 *
 * Steps:
 * 1. find the project's own name (self-references such as `pkg[test]` are skipped);
 * 2. read `pyproject.toml`, then `setup.cfg`, then each requirements file at the top of the project
 *    or in `requirements/`, following `-r` includes among the given files;
 * 3. for every requirement: skip URLs, local paths, editables and unparsable lines with a reason;
 *    evaluate its marker on each target; skip it when the marker is false everywhere.
 *
 * @param params
 *   `files`: paths relative to the project root and their text; includes and `file:` targets are
 *   found among them (see `listReferencedFiles`). Other files are ignored.
 * @returns
 *   The dependencies in the order read (runtime and optional groups mixed; see `group`), what was
 *   skipped and why, and files that could not be read. Never throws for bad input.
 */
export function readDependencies(params: { files: readonly DependencyFile[] }): DependencyList {
  const files = new Map(params.files.map((f) => [f.path, f.text]));
  const pyprojectFile = params.files.findLast((f) => f.path === 'pyproject.toml');
  const pyproject = pyprojectFile === undefined ? undefined : pyprojectOf(pyprojectFile);
  // 1. The project's own name.
  const name = projectName(pyproject, files);
  const collector = new Collector(name === undefined ? undefined : normalizeProjectName(name));
  // 2. and 3. Each kind of file, entry points only; includes are followed from them.
  if (pyproject !== undefined) readPyprojectDependencies('pyproject.toml', pyproject, files, collector);
  const cfg = files.get('setup.cfg');
  if (cfg !== undefined) readSetupCfg('setup.cfg', cfg, collector);
  // Runtime files first, so a requirement both files list counts as a runtime one.
  const requirementFiles = [...files.keys()]
    .filter((p) => isDependencyFile(p) && REQUIREMENTS_FILE.test(p))
    .sort((a, b) => Number(requirementsGroup(a) !== null) - Number(requirementsGroup(b) !== null) || (a < b ? -1 : a > b ? 1 : 0));
  for (const path of requirementFiles) {
    readRequirementsFile({ path, group: requirementsGroup(path), files, collector, stack: [path] });
  }
  return collector.list;
}
