import type { BuildFileKind } from '../languages.js';
import { afterHashOnLine } from '../parsing/source-text.js';
import { asRecord, parseToml, tomlTableKey } from './parse-toml.js';
import { readPyproject, type CibuildwheelSettings, type PyprojectFacts } from './pyproject.js';
import { commandSites, declaringFileSite, mesonSites, setupPySites, type CythonSite } from './cython-sites.js';
import { mesonF2pySteps, pythonF2pyScript, type F2pyStep } from './f2py-steps.js';
import { parseCargoRequirement, parseRequirement, type Requirement } from './requirements.js';
import { readWorkflow, type WorkflowFacts } from './workflow-jobs.js';

/** Build tools whose version decides whether a module can declare free-threading support. */
export type PinnedTool = 'cython' | 'pybind11' | 'nanobind' | 'pyo3' | 'maturin' | 'cibuildwheel';

/** A version requirement on one of those tools, where the build file states it. */
export type Pin = { tool: PinnedTool; requirement: Requirement; path: string; start: number; end: number; text: string };

/** `[tool.cibuildwheel]` settings that decide whether free-threaded wheels are built, and where they are. */
export type CibuildwheelConfig = { path: string; start: number } & CibuildwheelSettings;

/** Everything ftbot reads from one build file, parsed once per scan. */
export type BuildFileFacts = {
  path: string;
  kind: BuildFileKind;
  pins: Pin[];
  cythonSites: CythonSite[];
  workflow?: WorkflowFacts;
  cibuildwheel?: CibuildwheelConfig;
  /** Steps that run f2py (meson lists, a Python script's invocations); read only when the file names f2py. */
  f2pySteps?: F2pyStep[];
  /** A Python build script that always asks f2py for `--freethreading-compatible` (see `F2pyScript`). */
  f2pyDeclaresAlways?: boolean;
  /** A `pyproject.toml`'s typed contents (see `readPyproject`). */
  pyproject?: PyprojectFacts;
  /**
   * Where a `pyproject.toml`'s `[tool.maturin]` table sets `features` (1-based line and column of
   * the key): the list the GIL wheel builds would turn an opt-in `abi3` Cargo feature on in.
   */
  maturinFeatures?: { line: number; column: number };
  /** A `pyproject.toml`'s last line that is not blank (1-based): where a new table is appended. */
  lastLine?: number;
  /** A `Cargo.toml`'s `pyo3` dependency requirement (`[dependencies]` or `[workspace.dependencies]`). */
  pyo3Version?: string;
  /** The TOML parser's message when a `pyproject.toml` or `Cargo.toml` does not parse. */
  parseError?: string;
};

const toolNames: Record<string, PinnedTool> = {
  cython: 'cython',
  pybind11: 'pybind11',
  'pybind11-global': 'pybind11',
  nanobind: 'nanobind',
  maturin: 'maturin',
  cibuildwheel: 'cibuildwheel',
};

/** The offset of `needle` as a quoted string in `text` (after `from`), or of the bare text. */
function locate(text: string, needle: string, from = 0): { start: number; end: number } {
  for (const q of ['"', "'"]) {
    const at = text.indexOf(q + needle + q, from);
    if (at >= 0) return { start: at + 1, end: at + 1 + needle.length };
  }
  const at = text.indexOf(needle, from);
  return at >= 0 ? { start: at, end: at + needle.length } : { start: 0, end: 0 };
}

/** Pins among PEP 508 requirement strings (a `requires` or `setup_requires` list). */
function pinsOf(path: string, text: string, strings: readonly string[], from: number): Pin[] {
  const pins: Pin[] = [];
  for (const s of strings) {
    const requirement = parseRequirement(s);
    const tool = requirement === undefined ? undefined : toolNames[requirement.name];
    if (requirement === undefined || tool === undefined) continue;
    pins.push({ tool, requirement, path, text: s, ...locate(text, s, from) });
  }
  return pins;
}

/** Offset of the line that starts with `name =` (a Cargo dependency key), or -1. */
function keyOffset(text: string, name: string): number {
  let lineStart = 0;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const trimmed = line.trimStart();
    if (trimmed.startsWith(name) && trimmed.slice(name.length).trimStart().startsWith('=')) return lineStart;
    if (lineEnd < 0) break;
    lineStart = lineEnd + 1;
  }
  return -1;
}

/** A whole requirement with a version specifier: `Cython>=3.1`, `pybind11 (>=2.13, <3)`, `cython==3.0.*; python_version>"3.8"`. */
const wholeRequirement = /^[A-Za-z0-9][\w.-]{0,80}\s{0,5}(?:\[[\w, -]{0,80}\]\s{0,5})?\(?\s{0,5}(?:(?:===|==|~=|>=|<=|!=|>|<)\s{0,5}[\w.*+!-]{1,40}\s{0,5},?\s{0,5}){1,6}\)?\s{0,5}(?:;[^\n]{0,200})?$/;

/** Pins among the quoted strings of a Python build script (comments skipped). */
function stringPins(path: string, text: string): Pin[] {
  const pins: Pin[] = [];
  for (const m of text.matchAll(/(["'])([A-Za-z0-9][^"'\n]{0,300})\1/g)) {
    const value = m[2] ?? '';
    const tool = toolNames[(/^[A-Za-z0-9][\w.-]*/.exec(value)?.[0] ?? '').toLowerCase().replace(/[._]+/g, '-')];
    if (tool === undefined || !wholeRequirement.test(value)) continue;
    if (afterHashOnLine(text, m.index)) continue;
    const requirement = parseRequirement(value);
    if (requirement === undefined) continue;
    pins.push({ tool, requirement, path, text: value, start: m.index + 1, end: m.index + 1 + value.length });
  }
  return pins;
}

/**
 * Pins in a requirements file (one PEP 508 requirement a line; options and comments skipped) or a
 * conda environment (`- cython>=3.0.8`, `- cython=3.0`, which conda reads as `3.0.*`).
 */
function requirementLinePins(path: string, text: string, conda: boolean): Pin[] {
  const pins: Pin[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const hash = line.indexOf(' #');
    const code = (line.trimStart().startsWith('#') ? '' : hash >= 0 ? line.slice(0, hash) : line).trimEnd();
    let body = code.trimStart();
    if (conda) body = body.startsWith('- ') ? body.slice(2).trim() : '';
    const name = /^[A-Za-z0-9][\w.-]*/.exec(body)?.[0] ?? '';
    const tool = toolNames[name.toLowerCase().replace(/[._]+/g, '-')];
    if (tool !== undefined) {
      // conda's `name=3.0` (one `=`) is a prefix match, pip's `==3.0.*`.
      const rest = body.slice(name.length);
      const spec = conda && /^\s*=\s*\d/.test(rest) ? `==${rest.trim().slice(1).trim()}.*` : rest;
      const requirement = parseRequirement(`${name}${spec}`);
      if (requirement !== undefined && requirement.spec !== '') {
        const start = lineStart + code.length - code.trimStart().length + (conda ? code.trimStart().length - body.length : 0);
        pins.push({ tool, requirement, path, text: body, start, end: start + body.length });
      }
    }
    if (lineEnd < 0) break;
    lineStart = lineEnd + 1;
  }
  return pins;
}

/**
 * Pins in a `meson.build`: a Cython version check (`cy.version().version_compare('>=3.0.8')` on
 * the Cython compiler) and `dependency('pybind11', version: '>=2.13')`.
 */
function mesonPins(path: string, text: string): Pin[] {
  const pins: Pin[] = [];
  for (const m of text.matchAll(/\b(\w{1,60})\.version\(\)\.version_compare\(\s*'([^'\n]{1,60})'\s*\)/g)) {
    const variable = m[1] ?? '';
    // Only the Cython compiler's version: `cy = meson.get_compiler('cython')`.
    const assigned = text.indexOf(`${variable} = meson.get_compiler('cython')`) >= 0 || text.indexOf(`${variable}=meson.get_compiler('cython')`) >= 0;
    if (!assigned) continue;
    const requirement = parseRequirement(`cython${m[2] ?? ''}`);
    if (requirement === undefined) continue;
    const start = m.index + m[0].lastIndexOf("'", m[0].length - 2);
    pins.push({ tool: 'cython', requirement, path, text: m[2] ?? '', start: start + 1, end: start + 1 + (m[2] ?? '').length });
  }
  for (const m of text.matchAll(/\bdependency\(\s*'(pybind11|nanobind)'\s*,[^)]{0,300}?\bversion\s*:\s*'([^'\n]{1,60})'/g)) {
    const requirement = parseRequirement(`${m[1] ?? ''}${m[2] ?? ''}`);
    if (requirement === undefined) continue;
    const start = m.index + m[0].length - (m[2] ?? '').length - 1;
    pins.push({ tool: m[1] === 'nanobind' ? 'nanobind' : 'pybind11', requirement, path, text: m[2] ?? '', start, end: start + (m[2] ?? '').length });
  }
  return pins;
}

/**
 * The `features =` key of a `[tool.maturin]` table, as a 1-based line and column; undefined when
 * the table or the key is missing. Worked example: `[tool.maturin]\nfeatures = ["pyo3/extension-module"]`
 * → line 2, column 1.
 */
export function maturinFeaturesKey(text: string): { line: number; column: number } | undefined {
  const at = tomlTableKey(text, /^\[tool\.maturin\][ \t]*(?:#[^\n]*)?$/m, 'features')?.key;
  if (at === undefined) return undefined;
  return { line: text.slice(0, at).split('\n').length, column: at - (text.lastIndexOf('\n', at - 1) + 1) + 1 };
}

/** `pyo3 = "0.23"` or `pyo3 = { version = "0.23", features = [...] }`, in any dependency table. */
function pyo3VersionOf(cargo: Record<string, unknown>): string | undefined {
  for (const table of [cargo.dependencies, asRecord(cargo.workspace)?.dependencies]) {
    const dep = asRecord(table)?.pyo3;
    if (typeof dep === 'string') return dep;
    const version = asRecord(dep)?.version;
    if (typeof version === 'string') return version;
  }
  return undefined;
}

/**
 * Reads one build file (text only; nothing is executed) into typed facts. `pyproject.toml` and
 * `Cargo.toml` are parsed here, once (`readPyproject`, `parseToml`); pass `pyproject` when the
 * caller already read that file's facts.
 *
 * @example
 *   readBuildFile('pyproject.toml', 'pyproject', '[build-system]\nrequires = ["Cython<3.1"]\n').pins[0]
 *   // → { tool: 'cython', requirement: { name: 'cython', spec: '<3.1', max: … }, … }
 */
export function readBuildFile(path: string, kind: BuildFileKind, text: string, pyproject?: PyprojectFacts): BuildFileFacts {
  const facts: BuildFileFacts = { path, kind, pins: [], cythonSites: [] };
  if ((kind === 'meson' || kind === 'build-script' || kind === 'setup-py') && /f2py/i.test(text)) {
    if (kind === 'meson') facts.f2pySteps = mesonF2pySteps(text);
    else {
      const script = pythonF2pyScript(text);
      facts.f2pySteps = script.steps;
      facts.f2pyDeclaresAlways = script.declaresAlways;
    }
  }
  switch (kind) {
    case 'pyproject': {
      const data = pyproject ?? readPyproject(text);
      facts.pyproject = data;
      if (data.error !== undefined) facts.parseError = data.error.message;
      const header = text.indexOf('[build-system]');
      facts.pins.push(...pinsOf(path, text, data.buildRequires, Math.max(0, header)));
      if (data.cibuildwheel !== undefined) facts.cibuildwheel = { path, start: Math.max(0, text.indexOf('[tool.cibuildwheel')), ...data.cibuildwheel };
      facts.cythonSites.push(...declaringFileSite(path, text));
      const features = text.includes('[tool.maturin]') ? maturinFeaturesKey(text) : undefined;
      if (features !== undefined) facts.maturinFeatures = features;
      facts.lastLine = text.trimEnd().split('\n').length;
      break;
    }
    case 'setup-cfg': {
      // `setup_requires =` followed by indented requirement lines.
      const m = /^setup_requires\s*=([^\n]*(?:\n[ \t]+[^\n]*)*)/m.exec(text);
      if (m !== null) facts.pins.push(...pinsOf(path, text, (m[1] ?? '').split(/[\n;]/).map((s) => s.replace(/\s#.*$/, '').trim()).filter(Boolean), m.index));
      facts.cythonSites.push(...declaringFileSite(path, text));
      break;
    }
    case 'setup-py': {
      // `setup_requires=[…]`, `install_requires`, or a constant such as
      // `CYTHON_DEPENDENCY = 'Cython(>=0.29.24,<4.0.0)'`: every string literal that is a whole
      // requirement on one of the tools.
      facts.pins.push(...stringPins(path, text));
      facts.cythonSites.push(...setupPySites(path, text));
      break;
    }
    case 'meson':
      facts.pins.push(...mesonPins(path, text));
      facts.cythonSites.push(...mesonSites(path, text));
      break;
    case 'requirements':
    case 'conda-env':
      facts.pins.push(...requirementLinePins(path, text, kind === 'conda-env'));
      break;
    case 'cmake':
    case 'makefile':
    case 'tox':
      facts.cythonSites.push(...commandSites(path, text, kind === 'cmake'));
      break;
    case 'cargo': {
      const parsed = parseToml(text);
      if (!parsed.ok) {
        facts.parseError = parsed.problem.message;
        break;
      }
      const toml = parsed.doc;
      for (const table of [toml.dependencies, asRecord(toml.workspace)?.dependencies, toml['build-dependencies']]) {
        for (const name of ['pyo3', 'pyo3-ffi', 'pyo3-build-config']) {
          const dep = asRecord(table)?.[name];
          const spec = typeof dep === 'string' ? dep : asRecord(dep)?.version;
          if (typeof spec !== 'string') continue;
          const keyAt = keyOffset(text, name);
          const where = locate(text, spec, Math.max(0, keyAt));
          facts.pins.push({ tool: 'pyo3', requirement: parseCargoRequirement(name, spec), path, text: spec, ...where });
        }
      }
      const version = pyo3VersionOf(toml);
      if (version !== undefined) facts.pyo3Version = version;
      break;
    }
    case 'workflow':
      facts.workflow = readWorkflow(text);
      break;
  }
  return facts;
}
