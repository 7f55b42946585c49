import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseGitIndex } from '../core/parse-git-index.js';

/** The files a git index tracks, and every directory above one, relative to the work tree root. */
export type TrackedPaths = { files: ReadonlySet<string>; dirs: ReadonlySet<string> };

/** Largest index read, in bytes (about 700,000 entries); a larger one is not read. */
const maxIndexBytes = 64 * 1024 * 1024;
/** Largest `.git` file, `commondir` or `config` read, in bytes. */
const maxSmallFile = 1024 * 1024;

/**
 * The tracked paths of the work tree rooted at `root`, from its index. `.git` may be a directory
 * or a file pointing elsewhere (`gitdir: …`, as in linked worktrees and submodules). Returns
 * undefined when there is no index or it cannot be read or parsed: the caller then relies on the
 * ignore files alone. Never runs git.
 */
export function readTrackedPaths(root: string): TrackedPaths | undefined {
  const gitDir = gitDirOf(root);
  if (gitDir === undefined) return undefined;
  const bytes = readBounded(join(gitDir, 'index'), maxIndexBytes);
  if (bytes === undefined) return undefined;
  const index = parseGitIndex(bytes, { hashSize: objectFormatOf(gitDir) === 'sha256' ? 32 : 20 });
  if ('error' in index) return undefined;
  const files = new Set(index.paths);
  const dirs = new Set<string>();
  for (const path of index.paths) {
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const dir = path.slice(0, slash);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return { files, dirs };
}

function gitDirOf(root: string): string | undefined {
  const dotGit = join(root, '.git');
  let stat;
  try {
    stat = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return dotGit;
  if (!stat.isFile()) return undefined;
  const text = readSmallText(dotGit);
  const m = text === undefined ? null : /^gitdir:[ \t]*(.+?)[ \t]*$/m.exec(text);
  if (m?.[1] === undefined) return undefined;
  return isAbsolute(m[1]) ? m[1] : resolve(root, m[1]);
}

/** `extensions.objectFormat` of the repository (linked worktrees keep it in the common directory). */
function objectFormatOf(gitDir: string): string {
  const common = readSmallText(join(gitDir, 'commondir'))?.trim();
  const dirs = common === undefined || common === '' ? [gitDir] : [gitDir, isAbsolute(common) ? common : resolve(gitDir, common)];
  for (const dir of dirs) {
    const config = readSmallText(join(dir, 'config'));
    const m = config === undefined ? null : /^[ \t]*objectformat[ \t]*=[ \t]*(\w+)/im.exec(config);
    if (m?.[1] !== undefined) return m[1].toLowerCase();
  }
  return 'sha1';
}

function readSmallText(path: string): string | undefined {
  const bytes = readBounded(path, maxSmallFile);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

/** A regular file's bytes, or undefined when it is missing, not a regular file, or over `limit`. */
function readBounded(path: string, limit: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    // Checked before opening: opening a FIFO would block.
    if (!statSync(path).isFile()) return undefined;
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > limit) return undefined;
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
