import { asRecord, parseToml, type TomlProblem } from './parse-toml.js';

/** A key that must hold a list of strings: the list, or `ok: false` when it holds something else. */
export type StringListField = { ok: true; list: string[] } | { ok: false };

/** `[tool.cibuildwheel]` settings that decide whether free-threaded wheels are built. */
export type CibuildwheelSettings = {
  /** `build` selectors, when set. */
  build?: string[];
  /** `enable` values (`cpython-freethreading`, `all`, …). */
  enable: string[];
  /** `free-threaded-support = true` (cibuildwheel 2.18.1–2.x). */
  freeThreadedSupport: boolean;
  /** `skip` selectors. */
  skip: string[];
  /** `archs` values of the table and of its `linux`, `macos` and `windows` tables. */
  archs: string[];
  /** `[[tool.cibuildwheel.overrides]]` entries, in file order (see `CibuildwheelOverride`). */
  overrides: CibuildwheelOverride[];
};

/**
 * One `[[tool.cibuildwheel.overrides]]` entry, as far as it decides how the builds it selects are
 * made: its `select` selectors, `environment` and `config-settings` as strings, and the commands
 * it runs (`before-build`, `test-command`, `repair-wheel-command`, …) joined.
 */
export type CibuildwheelOverride = { select: string[]; environment: Record<string, string>; configSettings: Record<string, string>; commands: string };

/**
 * What ftbot reads from one `pyproject.toml`, typed. Every consumer (project facts for the rules,
 * the dependency check, the wheel check's project name, configuration loading) takes these
 * instead of parsing the file again.
 */
export type PyprojectFacts = {
  /** Set when the file is not valid TOML; the other fields are then empty. */
  error?: TomlProblem;
  /** `[project] name`. */
  name?: string;
  /** `[project] requires-python`. */
  requiresPython?: string;
  /** `[project] classifiers` (its strings), when the key holds a list. */
  classifiers?: string[];
  /** `[project] dependencies`, when the key is set. */
  dependencies?: StringListField;
  /** `[project] optional-dependencies`, group by group in file order. */
  optionalDependencies: Array<{ group: string } & StringListField>;
  /** `[project] dynamic`: the fields a build back-end fills in (when a list of strings). */
  dynamic: string[];
  /**
   * `[tool.setuptools.dynamic]` `file` lists, as written (paths relative to the file):
   * `dependencies`, and `optional-dependencies` group by group.
   */
  setuptoolsDynamic?: { dependencies: string[]; optional: Array<{ group: string; files: string[] }> };
  /** `[build-system] requires`: its strings (PEP 508 requirements). */
  buildRequires: string[];
  /**
   * Python build scripts the back-end runs, as written (paths relative to the file): Poetry's
   * `[tool.poetry] build = "…"` or `[tool.poetry.build] script = "…"`, pdm-pep517's
   * `[tool.pdm.build] setup-script`, and Hatch's custom build hooks (`path`, `hatch_build.py` by
   * default). Extension modules, and the Cython modules among them, are often listed there.
   */
  buildScripts: string[];
  /** `[tool.cibuildwheel]`, when present. */
  cibuildwheel?: CibuildwheelSettings;
  /** `[tool.ftbot]` as written (validated by the configuration schema), or undefined. */
  ftbot?: unknown;
};

function stringListField(value: unknown): StringListField {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? { ok: true, list: value } : { ok: false };
}

/** A setuptools `file` entry: one path or a list of paths (non-strings dropped). */
function fileList(entry: unknown): string[] {
  const file = asRecord(entry)?.file;
  const list: unknown[] = typeof file === 'string' ? [file] : Array.isArray(file) ? file : [];
  return list.filter((f): f is string => typeof f === 'string');
}

/** A selector option (`build`, `skip`, `select`, `archs`): one string of space-separated words or a list. */
function selectors(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return Array.isArray(value) ? value.map(String).flatMap((s) => s.split(/\s+/)).filter(Boolean) : [];
}

/** A table of strings (`environment`, `config-settings`) with every value as text; a list value is joined. */
function stringTable(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(asRecord(value) ?? {})) out[key] = Array.isArray(v) ? v.map(String).join(' ') : String(v);
  return out;
}

const overrideCommands = ['before-all', 'before-build', 'test-command', 'before-test', 'repair-wheel-command'];

function overridesOf(value: unknown): CibuildwheelOverride[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const o = asRecord(entry);
    if (o === undefined) return [];
    const commands = overrideCommands.map((key) => o[key]).flatMap((c) => (typeof c === 'string' ? [c] : Array.isArray(c) ? c.map(String) : [])).join('\n');
    return [{ select: selectors(o.select), environment: stringTable(o.environment), configSettings: stringTable(o['config-settings']), commands }];
  });
}

function cibuildwheelOf(cibw: Record<string, unknown>): CibuildwheelSettings {
  const { build, enable } = cibw;
  const settings: CibuildwheelSettings = {
    enable: typeof enable === 'string' ? enable.split(/\s+/) : Array.isArray(enable) ? enable.map(String) : [],
    freeThreadedSupport: cibw['free-threaded-support'] === true,
    skip: selectors(cibw.skip),
    archs: [cibw, cibw.linux, cibw.macos, cibw.windows].flatMap((t) => selectors(asRecord(t)?.archs)),
    overrides: overridesOf(cibw.overrides),
  };
  if (typeof build === 'string') settings.build = build.split(/\s+/).filter(Boolean);
  else if (Array.isArray(build)) settings.build = build.map(String);
  return settings;
}

/** The build scripts `[tool.poetry]`, `[tool.pdm.build]` and Hatch's custom hooks name (see `PyprojectFacts.buildScripts`). */
function buildScriptsOf(tool: Record<string, unknown> | undefined): string[] {
  const out = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.endsWith('.py')) out.add(value.replace(/^\.\//, ''));
  };
  const poetryBuild = asRecord(tool?.poetry)?.build;
  add(poetryBuild);
  add(asRecord(poetryBuild)?.script);
  add(asRecord(asRecord(tool?.pdm)?.build)?.['setup-script']);
  const hatchBuild = asRecord(asRecord(tool?.hatch)?.build);
  const targets = asRecord(hatchBuild?.targets) ?? {};
  for (const hooks of [hatchBuild?.hooks, ...Object.values(targets).map((t) => asRecord(t)?.hooks)]) {
    const custom = asRecord(asRecord(hooks)?.custom);
    if (custom !== undefined) add(custom.path ?? 'hatch_build.py');
  }
  return [...out];
}

/**
 * Reads a `pyproject.toml` into typed facts: the one typed reader of the file, over the one TOML
 * parser (`parseToml`). Nothing is executed; a file that does not parse yields `error` and empty
 * facts, never a throw.
 *
 * @example
 *   readPyproject('[project]\nname = "spam"\ndependencies = ["numpy>=2"]\n')
 *   // → { name: 'spam', dependencies: { ok: true, list: ['numpy>=2'] }, optionalDependencies: [], dynamic: [], buildRequires: [], buildScripts: [] }
 */
export function readPyproject(text: string): PyprojectFacts {
  const facts: PyprojectFacts = { optionalDependencies: [], dynamic: [], buildRequires: [], buildScripts: [] };
  const parsed = parseToml(text);
  if (!parsed.ok) return { ...facts, error: parsed.problem };
  const { doc } = parsed;

  const project = asRecord(doc.project);
  if (project !== undefined) {
    if (typeof project.name === 'string') facts.name = project.name;
    if (typeof project['requires-python'] === 'string') facts.requiresPython = project['requires-python'];
    if (Array.isArray(project.classifiers)) facts.classifiers = project.classifiers.filter((c): c is string => typeof c === 'string');
    if (project.dependencies !== undefined) facts.dependencies = stringListField(project.dependencies);
    const optional = project['optional-dependencies'];
    if (typeof optional === 'object' && optional !== null) {
      for (const [group, value] of Object.entries(optional)) facts.optionalDependencies.push({ group, ...stringListField(value) });
    }
    const dynamic = stringListField(project.dynamic);
    if (dynamic.ok) facts.dynamic = dynamic.list;
  }

  const tool = asRecord(doc.tool);
  const dynamic = asRecord(asRecord(tool?.setuptools)?.dynamic);
  if (dynamic !== undefined) {
    const optional = dynamic['optional-dependencies'];
    facts.setuptoolsDynamic = {
      dependencies: fileList(dynamic.dependencies),
      optional: typeof optional === 'object' && optional !== null ? Object.entries(optional).map(([group, entry]) => ({ group, files: fileList(entry) })) : [],
    };
  }

  const requires = asRecord(doc['build-system'])?.requires;
  if (Array.isArray(requires)) facts.buildRequires = requires.filter((r): r is string => typeof r === 'string');

  facts.buildScripts = buildScriptsOf(tool);

  const cibw = asRecord(tool?.cibuildwheel);
  if (cibw !== undefined) facts.cibuildwheel = cibuildwheelOf(cibw);

  if (tool?.ftbot !== undefined) facts.ftbot = tool.ftbot;
  return facts;
}
