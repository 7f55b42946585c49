import type { Diagnostic } from '../diagnostics.js';
import { classifyPath, type BuildFileKind, type SourceLanguage } from '../languages.js';
import { collectCythonIncludes, collectProjectFacts, emptyProjectFacts, recordCythonHeader, type ProjectFacts } from './project-facts.js';
import type { ScanInput, ScanStats } from './scan-files.js';

/** A build file, read: its text stays in memory (build files are small) for the rules. */
export type ReadBuildFile = { path: string; target: BuildFileKind; text: string };

/** A source file, not yet read: `read()` loads it when its turn comes, one file at a time. */
export type PendingSource = {
  path: string;
  language: SourceLanguage;
  /**
   * Reads the file, counting it in the stats unless `again` (a project rule reading it a second
   * time); vendored files are skipped.
   */
  read: (diagnostics: Diagnostic[], again?: boolean) => string | undefined;
};

export type ReadResult = {
  project: ProjectFacts;
  builds: ReadBuildFile[];
  sources: PendingSource[];
  /** Build files among the inputs, read or not (for progress counts). */
  buildCount: number;
};

const vendoredNames = new Set(['pythoncapi_compat.h']);

/**
 * Phase 1, read: classifies the inputs, reads every build file into the project facts, and lines
 * up the sources. Files ftbot does not know are dropped; unreadable, oversized and binary build
 * files become diagnostics.
 *
 * Steps:
 * 1. Read build files (pyproject.toml, Cargo.toml, setup.py, meson.build, …) into project facts.
 * 2. Read Cython sources early: which `.pyx` files are `include`d parts of another module.
 * 3. Note whether the scan has extension sources at all.
 *
 * The project facts are complete when this returns; no later phase changes them.
 */
export function readFiles(params: {
  files: readonly ScanInput[];
  maxFileSize: number;
  diagnostics: Diagnostic[];
  stats: ScanStats;
}): ReadResult {
  const { files, maxFileSize, diagnostics, stats } = params;
  const project = emptyProjectFacts();
  const builds: ReadBuildFile[] = [];
  const sources: PendingSource[] = [];
  const preRead = new Map<string, string>();
  const classified = files.map((file) => ({
    file,
    kind: file.language !== undefined ? ({ type: 'source', language: file.language } as const) : file.buildRoot !== undefined ? ({ type: 'build', kind: 'setup-py' } as const) : classifyPath(file.path),
  }));

  // 1. Build files.
  for (const { file, kind } of classified) {
    if (kind?.type !== 'build') continue;
    const text = readInput(file, maxFileSize, diagnostics);
    if (text === undefined) continue;
    stats.files++;
    stats.bytes += text.length;
    diagnostics.push(...collectProjectFacts(project, file.path, kind.kind, text, file.buildRoot));
    builds.push({ path: file.path, target: kind.kind, text });
  }

  // 2. Cython includes (problems are reported when the file's turn comes).
  for (const { file, kind } of classified) {
    if (kind?.type !== 'source' || kind.language !== 'cython') continue;
    const text = readInput(file, maxFileSize, []);
    if (text === undefined) continue;
    preRead.set(file.path, text);
    collectCythonIncludes(project, text, file.path);
    // A `.py` the caller marks as Cython (pure-Python mode) is a module, as a `.pyx` is.
    if (file.language === 'cython' && file.path.endsWith('.py')) recordCythonHeader(project, file.path, text);
  }

  for (const { file, kind } of classified) {
    if (kind?.type !== 'source') continue;
    sources.push({
      path: file.path,
      language: kind.language,
      read(readDiagnostics, again = false) {
        const base = file.path.slice(file.path.lastIndexOf('/') + 1);
        if (vendoredNames.has(base)) {
          readDiagnostics.push({ kind: 'vendored', path: file.path, message: 'vendored compatibility header, not scanned' });
          return undefined;
        }
        const text = preRead.get(file.path) ?? readInput(file, maxFileSize, readDiagnostics);
        if (text === undefined || again) return text;
        stats.files++;
        stats.bytes += text.length;
        return text;
      },
    });
  }

  // 3. Build-file rules such as FT033 speak only to projects with extension code.
  project.hasExtensionSources = sources.length > 0;
  project.hasCythonSources = sources.some((s) => s.language === 'cython');
  const buildCount = classified.filter(({ kind }) => kind?.type === 'build').length;
  return { project, builds, sources, buildCount };
}

/**
 * Reads one input, or returns undefined with a diagnostic when it is too large, unreadable or
 * binary. Never throws.
 */
export function readInput(file: ScanInput, maxFileSize: number, diagnostics: Diagnostic[]): string | undefined {
  if (file.size !== undefined && file.size > maxFileSize) {
    diagnostics.push({ kind: 'too-large', path: file.path, message: `skipped: ${file.size} bytes is over the ${maxFileSize}-byte limit` });
    return undefined;
  }
  let text: string | undefined;
  try {
    text = typeof file.text === 'function' ? file.text() : file.text;
  } catch (error) {
    diagnostics.push({ kind: 'read-error', path: file.path, message: `could not read: ${String(error)}` });
    return undefined;
  }
  if (text === undefined) {
    diagnostics.push({ kind: 'read-error', path: file.path, message: 'could not read the file' });
    return undefined;
  }
  if (text.length > maxFileSize) {
    diagnostics.push({ kind: 'too-large', path: file.path, message: `skipped: ${text.length} bytes is over the ${maxFileSize}-byte limit` });
    return undefined;
  }
  // A NUL in the first 8 KiB marks a binary file (git uses the same test).
  if (text.slice(0, 8192).includes('\u0000')) {
    diagnostics.push({ kind: 'binary', path: file.path, message: 'skipped: binary file' });
    return undefined;
  }
  return text;
}
