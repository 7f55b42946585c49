import { DEFAULT_FREE_THREADED_MINORS, type FreeThreadedRoute, type WheelSupport } from './free-threaded-support.js';

/** One column of the matrix: a platform target and its label. */
export type MatrixColumn = {
  /** A `<family>-<cpu>` target as produced by `describePlatformTag`, e.g. `manylinux-x86_64`. */
  id: string;
  label: string;
};

/** The platforms most users install on; the default columns. */
export const DEFAULT_MATRIX_COLUMNS: readonly MatrixColumn[] = [
  { id: 'manylinux-x86_64', label: 'manylinux x86_64' },
  { id: 'manylinux-aarch64', label: 'manylinux aarch64' },
  { id: 'musllinux-x86_64', label: 'musllinux x86_64' },
  { id: 'musllinux-aarch64', label: 'musllinux aarch64' },
  { id: 'macos-arm64', label: 'macOS arm64' },
  { id: 'macos-x86_64', label: 'macOS x86_64' },
  { id: 'windows-amd64', label: 'Windows amd64' },
  { id: 'windows-arm64', label: 'Windows arm64' },
];

/**
 * Operating systems for which no free-threaded CPython build is distributed, so no wheel can be
 * expected: cibuildwheel lists free-threaded identifiers for manylinux, musllinux, macOS and
 * Windows only, none for iOS, Android or Pyodide/Emscripten (cibuildwheel docs, options page).
 * None of the default columns is among them, so the default matrix has no `n/a` cell; a caller
 * who adds such a column gets `n/a` unless a wheel does cover it.
 */
const NO_FREE_THREADED_BUILD: ReadonlySet<string> = new Set(['android', 'ios', 'pyemscripten', 'pyodide', 'emscripten']);

export type MatrixCell = {
  column: string;
  /** `yes`: a wheel installs; `no`: none does; `n/a`: no free-threaded interpreter exists there. */
  status: 'yes' | 'no' | 'n/a';
  /** The wheel an installer would pick, when `status` is `yes`. */
  wheel?: string;
  route?: FreeThreadedRoute;
};

export type MatrixRow = {
  /** The interpreter, e.g. `3.14t`. */
  python: string;
  cells: MatrixCell[];
};

export type TagMatrix = {
  pythons: string[];
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /**
   * A pure-Python wheel of the release (`py3-none-any` or similar) that installs on every row,
   * when there is one; no cell is `no` then.
   */
  pureWheel: string | null;
  /** True when some wheel installs on some free-threaded version, on any platform (not only the columns). */
  anyFreeThreaded: boolean;
};

/** Whether a wheel's targets cover a column: `any` covers every column. */
function covers(support: WheelSupport, column: string): boolean {
  return support.targets.includes(column) || support.targets.includes('any');
}

/**
 * Builds the Python × platform matrix of free-threaded wheel coverage.
 *
 * In each cell the wheel shown is the one an installer prefers: a wheel for the version's own
 * free-threaded ABI, then an `abi3t` wheel, then an ABI-less platform wheel, then a pure-Python
 * wheel; among equals, the first in the input order.
 *
 * @param supports
 *   The analysed wheels of one release (see `freeThreadedSupport`).
 * @param options
 *   `minors`: rows as 3.x minors (default 13, 14, 15); `columns`: platform targets
 *   (default {@link DEFAULT_MATRIX_COLUMNS}).
 * @returns
 *   Rows in version order, cells in column order, and the release's pure-Python wheel if any.
 */
export function buildTagMatrix(
  supports: readonly WheelSupport[],
  options: { minors?: readonly number[]; columns?: readonly MatrixColumn[] } = {},
): TagMatrix {
  const minors = [...(options.minors ?? DEFAULT_FREE_THREADED_MINORS)].sort((a, b) => a - b);
  const columns = [...(options.columns ?? DEFAULT_MATRIX_COLUMNS)];
  const rank: Record<FreeThreadedRoute, number> = { 'cpython-abi': 0, abi3t: 1, 'none-abi': 2, 'pure-python': 3 };

  const rows = minors.map((minor): MatrixRow => {
    const python = `3.${minor}t`;
    const cells = columns.map((column): MatrixCell => {
      let best: { wheel: string; route: FreeThreadedRoute } | undefined;
      for (const support of supports) {
        const match = support.freeThreaded.find((m) => m.minor === minor);
        if (match === undefined || !covers(support, column.id)) continue;
        if (best === undefined || rank[match.route] < rank[best.route]) {
          best = { wheel: support.wheel.filename, route: match.route };
        }
      }
      if (best !== undefined) return { column: column.id, status: 'yes', wheel: best.wheel, route: best.route };
      const os = column.id.split('-')[0] ?? '';
      return { column: column.id, status: NO_FREE_THREADED_BUILD.has(os) ? 'n/a' : 'no' };
    });
    return { python, cells };
  });

  // Pure-Python for every row, not only some: `cp314-none-any` serves 3.14t alone.
  const pure = supports.find(
    (s) => s.targets.includes('any') && minors.every((minor) => s.freeThreaded.some((m) => m.minor === minor)),
  );
  return {
    pythons: rows.map((r) => r.python),
    columns,
    rows,
    pureWheel: pure?.wheel.filename ?? null,
    anyFreeThreaded: supports.some((s) => s.freeThreaded.length > 0),
  };
}
