import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { classifyPath } from '../core/languages.js';
import { readTrackedPaths, type TrackedPaths } from './read-tracked-paths.js';

/** Directories never worth walking: VCS data, environments, build output, dependencies. */
const skippedDirectories = new Set(['.ftbot_cache', '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache', 'target', '.eggs']);

/** Ignore files read in every directory, as git, ripgrep and ruff read them. */
const ignoreFileNames = ['.gitignore', '.ignore'];

/**
 * `regular` is false for what only looks like a file (a FIFO, a device, a link to one): never open
 * it. The times let the scan cache tell an unchanged file without reading it.
 */
export type WalkedFile = { path: string; absolute: string; size: number; regular: boolean; mtimeMs: number; ctimeMs: number };

/**
 * `git` marks git's own ignore sources (`.gitignore`, `.git/info/exclude`), which never hide a
 * tracked file; a `.ignore` file is for tools like this one and hides tracked files too.
 */
type ScopedIgnore = { matcher: Ignore; toRelative: (abs: string) => string; git: boolean };

/** The files a repository's index tracks, relative to its work tree root `base`. */
type ScopedIndex = { base: string; tracked: TrackedPaths; toRelative: (abs: string) => string };

/**
 * The index that governs the work tree rooted at `base`, read when first asked for: only a path a
 * git ignore pattern hides needs it, so a walk where none is hidden never reads it.
 */
type IndexRef = { base: string; get: () => ScopedIndex | undefined };

/**
 * Lists the files under `roots` that ftbot reads (sources and build files), honouring `.gitignore`
 * and `.ignore` files in the walked directories and their parents up to the repository root,
 * the repository's `.git/info/exclude`, `exclude` patterns (gitignore syntax, relative to `cwd`)
 * and `isExcluded` (per-directory settings). Paths are relative to `cwd` with `/` separators. A
 * root may also be a single file.
 *
 * In a git work tree, as in git itself, a file the index tracks is listed even when a `.gitignore`
 * or `.git/info/exclude` pattern matches it (or a directory above it); only untracked files are
 * hidden by them. The index is read, never git run (`read-tracked-paths.ts`); without a readable
 * index (an exported archive, an unknown format) the ignore files alone decide.
 */
export function walkFiles(params: {
  cwd: string;
  roots: string[];
  exclude: string[];
  isExcluded?: (absolute: string, isDirectory: boolean) => boolean;
  /**
   * Also list `.py` files, which ftbot otherwise never reads: the caller picks out the ones Cython
   * compiles (pure-Python mode) and drops the rest.
   */
  python?: boolean;
}): {
  files: WalkedFile[];
  missing: string[];
  /** The names in each directory the walk listed (absolute path → names), so callers need not look again. */
  listings: Map<string, ReadonlySet<string>>;
} {
  const { cwd, roots, exclude, isExcluded, python = false } = params;
  const files: WalkedFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const listings = new Map<string, ReadonlySet<string>>();
  const excludeMatcher = exclude.length === 0 ? undefined : ignore().add(exclude);
  const toRelative = relativeTo(resolve(cwd));

  /**
   * `onlyTracked`: the directory is hidden by a git ignore pattern but holds tracked files, so only
   * those are listed below it (git does not look for untracked files in an ignored directory).
   */
  const visit = (dir: string, ignores: ScopedIgnore[], index: IndexRef | undefined, onlyTracked: boolean): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // A nested work tree (a submodule) has an index of its own.
    if (dir !== index?.base && entries.some((e) => e.name === '.git')) index = lazyIndex(dir, index);
    const names = new Set(entries.map((e) => e.name));
    listings.set(dir, names);
    const scoped = [...ignores, ...ignoresIn(dir, names)];
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    // `dir` is normal (resolved, then extended here): plain concatenation is `join` without its cost.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    // Nothing to match (no ignore file met, no exclusion, not below an ignored directory): the usual
    // case for most of a tree, where each entry is only told apart as a directory or a file.
    const plain = scoped.length === 0 && !onlyTracked && excludeMatcher === undefined && isExcluded === undefined;
    for (const entry of entries) {
      const abs = prefix + entry.name;
      const isDir = entry.isDirectory();
      if (isDir && skippedDirectories.has(entry.name)) continue;
      if (plain) {
        if (isDir) visit(abs, scoped, index, false);
        else if (entry.isFile()) add(abs);
        continue;
      }
      const gitIgnored = isIgnored(abs, isDir, scoped, true);
      // Whether the index tracks a path matters only where git's ignore sources hide it (or its directory).
      const tracked = (gitIgnored || onlyTracked) && isTracked(index?.get(), abs, isDir);
      if (onlyTracked && !tracked) continue;
      if ((gitIgnored && !tracked) || isIgnored(abs, isDir, scoped, false)) continue;
      if (excludeMatcher !== undefined) {
        const rel = toRelative(abs);
        if (rel !== '' && !rel.startsWith('..') && excludeMatcher.ignores(isDir ? `${rel}/` : rel)) continue;
      }
      if (isExcluded?.(abs, isDir)) continue;
      if (isDir) visit(abs, scoped, index, onlyTracked || gitIgnored);
      else if (entry.isFile()) add(abs);
    }
  };

  // One directory root lists each file once: only overlapping roots need the paths remembered.
  const overlapping = roots.length > 1;
  const add = (abs: string): void => {
    const rel = toRelative(abs);
    if (classifyPath(rel) === undefined && !(python && rel.endsWith('.py'))) return;
    if (overlapping) {
      if (seen.has(rel)) return;
      seen.add(rel);
    }
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
    if (stat.isDirectory()) {
      const repository = repositoryRoot(abs);
      const index = repository === undefined ? undefined : lazyIndex(repository, undefined);
      visit(abs, parentIgnores(abs).filter((scope) => !isIgnored(abs, true, [scope])), index, false);
    } else add(abs);
  }
  return { files, missing, listings };
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
  // Paths are joined only for names listed: most directories hold no ignore file.
  const paths = ignoreFileNames.filter((n) => names.has(n)).map((n) => join(dir, n));
  if (names.has('.git')) {
    const exclude = join(dir, '.git', 'info', 'exclude');
    if (existsSync(exclude)) paths.unshift(exclude);
  }
  for (const path of paths) {
    try {
      out.push({ matcher: ignore().add(readFileSync(path, 'utf8')), toRelative: relativeTo(dir), git: !path.endsWith(`${sep}.ignore`) });
    } catch {
      // An unreadable ignore file is treated as absent.
    }
  }
  return out;
}

/** The work tree root at or above `dir` (the nearest directory holding `.git`), if any. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (existsSync(join(d, '.git'))) return d;
    const parent = dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** The tracked paths of the work tree rooted at `root`, when its index can be read. */
function indexOf(root: string): ScopedIndex | undefined {
  const tracked = readTrackedPaths(root);
  return tracked === undefined ? undefined : { base: root, tracked, toRelative: relativeTo(root) };
}

/** The index of the work tree rooted at `root`, read on first use; `outer` when it has none that can be read. */
function lazyIndex(root: string, outer: IndexRef | undefined): IndexRef {
  let read = false;
  let index: ScopedIndex | undefined;
  return {
    base: root,
    get() {
      if (!read) {
        read = true;
        index = indexOf(root) ?? outer?.get();
      }
      return index;
    },
  };
}

function isTracked(index: ScopedIndex | undefined, abs: string, isDir: boolean): boolean {
  if (index === undefined) return false;
  const rel = index.toRelative(abs);
  if (rel === '' || rel.startsWith('..')) return false;
  return isDir ? index.tracked.dirs.has(rel) : index.tracked.files.has(rel);
}

/** Ignore files of the directories above `dir`, up to the repository root (the one with `.git`). */
function parentIgnores(dir: string): ScopedIgnore[] {
  const root = repositoryRoot(dir);
  if (root === undefined) return [];
  const chain: string[] = [];
  for (let d = dir; d !== root; ) {
    d = dirname(d);
    chain.unshift(d);
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

/** Whether `ignores` hide `abs`; `git` picks git's ignore sources (true), the others (false), or all. */
function isIgnored(abs: string, isDir: boolean, ignores: ScopedIgnore[], git?: boolean): boolean {
  for (const { toRelative, matcher, git: fromGit } of ignores) {
    if (git !== undefined && fromGit !== git) continue;
    const rel = toRelative(abs);
    if (rel === '' || rel.startsWith('..')) continue;
    if (matcher.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}
