import { silentLogger, type Logger, type PackageIndex } from '../ports.js';
import { checkWheels, type WheelCheck } from '../wheels/check-wheels.js';
import { freeThreadedSupport } from '../wheels/free-threaded-support.js';
import { tryParseWheelFilename } from '../wheels/parse-wheel-filename.js';
import { compareVersions, parseVersion, type ParsedVersion } from './compare-versions.js';
import { mapConcurrently } from '../map-concurrently.js';
import type { DeclaredDependency, SkippedRequirement } from './read-dependencies.js';
import type { TargetEnvironment } from './target-environments.js';
import { quote } from './quote.js';

/**
 * - `ready`: compiled wheels for free-threaded CPython (`cp3Yt` or `abi3t`) where the dependency applies;
 * - `pure`: no free-threaded compiled wheel, but a pure-Python wheel that installs everywhere;
 * - `not-ready`: compiled wheels for GIL builds only: a blocker, free-threaded users must build it;
 * - `sdist-only`: no wheels at all; installers build it (fine for pure Python, else needs a compiler);
 * - `unknown`: the index could not answer.
 */
export type ReadinessStatus = 'not-ready' | 'sdist-only' | 'unknown' | 'ready' | 'pure';

export type DependencyReadiness = {
  /** The name as the requirement spells it. */
  name: string;
  /** The requirement as written. */
  requirement: string;
  marker: string | null;
  /** The optional group it was read from; null for runtime dependencies. */
  group: string | null;
  path: string;
  status: ReadinessStatus;
  /** The first final release with a free-threaded wheel, when the index lists releases. */
  firstFreeThreadedVersion: string | null;
  latestVersion: string | null;
  /** For each matrix column the dependency applies to: the free-threaded Pythons a wheel installs on. */
  platforms: Record<string, string[]>;
  note: string | null;
};

export type ReadinessCheck = {
  /** Blockers first (`not-ready`, then `sdist-only`, `unknown`, `ready`, `pure`), then by name. */
  dependencies: DependencyReadiness[];
  skipped: SkippedRequirement[];
  /** Names of the `not-ready` dependencies. */
  blockers: string[];
};

const STATUS_ORDER: Record<ReadinessStatus, number> = { 'not-ready': 0, 'sdist-only': 1, unknown: 2, ready: 3, pure: 4 };

/** Keeps one entry per project: runtime over optional, targets merged. */
function deduplicate(dependencies: readonly DeclaredDependency[]): DeclaredDependency[] {
  const byKey = new Map<string, DeclaredDependency>();
  for (const dep of dependencies) {
    const seen = byKey.get(dep.requirement.key);
    if (seen === undefined) {
      byKey.set(dep.requirement.key, dep);
      continue;
    }
    const first = seen.group !== null && dep.group === null ? dep : seen;
    const ids = new Set(first.targets.map(targetId));
    const targets = [...first.targets, ...[seen, dep].flatMap((d) => d.targets).filter((t) => !ids.has(targetId(t)) && ids.add(targetId(t)))];
    byKey.set(dep.requirement.key, { ...first, targets, markerUndecided: seen.markerUndecided || dep.markerUndecided });
  }
  return [...byKey.values()];
}

function targetId(t: TargetEnvironment): string {
  return `${t.python}|${t.column}`;
}

/**
 * The first final release (no pre- or dev-release) with a wheel for a free-threaded ABI
 * (`cp3Yt`, `abi3t`); yanked files do not count.
 */
function firstFreeThreaded(releases: readonly { version: string; files: readonly { filename: string; yanked?: boolean }[] }[]): string | null {
  const ordered = releases
    .map((r) => ({ ...r, parsed: parseVersion(r.version) }))
    .filter((r): r is typeof r & { parsed: ParsedVersion } => r.parsed !== undefined && r.parsed.pre === undefined && r.parsed.dev === undefined)
    .sort((a, b) => compareVersions(a.parsed, b.parsed));
  for (const release of ordered) {
    const shipped = release.files.some((file) => {
      if (file.yanked === true || !file.filename.endsWith('.whl')) return false;
      const parsed = tryParseWheelFilename(file.filename);
      return parsed.ok && freeThreadedSupport(parsed.wheel).freeThreaded.some((m) => m.route === 'cpython-abi' || m.route === 'abi3t');
    });
    if (shipped) return release.version;
  }
  return null;
}

type Cell = { python: string; column: string; status: 'yes' | 'no' | 'n/a'; route?: string };

/** The matrix cells a dependency's marker lets it reach. */
function applicableCells(check: WheelCheck, targets: readonly TargetEnvironment[]): Cell[] {
  const wanted = new Set(targets.map(targetId));
  const cells: Cell[] = [];
  for (const row of check.matrix?.rows ?? []) {
    for (const cell of row.cells) {
      if (wanted.has(`${row.python}|${cell.column}`)) {
        cells.push({ python: row.python, column: cell.column, status: cell.status, ...(cell.route === undefined ? {} : { route: cell.route }) });
      }
    }
  }
  return cells;
}

/**
 * The gaps of a ready dependency, per Python, in as few words as the cells allow:
 * "No free-threaded wheel for 3.15t. 3.13t wheels only for manylinux-x86_64."
 */
function describeGaps(cells: readonly Cell[]): string | undefined {
  if (!cells.some((c) => c.status === 'no')) return undefined;
  const whole: string[] = [];
  const partial: string[] = [];
  for (const python of [...new Set(cells.map((c) => c.python))]) {
    const row = cells.filter((c) => c.python === python);
    const missing = row.filter((c) => c.status === 'no').map((c) => c.column);
    const present = row.filter((c) => c.status === 'yes').map((c) => c.column);
    if (missing.length === 0) continue;
    if (present.length === 0) whole.push(python);
    else if (present.length < missing.length) partial.push(`${python} wheels only for ${present.join(', ')}`);
    else partial.push(`no ${python} wheel for ${missing.join(', ')}`);
  }
  const sentences = whole.length === 0 ? [] : [`No free-threaded wheel for ${whole.join(', ')}`];
  return joinNotes(...sentences, ...partial) ?? undefined;
}

function hasSdist(check: WheelCheck, files: readonly { filename: string; packageType?: string }[]): boolean {
  return check.wheels.length < files.length && files.some((f) => f.packageType === 'sdist' || /\.(tar\.gz|zip)$/.test(f.filename));
}

/** Joins sentences into one note, each ending in a full stop; null when there is none. */
function joinNotes(...parts: (string | undefined)[]): string | null {
  const sentences = parts.filter((p): p is string => p !== undefined && p !== '').map((p) => `${p.charAt(0).toUpperCase()}${p.slice(1)}`)
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`));
  return sentences.length === 0 ? null : sentences.join(' ');
}

/** What one check may read from the index in all, summed over its answers. */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** The bytes of index answers one check has read so far, against its cap. */
type IndexBudget = { used: number; max: number };

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

async function checkOne(dep: DeclaredDependency, index: PackageIndex, logger: Logger, budget: IndexBudget): Promise<DependencyReadiness> {
  const name = dep.requirement.name;
  const base = {
    name,
    requirement: dep.text,
    marker: dep.requirement.marker,
    group: dep.group,
    path: dep.path,
    firstFreeThreadedVersion: null,
    platforms: {},
  };
  const undecided = dep.markerUndecided ? 'The marker depends on values ftbot cannot know for a target; assumed to apply' : undefined;
  // A dependency list whose answers are huge (project pages listing thousands of files) stops at
  // the budget: the rest are unknown, and say why, instead of the check holding gigabytes.
  if (budget.used >= budget.max) {
    return { ...base, status: 'unknown', latestVersion: null, note: joinNotes(`Not checked: the index's answers in this check passed ${mebibytes(budget.max)}`, undecided) };
  }
  // The release's files are asked for once; the wheel check reads them through this small cache.
  const latest = await index.findRelease({ project: dep.requirement.key });
  if (latest.status === 'ok') budget.used += latest.bytes ?? 0;
  const check = await checkWheels({ project: dep.requirement.key, index: { findRelease: () => Promise.resolve(latest) } });
  if (latest.status === 'unknown' || check.status === 'unknown') {
    logger.debug({ project: name, reason: check.note }, 'dependency unknown');
    return { ...base, status: 'unknown', latestVersion: null, note: joinNotes(check.note ?? 'The index did not answer', undecided) };
  }
  const cells = applicableCells(check, dep.targets);
  const platforms: Record<string, string[]> = {};
  for (const cell of cells) {
    platforms[cell.column] ??= [];
    if (cell.status === 'yes') platforms[cell.column]?.push(cell.python);
  }
  const sdist = hasSdist(check, latest.files);
  const withVersion = { ...base, latestVersion: latest.version, platforms };
  const compiled = cells.some((c) => c.status === 'yes' && c.route !== 'pure-python');
  const pure = cells.some((c) => c.status === 'yes' && c.route === 'pure-python');

  if (check.wheels.length === 0) {
    const note = sdist
      ? 'No wheels: installers build it from the sdist, which needs a compiler unless it is pure Python.'
      : 'The latest release has no wheels and no sdist.';
    return { ...withVersion, status: sdist ? 'sdist-only' : 'unknown', note: joinNotes(note, undecided) };
  }
  if (compiled) {
    const history = index.findReleases === undefined ? undefined : await index.findReleases({ project: dep.requirement.key });
    const first = history?.status === 'ok' ? firstFreeThreaded(history.releases) : null;
    return { ...withVersion, status: 'ready', firstFreeThreadedVersion: first, note: joinNotes(describeGaps(cells), undecided) };
  }
  if (pure) {
    const gilOnly = check.wheels.some((w) => !w.targets.includes('any'));
    const note = gilOnly
      ? 'Installs from its pure-Python wheel; its compiled wheels are for GIL builds only.'
      : 'Pure Python: its wheel installs on every free-threaded build.';
    return { ...withVersion, status: 'pure', note: joinNotes(note, undecided) };
  }
  const note = sdist
    ? 'Compiled wheels for GIL builds only: free-threaded installs build it from the sdist, which needs a compiler and free-threading support in its code.'
    : 'Compiled wheels for GIL builds only and no sdist: it does not install on free-threaded CPython.';
  return { ...withVersion, status: 'not-ready', note: joinNotes(note, undecided) };
}

/**
 * Asks the package index, for each dependency, whether its latest release installs on
 * free-threaded CPython where the dependency applies, and classifies it.
 *
 * Steps:
 * 1. leave out optional groups unless `includeOptional`, saying so in `skipped`;
 * 2. keep one entry per project (runtime over optional);
 * 3. keep the first `maxDependencies`, saying which were left out;
 * 4. check them, at most `concurrency` at once: the latest release's wheels (one request each
 *    with a caching index such as `createPypiIndex`), and for ready ones the first release with
 *    a free-threaded wheel (from the same answer on PyPI); once the answers read add up to
 *    `maxIndexBytes`, the dependencies not yet asked for are `unknown` with a note saying so;
 * 5. order blockers first and list them.
 *
 * @param params
 *   `dependencies` from `readDependencies`; `index`; `maxDependencies` (default 50);
 *   `concurrency` (default 4); `includeOptional` (default false); `logger`.
 * @returns
 *   The classified dependencies, what was skipped and why, and the blockers' names. Index trouble
 *   becomes `unknown`; nothing throws for it.
 */
export async function checkReadiness(params: {
  dependencies: readonly DeclaredDependency[];
  index: PackageIndex;
  maxDependencies?: number;
  concurrency?: number;
  includeOptional?: boolean;
  /** Bytes of index answers read in all (`PackageRelease.bytes`); default `MAX_INDEX_BYTES`. */
  maxIndexBytes?: number;
  logger?: Logger;
}): Promise<ReadinessCheck> {
  const { dependencies, index, maxDependencies = 50, concurrency = 4, includeOptional = false, logger = silentLogger } = params;
  const budget: IndexBudget = { used: 0, max: params.maxIndexBytes ?? MAX_INDEX_BYTES };
  const skipped: SkippedRequirement[] = [];
  // 1. Optional groups.
  const wanted = dependencies.filter((dep) => {
    if (dep.group === null || includeOptional) return true;
    skipped.push({ requirement: dep.text, reason: `optional group ${quote(dep.group)}, not checked`, path: dep.path });
    return false;
  });
  // 2. One entry per project.
  const unique = deduplicate(wanted);
  // 3. The cap.
  const limit = Math.max(0, Math.floor(maxDependencies));
  for (const dep of unique.slice(limit)) {
    skipped.push({ requirement: dep.text, reason: `over the limit of ${limit} ${limit === 1 ? 'dependency' : 'dependencies'} checked`, path: dep.path });
  }
  // 4. Ask the index, a few at a time.
  const checked = await mapConcurrently(unique.slice(0, limit), concurrency, (dep) => checkOne(dep, index, logger, budget));
  // 5. Blockers first.
  checked.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  logger.info({ checked: checked.length, skipped: skipped.length, indexBytes: budget.used }, 'dependency readiness checked');
  return { dependencies: checked, skipped, blockers: checked.filter((d) => d.status === 'not-ready').map((d) => d.name) };
}
