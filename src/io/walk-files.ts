import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { classifyPath } from '../core/languages.js';

/** Directories never worth walking: VCS data, environments, build output, dependencies. */
const skippedDirectories = new Set(['.ftbot_cache', '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache', 'target', '.eggs']);

/** Ignore files read in every directory, as git, ripgrep and ruff read them. */
const ignoreFileNames = ['.gitignore', '.ignore'];

/**
 * `regular` is false for what only looks like a file (a FIFO, a device, a link to one): never open
 * it. The times let the scan cache tell an unchanged file without reading it.
 */
export type WalkedFile = { path: string; absolute: string; size: number; regular: boolean; mtimeMs: number; ctimeMs: number };

type ScopedIgnore = { matcher: Ignore; toRelative: (abs: string) => string };

/**
 * Lists the files under `roots` that ftbot reads (sources and build files), honouring `.gitignore`
 * and `.ignore` files in the walked directories and their parents up to the repository root,
 * the repository's `.git/info/exclude`, `exclude` patterns (gitignore syntax, relative to `cwd`)
 * and `isExcluded` (per-directory settings). Paths are relative to `cwd` with `/` separators. A
 * root may also be a single file.
 */
export function walkFiles(params: {
  cwd: string;
  roots: string[];
  exclude: string[];
  isExcluded?: (absolute: string, isDirectory: boolean) => boolean;
}): { files: WalkedFile[]; missing: string[] } {
  const { cwd, roots, exclude, isExcluded } = params;
  const files: WalkedFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const excludeMatcher = exclude.length === 0 ? undefined : ignore().add(exclude);
  const toRelative = relativeTo(resolve(cwd));

  const visit = (dir: string, ignores: ScopedIgnore[]): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const scoped = [...ignores, ...ignoresIn(dir, new Set(entries.map((e) => e.name)))];
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (isDir && skippedDirectories.has(entry.name)) continue;
      if (isIgnored(abs, isDir, scoped)) continue;
      if (excludeMatcher !== undefined) {
        const rel = toRelative(abs);
        if (rel !== '' && !rel.startsWith('..') && excludeMatcher.ignores(isDir ? `${rel}/` : rel)) continue;
      }
      if (isExcluded?.(abs, isDir)) continue;
      if (isDir) visit(abs, scoped);
      else if (entry.isFile()) add(abs);
    }
  };

  const add = (abs: string): void => {
    const rel = toRelative(abs);
    if (seen.has(rel) || classifyPath(rel) === undefined) return;
    seen.add(rel);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      return;
    }
    files.push({ path: rel, absolute: abs, size: stat.size, regular: stat.isFile(), mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs });
  };

  for (const root of roots) {
    const abs = resolve(cwd, root);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      missing.push(root);
      continue;
    }
    // A file named on the command line is scanned even when an ignore file lists it (as ruff
    // does unless --force-exclude); a directory starts with its parents' ignore files, except
    // those that ignore the directory itself: naming it is the user's choice (as with ripgrep),
    // and its own ignore files still apply below it.
    if (stat.isDirectory()) visit(abs, parentIgnores(abs).filter((scope) => !isIgnored(abs, true, [scope])));
    else add(abs);
  }
  return { files, missing };
}

/**
 * `abs` relative to `base` with `/` separators. Paths below `base` (all but a few) are cut by
 * prefix, without `path.relative`'s normalisation: the walk joins them itself, so they are normal.
 */
function relativeTo(base: string): (abs: string) => string {
  const prefix = base.endsWith(sep) ? base : base + sep;
  return (abs) => {
    const rel = abs.startsWith(prefix) ? abs.slice(prefix.length) : relative(base, abs);
    return sep === '/' ? rel : rel.split(sep).join('/');
  };
}

/** The ignore files of one directory (`names`: its entries), plus `.git/info/exclude` when it is a repository root. */
function ignoresIn(dir: string, names: ReadonlySet<string>): ScopedIgnore[] {
  const out: ScopedIgnore[] = [];
  const paths = ignoreFileNames.filter((n) => names.has(n)).map((n) => join(dir, n));
  const exclude = join(dir, '.git', 'info', 'exclude');
  if (names.has('.git') && existsSync(exclude)) paths.unshift(exclude);
  for (const path of paths) {
    try {
      out.push({ matcher: ignore().add(readFileSync(path, 'utf8')), toRelative: relativeTo(dir) });
    } catch {
      // An unreadable ignore file is treated as absent.
    }
  }
  return out;
}

/** Ignore files of the directories above `dir`, up to the repository root (the one with `.git`). */
function parentIgnores(dir: string): ScopedIgnore[] {
  const chain: string[] = [];
  for (let d = dir; ; ) {
    if (existsSync(join(d, '.git'))) break;
    const parent = dirname(d);
    if (parent === d) return [];
    chain.unshift(parent);
    d = parent;
  }
  return chain.flatMap((d) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return [];
    }
    return ignoresIn(d, new Set(names));
  });
}

function isIgnored(abs: string, isDir: boolean, ignores: ScopedIgnore[]): boolean {
  for (const { toRelative, matcher } of ignores) {
    const rel = toRelative(abs);
    if (rel === '' || rel.startsWith('..')) continue;
    if (matcher.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}
