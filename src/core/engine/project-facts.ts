import type { Diagnostic } from '../diagnostics.js';
import type { BuildFileKind } from '../languages.js';
import { readBuildFile, type BuildFileFacts } from '../build-files/read-build-file.js';
import { freeThreadedArchitecture, freeThreadedCommand, withoutComments } from '../build-files/workflow-jobs.js';

/**
 * Facts about the whole project that source rules need, gathered from build files before any
 * source file is scanned. Everything is optional: a project may have none of these files.
 */
export type ProjectFacts = {
  /** The `pyo3` dependency version requirement from a `Cargo.toml`, e.g. `0.23.4` or `^0.28`. */
  pyo3Version?: string;
  /** True when the build config turns on Cython's `freethreading_compatible` for every module. */
  cythonDirectiveInBuild: boolean;
  /** `[project] requires-python` from `pyproject.toml`. */
  requiresPython?: string;
  /** The lowest Python minor the project supports, from `requires-python` (e.g. `[3, 9]`). */
  minPython?: [number, number];
  /** Trove classifiers declared in `pyproject.toml`. */
  classifiers: string[];
  /** The `[project] name`, used for PyPI look-ups. */
  projectName?: string;
  /**
   * Base names of Cython files pulled into another module with `include "x.pyx"`: they are parts
   * of that module, not modules of their own.
   */
  cythonIncluded: Set<string>;
  /** True when the scan saw C/C++, Cython or Rust sources. */
  hasExtensionSources: boolean;
  /** True when the scan saw Cython sources (`.pyx`, `.pxd`, `.pxi`). */
  hasCythonSources: boolean;
  /** True when some CI workflow already runs a free-threaded Python (`3.14t`, `freethreaded: true`). */
  ciTestsFreeThreaded: boolean;
  /** Typed facts of each build file, by path, read once (see `build-files/read-build-file.ts`). */
  buildFiles: Map<string, BuildFileFacts>;
  /** Cython modules (`.pyx` paths) whose header sets `freethreading_compatible=True`, and those that do not. */
  cythonHeaders: Map<string, boolean>;
  /**
   * Cython modules whose header holds a `# cython:` directive line of any kind: the project keeps
   * (some of) its directives in those headers.
   */
  cythonDirectiveHeaders: Set<string>;
};

export function emptyProjectFacts(): ProjectFacts {
  return {
    cythonDirectiveInBuild: false,
    classifiers: [],
    cythonIncluded: new Set(),
    hasExtensionSources: false,
    hasCythonSources: false,
    ciTestsFreeThreaded: false,
    buildFiles: new Map(),
    cythonHeaders: new Map(),
    cythonDirectiveHeaders: new Set(),
  };
}

// `include "_packer.pyx"` at the start of a line in a Cython module.
const cythonInclude = /^[ \t]*include[ \t]+["']([^"']+)["']/gm;

// `# cython: …, freethreading_compatible=True` in the leading comment block of a module.
const headerDirective = /^#\s*cython\s*:[^\n]*\bfreethreading_compatible\s*=\s*True\b/m;
// Any `# cython: …` directive line.
const anyHeaderDirective = /^#\s*cython\s*:/m;

/**
 * Records whether the header of the Cython module at `path` declares support, and whether it holds
 * directives at all.
 */
export function recordCythonHeader(facts: ProjectFacts, path: string, text: string): void {
  const header = cythonHeader(text);
  facts.cythonHeaders.set(path, headerDirective.test(header));
  if (anyHeaderDirective.test(header)) facts.cythonDirectiveHeaders.add(path);
}

/** The leading comment and blank lines of a Cython file (where directive comments count). */
export function cythonHeader(text: string): string {
  let end = 0;
  for (;;) {
    const lineEnd = text.indexOf('\n', end);
    const line = text.slice(end, lineEnd < 0 ? text.length : lineEnd).trim();
    if (line !== '' && !line.startsWith('#')) return text.slice(0, end);
    if (lineEnd < 0) return text;
    end = lineEnd + 1;
  }
}

/** Records the files a Cython module `include`s, and whether its header declares support. */
export function collectCythonIncludes(facts: ProjectFacts, text: string, path = ''): void {
  if (path.endsWith('.pyx')) recordCythonHeader(facts, path, text);
  if (!text.includes('include')) return;
  for (const m of text.matchAll(cythonInclude)) {
    const target = m[1] ?? '';
    facts.cythonIncluded.add(target.slice(target.lastIndexOf('/') + 1));
  }
}

// `freethreading_compatible=True` as a compiler directive in setup.py / meson.build / pyproject
// (`compiler_directives={"freethreading_compatible": True}`, `-Xfreethreading_compatible=True`,
// `-X freethreading_compatible=True`).
const cythonDirectiveInBuild = /freethreading_compatible['"]?\]?\s*[:=]\s*(True|true|1|['"]True['"])/;

/**
 * Reads one build file into `facts`. Returns diagnostics for files that do not parse; never throws.
 *
 * @example
 *   const facts = emptyProjectFacts();
 *   collectProjectFacts(facts, 'Cargo.toml', 'cargo', '[dependencies]\npyo3 = "0.23"\n');
 *   facts.pyo3Version // → '0.23'
 */
export function collectProjectFacts(facts: ProjectFacts, path: string, kind: BuildFileKind, text: string, buildRoot?: string): Diagnostic[] {
  if (cythonDirectiveInBuild.test(text) && (kind === 'setup-py' || kind === 'meson' || kind === 'pyproject' || kind === 'setup-cfg')) {
    facts.cythonDirectiveInBuild = true;
  }
  // `python-version: "3.14t"`, `- 3.13t`, `freethreaded: true`, `3.14+freethreaded`, or
  // deadsnakes/action's `nogil: true`, which installs the free-threaded build, or a free-threaded
  // interpreter installed or run by hand (`python3.13-nogil`, `python${{ matrix.v }}t`).
  if (kind === 'workflow') {
    const code = withoutComments(text);
    if (/\b3\.1\d+t\b|freethreaded:\s*(true|\$\{\{)|\+freethreaded/.test(code) || (/\bdeadsnakes\/action@/.test(code) && /\bnogil:\s*(true|\$\{\{)/.test(code)) || freeThreadedCommand.test(code) || freeThreadedArchitecture.test(code)) facts.ciTestsFreeThreaded = true;
  }
  const file = readBuildFile(path, kind, text);
  // A build module a pyproject names runs from the pyproject's folder: its sources are named from there.
  if (buildRoot !== undefined) for (const site of file.cythonSites) site.root = buildRoot;
  facts.buildFiles.set(path, file);
  if (file.parseError !== undefined) return [{ kind: 'parse-error', path, message: `invalid TOML: ${file.parseError}` }];
  if (file.pyo3Version !== undefined) facts.pyo3Version = file.pyo3Version;
  const project = file.pyproject;
  if (project !== undefined) {
    if (project.name !== undefined) facts.projectName = project.name;
    if (project.requiresPython !== undefined) {
      facts.requiresPython = project.requiresPython;
      const min = minPythonOf(project.requiresPython);
      if (min !== undefined) facts.minPython = min;
    }
    if (project.classifiers !== undefined) facts.classifiers = project.classifiers;
  }
  return [];
}

/** The lowest `3.N` allowed by a `requires-python` specifier such as `>=3.9` or `>=3.10,<4`. */
export function minPythonOf(spec: string): [number, number] | undefined {
  const match = /(>=|~=|==|>)\s*3\.(\d+)/.exec(spec);
  if (match === null) return undefined;
  const minor = Number(match[2]);
  return [3, match[1] === '>' ? minor + 1 : minor];
}

/**
 * Parses a Cargo version requirement into `[major, minor]` of its lowest allowed version.
 * `"0.23.4"` → [0, 23]; `"^0.28"` → [0, 28]; `">=0.22, <0.24"` → [0, 22]; `"*"` → undefined.
 */
export function parseCargoMinVersion(requirement: string): [number, number] | undefined {
  const match = /(\d+)\.(\d+)/.exec(requirement);
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}
