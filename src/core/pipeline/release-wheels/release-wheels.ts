import { classifyPath } from '../../languages.js';
import type { PackageIndex } from '../../ports.js';
import { checkWheels, type WheelCheck } from '../../wheels/index.js';
import type { ListedFile } from '../types.js';

/**
 * Step 6: the latest release's wheel matrix. A triage always shows it; a review shows it only
 * when a build file changed (`pyproject.toml`, `setup.py`, `setup.cfg`, CMake, Cargo, Meson,
 * workflows), removed files included. Nothing without an index or a project name.
 */
export async function releaseWheels(params: {
  kind: 'review' | 'triage';
  listed: readonly ListedFile[];
  project: string | undefined;
  index: PackageIndex | undefined;
}): Promise<WheelCheck | undefined> {
  const { kind, listed, project, index } = params;
  if (index === undefined || project === undefined) return undefined;
  if (kind === 'review' && !listed.some((f) => classifyPath(f.path)?.type === 'build')) return undefined;
  return checkWheels({ project, index });
}
