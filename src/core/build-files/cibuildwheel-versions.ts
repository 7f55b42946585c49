import type { CibuildwheelOverride } from './pyproject.js';
import type { BuildFileFacts, CibuildwheelConfig } from './read-build-file.js';
import { compareVersions, type Version } from './requirements.js';
import type { CibuildwheelRun } from './workflow-jobs.js';
import { matchGlob } from '../parsing/match-glob.js';

/*
 * The cibuildwheel releases that changed how free-threaded wheels are switched on (cibuildwheel
 * changelog and pull requests):
 * - 2.18.1 adds `cp313t` behind `CIBW_FREE_THREADED_SUPPORT` / `free-threaded-support` (#1831);
 * - 2.22.0 adds `enable = ["cpython-freethreading"]` and deprecates the old option (#2048);
 * - 3.0.0 removes the old option (and `CIBW_PRERELEASE_PYTHONS`); a config file that still sets
 *   `free-threaded-support` is rejected, as every unknown `[tool.cibuildwheel]` key is;
 * - 3.1.0 builds CPython 3.14, `cp314t` included, by default (#2503, #2507);
 * - 3.1.2 stops with an error when the `CIBW_FREE_THREADED_SUPPORT` variable is set (#2520);
 * - 3.4.1 deprecates the 3.13t builds and the `cpython-freethreading` value (#2787);
 * - 4.0.0 removes the 3.13t builds; `cpython-freethreading` is then an unknown enable group, an error;
 * - 4.2.0 builds CPython 3.15, `cp315t` included, by default.
 */
export const cibuildwheelReleases = {
  legacyOptIn: [2, 18, 1],
  enableOptIn: [2, 22, 0],
  legacyRemoved: [3, 0, 0],
  default314t: [3, 1, 0],
  legacyEnvError: [3, 1, 2],
  enableDeprecated: [3, 4, 1],
  enableRemoved: [4, 0, 0],
  default315t: [4, 2, 0],
} as const satisfies Record<string, Version>;

const r = cibuildwheelReleases;
/** True when the run's cibuildwheel is `min` or newer; an unpinned run runs the newest release. */
export const atLeast = (version: Version | undefined, min: Version): boolean => version === undefined || compareVersions(version, min) >= 0;
/** True when the run pins a cibuildwheel older than `max` (never for an unpinned run). */
export const below = (version: Version | undefined, max: Version): boolean => version !== undefined && compareVersions(version, max) < 0;

const platforms = ['manylinux_x86_64', 'manylinux_aarch64', 'musllinux_x86_64', 'win_amd64', 'macosx_arm64', 'macosx_x86_64'];

export function truthy(value: string | undefined): boolean {
  return value !== undefined && /^\s*(1|true|yes|on)\s*$/i.test(value);
}

/** The free-threaded interpreters (`3.13t`, `3.14t`) a cibuildwheel run builds wheels for. */
export function freeThreadedBuilds(run: Pick<CibuildwheelRun, 'version' | 'env'>, config: CibuildwheelConfig | undefined): string[] {
  const version = run.version;
  const env = (name: string): string[] => run.env.get(name)?.values ?? [];
  const enable = [...env('CIBW_ENABLE').flatMap((s) => s.split(/\s+/)), ...(config?.enable ?? [])];
  const legacy = env('CIBW_FREE_THREADED_SUPPORT').some(truthy) || config?.freeThreadedSupport === true;
  const enabled =
    (legacy && atLeast(version, r.legacyOptIn) && below(version, r.legacyRemoved)) ||
    (enable.includes('cpython-freethreading') && atLeast(version, r.enableOptIn) && below(version, r.enableRemoved)) ||
    (enable.includes('all') && atLeast(version, r.legacyRemoved) && below(version, r.enableDeprecated));
  const buildValues = env('CIBW_BUILD');
  const selectors = buildValues.length > 0 ? buildValues.flatMap((s) => s.split(/\s+/).filter(Boolean)) : config?.build;
  const selected = (tag: string): boolean => selectors === undefined || selectors.length === 0 || platforms.some((p) => selectors.some((s) => matchGlob(s, `${tag}-${p}`)));
  const out: string[] = [];
  if (enabled && version !== undefined && atLeast(version, r.legacyOptIn) && selected('cp313t')) out.push('3.13t');
  if (atLeast(version, r.default314t) && selected('cp314t')) out.push('3.14t');
  // Unpinned (the newest release) also builds 3.15t.
  if (atLeast(version, r.default315t) && selected('cp315t')) out.push('3.15t');
  return out;
}

/**
 * A run without a pin in its workflow, pinned by a requirement file its job installs
 * (`pip install -r tools/wheel-requirements.txt` with `cibuildwheel==2.19.2` in it).
 */
export function withFilePin(run: CibuildwheelRun, buildFiles: ReadonlyMap<string, BuildFileFacts>): CibuildwheelRun {
  if (run.version !== undefined || run.requirementFiles.length === 0) return run;
  for (const file of run.requirementFiles) {
    // The path as the job names it, from the scan root or from a sub-project's folder.
    const facts = buildFiles.get(file) ?? [...buildFiles.values()].find((f) => f.path.endsWith(`/${file}`));
    const pin = facts?.pins.find((p) => p.tool === 'cibuildwheel');
    const max = pin?.requirement.max;
    if (pin === undefined || max === undefined) continue;
    const version: Version = max.inclusive ? max.version : max.version[1] === 0 && max.version[2] === 0 ? [max.version[0] - 1, 99, 0] : [max.version[0], Math.max(0, max.version[1] - 1), 99];
    return { ...run, version, versionText: `${pin.requirement.spec.replace(/^==/, '')} (pinned in ${file})` };
  }
  return run;
}

/** A free-threading opt-in as a job or a `[tool.cibuildwheel]` table writes it. */
export type OptIn = 'legacy' | 'enable';

/**
 * What a cibuildwheel release does with a free-threading opt-in it does not have: `ok` when it
 * reads it (or when no release before it could build free-threaded wheels at all, FT036's case),
 * `ignored` when it builds without it, `error` when it stops. `where` is `env` for a `CIBW_*`
 * variable, `config` for a `[tool.cibuildwheel]` key (an unknown key there is always an error).
 */
export function optInVerdict(optIn: OptIn, version: Version, where: 'env' | 'config'): 'ok' | 'ignored' | 'error' {
  if (below(version, r.legacyOptIn)) return 'ok';
  if (optIn === 'legacy') {
    if (below(version, r.legacyRemoved)) return 'ok';
    return where === 'config' || atLeast(version, r.legacyEnvError) ? 'error' : 'ignored';
  }
  if (below(version, r.enableOptIn)) return where === 'config' ? 'error' : 'ignored';
  return below(version, r.enableRemoved) ? 'ok' : 'error';
}

/** The opt-in that is right for a pinned release, as `where` writes it; undefined when none is needed or possible. */
export function rightOptIn(version: Version, where: 'env' | 'config'): string | undefined {
  if (below(version, r.legacyOptIn) || atLeast(version, r.enableRemoved)) return undefined;
  if (below(version, r.enableOptIn)) return where === 'env' ? '`CIBW_FREE_THREADED_SUPPORT: 1`' : '`free-threaded-support = true`';
  return where === 'env' ? '`CIBW_ENABLE: cpython-freethreading`' : '`enable = ["cpython-freethreading"]`';
}

/** A `CIBW_*` free-threading opt-in of a pinned run that its release does not read (FT032 reports it). */
export type MisreadOptIn = { optIn: OptIn; name: string; verdict: 'ignored' | 'error'; start: number; end: number };

/**
 * The opt-ins a pinned run sets in its `env` that its cibuildwheel release ignores or rejects,
 * in file order. Worked example: `CIBW_FREE_THREADED_SUPPORT: 1` on `pypa/cibuildwheel@v3.2.0`
 * → one entry, verdict `error` (3.1.2 and later stop on the variable).
 */
export function misreadOptIns(run: Pick<CibuildwheelRun, 'version' | 'env'>): MisreadOptIn[] {
  const version = run.version;
  if (version === undefined) return [];
  const out: MisreadOptIn[] = [];
  const legacy = run.env.get('CIBW_FREE_THREADED_SUPPORT');
  if (legacy !== undefined) {
    const verdict = optInVerdict('legacy', version, 'env');
    if (verdict !== 'ok') out.push({ optIn: 'legacy', name: 'CIBW_FREE_THREADED_SUPPORT', verdict, start: legacy.start, end: legacy.end });
  }
  const enable = run.env.get('CIBW_ENABLE');
  if (enable !== undefined && enable.values.some((value) => value.split(/\s+/).includes('cpython-freethreading'))) {
    const verdict = optInVerdict('enable', version, 'env');
    if (verdict !== 'ok') out.push({ optIn: 'enable', name: 'CIBW_ENABLE: cpython-freethreading', verdict, start: enable.start, end: enable.end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The free-threading opt-ins a `[tool.cibuildwheel]` table sets. */
export function configOptIns(config: Pick<CibuildwheelConfig, 'enable' | 'freeThreadedSupport'>): OptIn[] {
  const out: OptIn[] = [];
  if (config.freeThreadedSupport) out.push('legacy');
  if (config.enable.includes('cpython-freethreading')) out.push('enable');
  return out;
}

/** True for `CIBW_SKIP` / `skip` selectors that leave free-threaded builds out (`*t-*`, `cp31?t-*`, `*t*`). */
export function skipsFreeThreaded(selectors: readonly string[]): boolean {
  return selectors.some((s) => /t-|t\*|\?t/.test(s));
}

/**
 * True when a run leaves free-threaded wheels out on purpose: a job that builds abi3 (limited-API)
 * wheels by its name or its `CIBW_*` values, or one whose `CIBW_SKIP` skips `t` builds.
 */
export function leavesFreeThreadedOut(jobId: string, run: Pick<CibuildwheelRun, 'env'>): boolean {
  if (/abi3|limited/i.test(jobId) || [...run.env.values()].some((e) => e.values.some((x) => /abi3|limited.api/i.test(x)))) return true;
  return skipsFreeThreaded(run.env.get('CIBW_SKIP')?.values ?? []);
}

/**
 * What makes a `[[tool.cibuildwheel.overrides]]` entry build or check limited-API (abi3) wheels,
 * with how sure that is; undefined when nothing does:
 * - abi3audit run on each wheel (`test-command` or `repair-wheel-command` with `{wheel}`, not behind
 *   a test of the wheel's name for `abi3`): it
 *   cannot audit a free-threaded wheel, which is never abi3; `--strict` then fails the build
 *   (`strict`), without it each such wheel gets an auditing error and no check (`lenient`);
 * - an `environment` variable named for the limited API or abi3 set to a true value
 *   (`LXML_LIMITED_API = "true"`): the project's build script decides what it does (`project`).
 * A build back-end's own abi3 setting (scikit-build-core's `wheel.py-api`, setuptools'
 * `py_limited_api` wheel option) is not one: both leave free-threaded builds version-specific.
 */
export function limitedApiOverride(override: CibuildwheelOverride): { quote: string; kind: 'strict' | 'lenient' | 'project' } | undefined {
  // A command that tests the wheel's name first (`case "$(basename {wheel})" in *-abi3-*) abi3audit …`)
  // audits only the abi3 wheels.
  const filtered = override.commands.replace(/abi3audit/g, '').includes('abi3');
  const audit = filtered ? null : /\babi3audit\b[^\n]*\{wheel\}/.exec(override.commands);
  if (audit !== null && /\s(?:--strict|-S)(?=\s|$)/.test(audit[0])) return { quote: audit[0].trim(), kind: 'strict' };
  for (const [key, value] of Object.entries(override.environment)) {
    if (/LIMITED_API|ABI3/i.test(key) && truthy(value)) return { quote: `${key} = "${value}"`, kind: 'project' };
  }
  return audit === null ? undefined : { quote: audit[0].trim(), kind: 'lenient' };
}

/** The platform tags of the builds cibuildwheel knows, for matching selectors (`*linux_armv7l`). */
const allPlatforms = [
  ...['x86_64', 'i686', 'aarch64', 'ppc64le', 's390x', 'armv7l', 'riscv64'].flatMap((arch) => [`manylinux_${arch}`, `musllinux_${arch}`]),
  'win_amd64',
  'win32',
  'win_arm64',
  'macosx_x86_64',
  'macosx_arm64',
  'macosx_universal2',
];

/** Architectures built without being asked for (`archs = "auto"` on the usual runners). */
const nativeArchs = /(?:x86_64|i686|aarch64|amd64|win32|arm64|universal2)$/;

/**
 * The free-threaded build identifiers (`cp314t-manylinux_armv7l`) that `select` matches among
 * those a project builds: `tags` (`3.14t`) on every platform its `build` and `skip` allow, where
 * the architecture is native to a runner or asked for (`archs`, `CIBW_ARCHS*`).
 */
export function selectedFreeThreaded(select: readonly string[], tags: readonly string[], config: Pick<CibuildwheelConfig, 'build' | 'skip' | 'archs'>, requestedArchs: readonly string[]): string[] {
  const archs = [...config.archs, ...requestedArchs].map((a) => a.toLowerCase());
  const out: string[] = [];
  for (const tag of tags) {
    const cp = `cp${tag.replace('.', '').replace(/t$/, '')}t`;
    for (const platform of allPlatforms) {
      const id = `${cp}-${platform}`;
      if (!select.some((s) => matchGlob(s, id))) continue;
      if (config.build !== undefined && config.build.length > 0 && !config.build.some((s) => matchGlob(s, id))) continue;
      if (config.skip.some((s) => matchGlob(s, id))) continue;
      const arch = platform.replace(/^(?:many|musl)linux_|^win_|^macosx_/, '');
      if (!nativeArchs.test(platform) && !archs.some((a) => a === 'all' || a === arch)) continue;
      out.push(id);
    }
  }
  return out;
}
