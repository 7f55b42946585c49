import { DEFAULT_FREE_THREADED_MINORS } from '../wheels/free-threaded-support.js';
import type { MarkerEnvironment } from './evaluate-marker.js';

/** One free-threaded CPython an end user may install on: a Python and a wheel-matrix column. */
export type TargetEnvironment = {
  /** The interpreter, e.g. `3.14t`. */
  python: string;
  minor: number;
  /** The wheel-matrix column, e.g. `manylinux-x86_64` (see `DEFAULT_MATRIX_COLUMNS`). */
  column: string;
  env: MarkerEnvironment;
};

/**
 * Marker values per matrix column, as CPython reports them there (`sys.platform`,
 * `platform.system()`, `platform.machine()`, `os.name`). manylinux and musllinux share them:
 * no marker variable tells glibc from musl.
 */
const PLATFORMS: Readonly<Record<string, { sys_platform: string; platform_system: string; platform_machine: string; os_name: string }>> = {
  'manylinux-x86_64': { sys_platform: 'linux', platform_system: 'Linux', platform_machine: 'x86_64', os_name: 'posix' },
  'manylinux-aarch64': { sys_platform: 'linux', platform_system: 'Linux', platform_machine: 'aarch64', os_name: 'posix' },
  'musllinux-x86_64': { sys_platform: 'linux', platform_system: 'Linux', platform_machine: 'x86_64', os_name: 'posix' },
  'musllinux-aarch64': { sys_platform: 'linux', platform_system: 'Linux', platform_machine: 'aarch64', os_name: 'posix' },
  'macos-arm64': { sys_platform: 'darwin', platform_system: 'Darwin', platform_machine: 'arm64', os_name: 'posix' },
  'macos-x86_64': { sys_platform: 'darwin', platform_system: 'Darwin', platform_machine: 'x86_64', os_name: 'posix' },
  'windows-amd64': { sys_platform: 'win32', platform_system: 'Windows', platform_machine: 'AMD64', os_name: 'nt' },
  'windows-arm64': { sys_platform: 'win32', platform_system: 'Windows', platform_machine: 'ARM64', os_name: 'nt' },
};

/**
 * Lists the free-threaded targets a dependency is judged on: every free-threaded minor × every
 * column of the wheel matrix, each with the marker variables CPython has there. `extra` is set by
 * the caller (the optional group being read, or empty for the main dependencies).
 *
 * @param params
 *   `minors`: free-threaded 3.x minors (default 13, 14, 15); `columns`: matrix column ids
 *   (default: the eight of `DEFAULT_MATRIX_COLUMNS`; unknown ids get unknown platform values).
 * @returns
 *   One target per minor and column, minors first.
 */
export function targetEnvironments(params: { minors?: readonly number[]; columns?: readonly string[] } = {}): TargetEnvironment[] {
  const minors = params.minors ?? DEFAULT_FREE_THREADED_MINORS;
  const columns = params.columns ?? Object.keys(PLATFORMS);
  const targets: TargetEnvironment[] = [];
  for (const minor of minors) {
    for (const column of columns) {
      const platform = PLATFORMS[column];
      const series = `3.${minor}`;
      targets.push({
        python: `${series}t`,
        minor,
        column,
        env: {
          python_version: series,
          python_full_version: { series },
          implementation_name: 'cpython',
          implementation_version: { series },
          platform_python_implementation: 'CPython',
          sys_platform: platform?.sys_platform ?? null,
          platform_system: platform?.platform_system ?? null,
          platform_machine: platform?.platform_machine ?? null,
          os_name: platform?.os_name ?? null,
          platform_release: null,
          platform_version: null,
          extras: null,
          dependency_groups: null,
        },
      });
    }
  }
  return targets;
}
