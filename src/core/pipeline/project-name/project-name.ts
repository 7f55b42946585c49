import type { ResolvedConfig } from '../../config/schema.js';
import { collectProjectFacts, emptyProjectFacts } from '../../engine/project-facts.js';
import type { SourceFile } from '../../ports.js';

/**
 * Step 5: the name the project is published under, for the wheel matrix: the configured
 * `pypi-name`, else `[project] name` of the `pyproject.toml` that was read, else `fallback` (a
 * review's default branch, when the change does not touch `pyproject.toml`).
 */
export function projectName(params: { files: readonly SourceFile[]; config: Pick<ResolvedConfig, 'pypiName'>; fallback?: string | undefined }): string | undefined {
  const facts = emptyProjectFacts();
  const pyproject = params.files.find((f) => f.path === 'pyproject.toml');
  if (pyproject !== undefined) collectProjectFacts(facts, pyproject.path, 'pyproject', pyproject.text);
  return params.config.pypiName ?? facts.projectName ?? params.fallback;
}
