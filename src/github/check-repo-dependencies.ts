import type { Context } from 'probot';
import {
  checkDependencyReadiness,
  dependencyFile,
  isDependencyFile,
  listReferencedFiles,
  type DependencyFile,
  type DependencyReadinessCheck,
} from '../core/deps/index.js';
import type { PackageIndex } from '../core/ports.js';
import { readRepoFile } from './read-repo-file.js';

/** Dependency files are small; these bounds keep a hostile repository from costing much. */
export const DEPENDENCY_FILE_LIMITS = { maxFiles: 20, maxFileBytes: 512 * 1024, maxTotalBytes: 2 * 1024 * 1024 };
/** Dependencies asked about per run, and at most this many PyPI requests at once. */
export const DEPENDENCY_CHECK_LIMITS = { maxDependencies: 50, concurrency: 4 };

type Note = { requirement: string; reason: string; path: string };

/** The root's entries and the `requirements/` folder's, from the tree at `ref`, with sizes. */
async function listEntryPoints(context: Context, where: { owner: string; repo: string; ref: string }): Promise<Array<{ path: string; size?: number | undefined }>> {
  const { owner, repo, ref } = where;
  let root;
  try {
    root = await context.octokit.rest.git.getTree({ owner, repo, tree_sha: ref });
  } catch (error) {
    // An empty repository (409) or a ref that is gone (404) has no dependency files.
    if ([404, 409, 422].includes((error as { status?: number }).status ?? 0)) return [];
    throw error;
  }
  const out = root.data.tree.flatMap((e) => (e.type === 'blob' && e.path !== undefined ? [{ path: e.path, size: e.size }] : []));
  const folder = root.data.tree.find((e) => e.type === 'tree' && e.path === 'requirements' && e.sha !== undefined);
  if (folder?.sha !== undefined) {
    const sub = await context.octokit.rest.git.getTree({ owner, repo, tree_sha: folder.sha });
    for (const e of sub.data.tree) if (e.type === 'blob' && e.path !== undefined) out.push({ path: `requirements/${e.path}`, size: e.size });
  }
  return out;
}

/**
 * Reads a repository's dependency files at `ref` and checks which dependencies install on
 * free-threaded CPython.
 *
 * Steps:
 * 1. take the entry points (`isDependencyFile`) from `paths` (a tree already listed) or from the
 *    root and `requirements/` trees at `ref`;
 * 2. read them and the files they point at (`listReferencedFiles`: `-r` includes, setuptools
 *    `file:` lists), within `DEPENDENCY_FILE_LIMITS`; texts in `known` are not fetched again;
 * 3. check them on the index (`checkDependencyReadiness`, capped, a few requests at once); what
 *    was not read goes into the report's "Not checked" list.
 *
 * @returns
 *   The check, or undefined when the repository has no dependency file at `ref`. Index trouble
 *   is "unknown" in the check; GitHub errors other than a missing file or tree are thrown.
 */
export async function checkRepoDependencies(params: {
  context: Context;
  owner: string;
  repo: string;
  ref: string;
  index: PackageIndex;
  paths?: ReadonlyArray<{ path: string; size?: number | undefined }> | undefined;
  known?: readonly DependencyFile[] | undefined;
}): Promise<DependencyReadinessCheck | undefined> {
  const { context, owner, repo, ref, index } = params;
  const { maxFiles, maxFileBytes, maxTotalBytes } = DEPENDENCY_FILE_LIMITS;
  // 1.
  const listed = params.paths ?? (await listEntryPoints(context, { owner, repo, ref }));
  const sizes = new Map(listed.map((e) => [e.path, e.size]));
  const queue = listed.map((e) => e.path).filter(isDependencyFile).sort();
  if (queue.length === 0) return undefined;

  // 2. Breadth first, so the entry points are read before what they include.
  const known = new Map((params.known ?? []).map((f) => [f.path, f]));
  const files: DependencyFile[] = [];
  const notes: Note[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  while (queue.length > 0) {
    const path = queue.shift() ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    if (files.length >= maxFiles) {
      notes.push({ requirement: path, reason: `not read: over the limit of ${maxFiles} dependency files`, path });
      continue;
    }
    const size = sizes.get(path);
    if (size !== undefined && size > maxFileBytes) {
      notes.push({ requirement: path, reason: `not read: larger than ${maxFileBytes} bytes`, path });
      continue;
    }
    const knownFile = known.get(path);
    let text = knownFile?.text;
    if (text === undefined) {
      try {
        text = await readRepoFile(context, { owner, repo, path, ref });
      } catch (error) {
        notes.push({ requirement: path, reason: `could not fetch (${(error as { status?: number }).status ?? 'network error'})`, path });
        continue;
      }
    }
    // A missing include is reported by the reader ("was not given").
    if (text === undefined) continue;
    if (text.length > maxFileBytes || bytes + text.length > maxTotalBytes) {
      notes.push({ requirement: path, reason: `not read: over the limit of ${maxTotalBytes} bytes of dependency files`, path });
      continue;
    }
    bytes += text.length;
    // A `pyproject.toml` the job already read keeps its facts (parsed once per job).
    const file = dependencyFile(path, text, knownFile?.pyproject);
    files.push(file);
    queue.push(...listReferencedFiles(file));
  }

  // 3.
  const check = await checkDependencyReadiness({ files, index, ...DEPENDENCY_CHECK_LIMITS, logger: context.log });
  context.log.info({ files: files.length, dependencies: check.dependencies.length, blockers: check.blockers.length }, 'dependencies checked');
  return { ...check, skipped: [...notes, ...check.skipped] };
}
