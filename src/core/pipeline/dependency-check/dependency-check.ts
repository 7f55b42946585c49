import type { PyprojectFacts } from '../../build-files/pyproject.js';
import { isDependencyFile } from '../../deps/index.js';
import type { ReadinessCheck } from '../../deps/index.js';
import type { SourceFile } from '../../ports.js';
import type { FileListing, ListedFile, PipelineRunner } from '../types.js';

/**
 * Step 7: the dependencies' readiness on free-threaded CPython. A triage always checks; a review
 * checks only when a dependency file (`pyproject.toml`, `setup.cfg`, `requirements*.txt`) was
 * changed, renamed or removed. The runner reads the files (bounded) and asks the index; without
 * `runner.checkDependencies` there is no check. The top-level `pyproject.toml` goes to the runner
 * with the facts step 5 read (`pyproject`), so it is not parsed again.
 */
export async function dependencyCheck<F extends ListedFile>(params: {
  kind: 'review' | 'triage';
  listing: FileListing<F>;
  files: readonly SourceFile[];
  pyproject: PyprojectFacts | undefined;
  runner: Pick<PipelineRunner<F>, 'checkDependencies'>;
}): Promise<ReadinessCheck | undefined> {
  const { kind, listing, files, pyproject, runner } = params;
  if (runner.checkDependencies === undefined) return undefined;
  const changed = listing.files.some((f) => isDependencyFile(f.path) || (f.previousPath !== undefined && isDependencyFile(f.previousPath)));
  if (kind === 'review' && !changed) return undefined;
  const known = pyproject === undefined ? files : files.map((f) => (f.path === 'pyproject.toml' ? { ...f, pyproject } : f));
  return runner.checkDependencies(known, listing);
}
