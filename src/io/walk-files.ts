import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { classifyPath } from '../core/languages.js';

/** Directories never worth walking: VCS data, environments, build output, dependencies. */
const skippedDirectories = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache', 'target', '.eggs']);

export type WalkedFile = { path: string; absolute: string; size: number };

/**
 * Lists the files under `roots` that ftbot reads (sources and build files), honouring
 * `.gitignore` files along the way and `exclude` patterns (gitignore syntax). Paths are relative to
 * `cwd` with `/` separators. A root may also be a single file.
 */
export function walkFiles(params: { cwd: string; roots: string[]; exclude: string[] }): { files: WalkedFile[]; missing: string[] } {
  const { cwd, roots, exclude } = params;
  const files: WalkedFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const excludeMatcher = ignore().add(exclude);
  const toRelative = (abs: string): string => relative(cwd, abs).split(sep).join('/');

  const visit = (dir: string, ignores: Array<{ base: string; matcher: Ignore }>): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    let scoped = ignores;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        scoped = [...ignores, { base: dir, matcher: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        // An unreadable .gitignore is treated as absent.
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (isDir && skippedDirectories.has(entry.name)) continue;
      if (isIgnored(abs, isDir, scoped)) continue;
      const rel = toRelative(abs);
      if (rel !== '' && !rel.startsWith('..') && excludeMatcher.ignores(isDir ? `${rel}/` : rel)) continue;
      if (isDir) visit(abs, scoped);
      else if (entry.isFile()) add(abs);
    }
  };

  const add = (abs: string): void => {
    const rel = toRelative(abs);
    if (seen.has(rel) || classifyPath(rel) === undefined) return;
    seen.add(rel);
    let size = 0;
    try {
      size = statSync(abs).size;
    } catch {
      return;
    }
    files.push({ path: rel, absolute: abs, size });
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
    if (stat.isDirectory()) visit(abs, []);
    else add(abs);
  }
  return { files, missing };
}

function isIgnored(abs: string, isDir: boolean, ignores: Array<{ base: string; matcher: Ignore }>): boolean {
  for (const { base, matcher } of ignores) {
    const rel = relative(base, abs).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    if (matcher.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}
