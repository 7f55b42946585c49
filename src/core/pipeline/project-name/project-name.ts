import { readPyproject, type PyprojectFacts } from '../../build-files/pyproject.js';
import type { ResolvedConfig } from '../../config/schema.js';
import type { SourceFile } from '../../ports.js';

/**
 * Step 5, first half: the facts of the project's top-level `pyproject.toml` among the files read,
 * read once for the whole job (the project name here, the dependency check in step 7).
 */
export function rootPyproject(files: readonly SourceFile[]): PyprojectFacts | undefined {
  const file = files.find((f) => f.path === 'pyproject.toml');
  return file === undefined ? undefined : readPyproject(file.text);
}

/**
 * Step 5: the name the project is published under, for the wheel matrix: the configured
 * `pypi-name`, else `[project] name` of the `pyproject.toml` that was read, else `fallback` (a
 * review's default branch, when the change does not touch `pyproject.toml`).
 */
export function projectName(params: { pyproject: PyprojectFacts | undefined; config: Pick<ResolvedConfig, 'pypiName'>; fallback?: string | undefined }): string | undefined {
  return params.config.pypiName ?? params.pyproject?.name ?? params.fallback;
}
