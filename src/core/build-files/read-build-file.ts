import type { BuildFileKind } from '../languages.js';
import { commandSites, declaringFileSite, mesonSites, setupPySites, type CythonSite } from './cython-sites.js';
import { parseCargoRequirement, parseRequirement, type Requirement } from './requirements.js';
import { readWorkflow, type WorkflowFacts } from './workflow-jobs.js';

/** Build tools whose version decides whether a module can declare free-threading support. */
export type PinnedTool = 'cython' | 'pybind11' | 'nanobind' | 'pyo3' | 'maturin' | 'cibuildwheel';

/** A version requirement on one of those tools, where the build file states it. */
export type Pin = { tool: PinnedTool; requirement: Requirement; path: string; start: number; end: number; text: string };

/** `[tool.cibuildwheel]` settings that decide whether free-threaded wheels are built. */
export type CibuildwheelConfig = {
  path: string;
  start: number;
  /** `build` selectors, when set. */
  build?: string[];
  /** `enable` values (`cpython-freethreading`, `all`, …). */
  enable: string[];
  /** `free-threaded-support = true` (cibuildwheel 2.18.1–2.x). */
  freeThreadedSupport: boolean;
};

/** Everything ftbot reads from one build file, parsed once per scan. */
export type BuildFileFacts = {
  path: string;
  kind: BuildFileKind;
  pins: Pin[];
  cythonSites: CythonSite[];
  workflow?: WorkflowFacts;
  cibuildwheel?: CibuildwheelConfig;
};

const toolNames: Record<string, PinnedTool> = {
  cython: 'cython',
  pybind11: 'pybind11',
  'pybind11-global': 'pybind11',
  nanobind: 'nanobind',
  maturin: 'maturin',
  cibuildwheel: 'cibuildwheel',
};

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

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
function pinsOf(path: string, text: string, strings: readonly unknown[], from: number): Pin[] {
  const pins: Pin[] = [];
  for (const s of strings) {
    if (typeof s !== 'string') continue;
    const requirement = parseRequirement(s);
    const tool = requirement === undefined ? undefined : toolNames[requirement.name];
    if (requirement === undefined || tool === undefined) continue;
    pins.push({ tool, requirement, path, text: s, ...locate(text, s, from) });
  }
  return pins;
}

/**
 * Reads one build file (text only; nothing is executed) into typed facts. `toml` is the parsed
 * document for `pyproject.toml` and `Cargo.toml`, when it parsed.
 *
 * @example
 *   readBuildFile('pyproject.toml', 'pyproject', text, { 'build-system': { requires: ['Cython<3.1'] } }).pins[0]
 *   // → { tool: 'cython', requirement: { name: 'cython', spec: '<3.1', max: … }, … }
 */
export function readBuildFile(path: string, kind: BuildFileKind, text: string, toml?: Record<string, unknown>): BuildFileFacts {
  const facts: BuildFileFacts = { path, kind, pins: [], cythonSites: [] };
  switch (kind) {
    case 'pyproject': {
      const requires = asRecord(toml?.['build-system'])?.requires;
      const header = text.indexOf('[build-system]');
      if (Array.isArray(requires)) facts.pins.push(...pinsOf(path, text, requires, Math.max(0, header)));
      const cibw = asRecord(asRecord(toml?.tool)?.cibuildwheel);
      if (cibw !== undefined) {
        const build = cibw.build;
        const enable = cibw.enable;
        const config: CibuildwheelConfig = {
          path,
          start: Math.max(0, text.indexOf('[tool.cibuildwheel')),
          enable: typeof enable === 'string' ? enable.split(/\s+/) : Array.isArray(enable) ? enable.map(String) : [],
          freeThreadedSupport: cibw['free-threaded-support'] === true,
        };
        if (typeof build === 'string') config.build = build.split(/\s+/).filter(Boolean);
        else if (Array.isArray(build)) config.build = build.map(String);
        facts.cibuildwheel = config;
      }
      facts.cythonSites.push(...declaringFileSite(path, text));
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
      const at = text.indexOf('setup_requires');
      if (at >= 0) {
        const list = /setup_requires\s*=\s*\[([^\]]{0,2000})\]/.exec(text.slice(at, at + 2100));
        const strings = list === null ? [] : [...(list[1] ?? '').matchAll(/["']([^"'\n]+)["']/g)].map((s) => s[1]);
        facts.pins.push(...pinsOf(path, text, strings, at));
      }
      facts.cythonSites.push(...setupPySites(path, text));
      break;
    }
    case 'meson':
      facts.cythonSites.push(...mesonSites(path, text));
      break;
    case 'cmake':
    case 'makefile':
    case 'tox':
      facts.cythonSites.push(...commandSites(path, text, kind === 'cmake'));
      break;
    case 'cargo': {
      for (const table of [toml?.dependencies, asRecord(toml?.workspace)?.dependencies]) {
        for (const name of ['pyo3', 'pyo3-ffi']) {
          const dep = asRecord(table)?.[name];
          const spec = typeof dep === 'string' ? dep : asRecord(dep)?.version;
          if (typeof spec !== 'string') continue;
          const keyAt = text.search(new RegExp(`^\\s*${name === 'pyo3' ? 'pyo3' : 'pyo3-ffi'}\\s*=`, 'm'));
          const where = locate(text, spec, Math.max(0, keyAt));
          facts.pins.push({ tool: 'pyo3', requirement: parseCargoRequirement(name, spec), path, text: spec, ...where });
        }
      }
      break;
    }
    case 'workflow':
      facts.workflow = readWorkflow(text);
      break;
  }
  return facts;
}
