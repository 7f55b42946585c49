import { describePlatformTag, type PlatformInfo } from './describe-platform-tag.js';
import type { ParsedWheel, WheelTag } from './parse-wheel-filename.js';

/**
 * Which free-threaded CPython versions can install a wheel, decided the way installers decide:
 * an installer computes the ordered list of tags the running interpreter supports
 * (pypa/packaging `sys_tags`) and accepts a wheel when any of the wheel's tags is in it.
 *
 * For a free-threaded CPython 3.Y release build that list holds, for its platforms:
 * - `cp3Y-cp3Yt-<plat>`: the version's own free-threaded ABI (the `t` is in the ABI tag only);
 * - `cp3Y-abi3t-<plat>` and `cp3N-abi3t-<plat>` for every N from Y-1 down to 2: the PEP 803
 *   free-threaded stable ABI, listed only by packaging 26.1 and later;
 * - `cp3Y-none-<plat>`, `py3Y-none-<plat>`, `py3-none-<plat>`, `py3N-none-<plat>` for N < Y;
 * - `cp3Y-none-any` and the same `py…-none-any` tags: pure-Python wheels.
 * It never holds `abi3`: free-threaded builds cannot load stable-ABI extensions built for the GIL
 * (`_abi3_applies` is false for them). A debug build (`cp3Ytd`) also accepts `cp3Yt`, but a release
 * build does not accept `cp3Ytd`, so a debug-only wheel does not count.
 */

/** The free-threaded minors the report covers by default: 3.13t, 3.14t and 3.15t. */
export const DEFAULT_FREE_THREADED_MINORS: readonly number[] = [13, 14, 15];

/**
 * The day each CPython 3.x.0 with a free-threaded build was (or is scheduled to be) released: 3.13.0
 * on 2024-10-07 (PEP 719), 3.14.0 on 2025-10-07 (PEP 745), 3.15.0 on 2026-10-01 (PEP 790's
 * schedule). A release uploaded before that day cannot ship wheels for that interpreter.
 */
export const CPYTHON_RELEASE_DATES: Readonly<Record<number, string>> = { 13: '2024-10-07', 14: '2025-10-07', 15: '2026-10-01' };

/**
 * The minors whose CPython had been released when the last of `uploadTimes` was uploaded: a row
 * for a newer interpreter would only ever show "no wheel". Without upload times, all `minors`.
 *
 * @example
 *   releasedMinors([13, 14, 15], ['2025-11-02T10:00:00Z']) // → [13, 14]
 */
export function releasedMinors(minors: readonly number[], uploadTimes: readonly string[]): number[] {
  const times = uploadTimes.map((t) => t.slice(0, 10)).filter((t) => /^\d{4}-\d{2}-\d{2}$/.test(t));
  if (times.length === 0) return [...minors];
  const newest = times.sort().at(-1) ?? '';
  return minors.filter((m) => (CPYTHON_RELEASE_DATES[m] ?? '') <= newest);
}

/**
 * How a wheel reaches a free-threaded interpreter, best first (the installer's preference):
 * - `cpython-abi`: built for that version's free-threaded ABI (`cp314-cp314t`);
 * - `abi3t`: built for the free-threaded stable ABI (`cp315-abi3t`, PEP 803); needs packaging 26.1+;
 * - `none-abi`: a platform wheel without Python ABI (`py3-none-win_amd64`, `cp314-none-…`);
 * - `pure-python`: no ABI, any platform (`py3-none-any`).
 */
export type FreeThreadedRoute = 'cpython-abi' | 'abi3t' | 'none-abi' | 'pure-python';

const ROUTE_RANK: Record<FreeThreadedRoute, number> = { 'cpython-abi': 0, abi3t: 1, 'none-abi': 2, 'pure-python': 3 };

export type FreeThreadedMatch = {
  /** The interpreter, e.g. `3.14t`. */
  python: string;
  minor: number;
  route: FreeThreadedRoute;
  /** The first of the wheel's tags that gives this route. */
  tag: WheelTag;
};

export type WheelSupport = {
  wheel: ParsedWheel;
  /** One entry per free-threaded version that can install the wheel, in version order. */
  freeThreaded: FreeThreadedMatch[];
  /** Free-threaded debug interpreters (`3.14td`) the wheel is built for when no release build takes it. */
  debugOnly: string[];
  /** One entry per platform tag. */
  platforms: PlatformInfo[];
  /** Sorted union of the platforms' targets, e.g. `['macos-arm64', 'macos-x86_64']`. */
  targets: string[];
};

/* `cp313` → 13; `cp3` and `cp27` → undefined. The minor is everything after the major digit. */
const CP3 = /^cp3(\d+)$/;
/* `py313` → 13; `py3` → undefined here (handled on its own). */
const PY3 = /^py3(\d+)$/;

function minorOf(pattern: RegExp, interpreter: string): number | undefined {
  const digits = pattern.exec(interpreter)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

/** The route by which one tag reaches free-threaded 3.`minor`, `debug` for a debug-only tag, or undefined. */
function routeOf(tag: WheelTag, minor: number): FreeThreadedRoute | 'debug' | undefined {
  const { interpreter, abi, platform } = tag;
  const own = `cp3${minor}`;
  if (abi === `${own}t`) return interpreter === own ? 'cpython-abi' : undefined;
  if (abi === `${own}td`) return interpreter === own ? 'debug' : undefined;
  if (abi === 'abi3t') {
    const built = minorOf(CP3, interpreter);
    return built !== undefined && built >= 2 && built <= minor ? 'abi3t' : undefined;
  }
  if (abi !== 'none') return undefined;
  const pyMinor = minorOf(PY3, interpreter);
  const accepted = interpreter === own || interpreter === 'py3' || (pyMinor !== undefined && pyMinor <= minor);
  if (!accepted) return undefined;
  return platform === 'any' ? 'pure-python' : 'none-abi';
}

/**
 * Works out which free-threaded CPython versions and which platforms a wheel serves.
 *
 * @param wheel
 *   A parsed wheel filename.
 * @param options
 *   `minors`: the free-threaded 3.x minors to check (default 13, 14, 15); any later minor works.
 * @returns
 *   The versions with their route, debug-only versions, and the platform targets.
 *
 * @example
 *   freeThreadedSupport(parseWheelFilename('numpy-2.3.0-cp314-cp314t-win_amd64.whl')).freeThreaded
 *   // [{ python: '3.14t', minor: 14, route: 'cpython-abi', tag: { interpreter: 'cp314', abi: 'cp314t', platform: 'win_amd64' } }]
 */
export function freeThreadedSupport(
  wheel: ParsedWheel,
  options: { minors?: readonly number[] } = {},
): WheelSupport {
  const minors = [...(options.minors ?? DEFAULT_FREE_THREADED_MINORS)].sort((a, b) => a - b);
  const freeThreaded: FreeThreadedMatch[] = [];
  const debugOnly: string[] = [];
  for (const minor of minors) {
    let best: FreeThreadedMatch | undefined;
    let debug = false;
    for (const tag of wheel.tags) {
      const route = routeOf(tag, minor);
      if (route === 'debug') debug = true;
      else if (route !== undefined && (best === undefined || ROUTE_RANK[route] < ROUTE_RANK[best.route])) {
        best = { python: `3.${minor}t`, minor, route, tag };
      }
    }
    if (best !== undefined) freeThreaded.push(best);
    else if (debug) debugOnly.push(`3.${minor}td`);
  }
  const platforms = wheel.platforms.map(describePlatformTag);
  const targets = [...new Set(platforms.flatMap((p) => p.targets))].sort();
  return { wheel, freeThreaded, debugOnly, platforms, targets };
}
