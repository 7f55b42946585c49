import type { Logger, PackageIndex } from '../ports.js';
import { checkReadiness, type ReadinessCheck } from './check-readiness.js';
import { readDependencies, type DependencyFile } from './read-dependencies.js';

export type DependencyReadinessCheck = ReadinessCheck & {
  /** Files that could not be read at all (invalid TOML, wrong types); also listed in `skipped`. */
  errors: { path: string; message: string }[];
};

/**
 * Reads a project's dependencies and checks whether each installs on free-threaded CPython.
 *
 * Steps:
 * 1. read `pyproject.toml`, `setup.cfg` and requirements files (`readDependencies`), judging
 *    markers on every free-threaded target;
 * 2. check the latest release of each applicable dependency on the index (`checkReadiness`);
 * 3. put what reading skipped before what checking skipped.
 *
 * @param params
 *   `files`: the project's dependency files with paths from its root (include `-r` targets; see
 *   `listReferencedFiles`); `index`; `maxDependencies` (default 50); `concurrency` (default 4);
 *   `includeOptional` (default false: optional groups and `requirements-dev.txt`-style files are
 *   listed as skipped); `logger`.
 * @returns
 *   Blockers first, what was skipped and why, the blockers' names, and unreadable files.
 *
 * @example
 *   const check = await checkDependencyReadiness({ files: [{ path: 'pyproject.toml', text }], index: createPypiIndex() });
 *   check.blockers // ['orjson']
 */
export async function checkDependencyReadiness(params: {
  files: readonly DependencyFile[];
  index: PackageIndex;
  maxDependencies?: number;
  concurrency?: number;
  includeOptional?: boolean;
  /** Bytes of index answers read in all; default 64 MiB (`checkReadiness`). */
  maxIndexBytes?: number;
  logger?: Logger;
}): Promise<DependencyReadinessCheck> {
  const { files, ...options } = params;
  // 1. Read.
  const list = readDependencies({ files });
  // 2. Check.
  const check = await checkReadiness({ dependencies: list.dependencies, ...options });
  // 3. Skipped while reading, then while checking.
  return { ...check, skipped: [...list.skipped, ...check.skipped], errors: list.errors };
}
