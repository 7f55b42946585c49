import type { ReadinessCheck, ReadinessStatus } from './check-readiness.js';

/** The JSON contract of `ftbot deps --format json`; field names and order are stable. */
export type ReadinessJson = {
  dependencies: {
    name: string;
    requirement: string;
    marker: string | null;
    status: ReadinessStatus;
    firstFreeThreadedVersion: string | null;
    latestVersion: string | null;
    /** Matrix column → free-threaded Pythons a wheel installs on there, e.g. `{ "windows-amd64": ["3.14t"] }`. */
    platforms: Record<string, string[]>;
    note: string | null;
  }[];
  skipped: { requirement: string; reason: string }[];
  blockers: string[];
};

/**
 * Maps a readiness check to the JSON contract, keeping only what the contract names.
 *
 * @param check
 *   The result of `checkDependencyReadiness` or `checkReadiness`.
 * @returns
 *   A plain object ready for `JSON.stringify`.
 */
export function toReadinessJson(check: ReadinessCheck): ReadinessJson {
  return {
    dependencies: check.dependencies.map((d) => ({
      name: d.name,
      requirement: d.requirement,
      marker: d.marker,
      status: d.status,
      firstFreeThreadedVersion: d.firstFreeThreadedVersion,
      latestVersion: d.latestVersion,
      platforms: d.platforms,
      note: d.note,
    })),
    skipped: check.skipped.map((s) => ({ requirement: s.requirement, reason: s.reason })),
    blockers: [...check.blockers],
  };
}
