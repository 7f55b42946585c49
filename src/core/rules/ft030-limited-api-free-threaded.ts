import { freeThreadedBuilds, leavesFreeThreadedOut, limitedApiOverride, selectedFreeThreaded, skipsFreeThreaded, withFilePin } from '../build-files/cibuildwheel-versions.js';
import { tomlTableKey } from '../build-files/parse-toml.js';
import type { CibuildwheelConfig } from '../build-files/read-build-file.js';
import type { CibuildwheelRun } from '../build-files/workflow-jobs.js';
import { defineRule, type ReportDescriptor } from '../engine/define-rule.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import { enclosingHeaders, namesDerivedFrom } from '../parsing/python-blocks.js';

// setuptools: `Extension(..., py_limited_api=True)`, a `Py_LIMITED_API` macro, or the
// bdist_wheel option (`py_limited_api = cp39` in setup.cfg, `py-limited-api` in pyproject).
const limitedApi = /\bpy_limited_api\s*=\s*True\b|["']Py_LIMITED_API["']|^\s*py[-_]limited[-_]api\s*=\s*["']?cp3\d+|["']py_limited_api["']\s*:\s*["']cp3\d+/m;
// PyO3: an `abi3*` feature of `pyo3` / `pyo3-ffi` in `Cargo.toml` (`pyo3 = { features = ["abi3-py39"] }`),
// or a `"pyo3/abi3-py39"` feature that every build turns on: Cargo's `default` features or
// `[tool.maturin] features`. An opt-in feature (`abi3 = ["pyo3/abi3-py39"]`) is the fix, not the problem.
const pyo3Dependency = /^[ \t]*pyo3(?:-ffi)?[ \t]*=[ \t]*\{[^\n]*?\bfeatures[ \t]*=[ \t]*\[[^\]]{0,500}?["']abi3[\w-]*["']/gm;
const pyo3Table = /^\[(?:workspace\.)?dependencies\.pyo3(?:-ffi)?\][^[]{0,2000}?^[ \t]*features[ \t]*=[ \t]*\[[^\]]{0,500}["']abi3[\w-]*["']/gm;
const forwardedFeature = /^[ \t]*(?:default|features)[ \t]*=[ \t]*\[[^\]]{0,500}?["']pyo3(?:-ffi)?\/abi3[\w-]*["']/gm;

/**
 * The PyO3 abi3 features of a `Cargo.toml` or `pyproject.toml` (comments already blanked), each
 * with whether a `pyo3` / `pyo3-ffi` dependency turns it on itself (`dependency`) or a feature
 * list forwards it (`forwarded`).
 */
function pyo3Abi3(code: string): Array<{ start: number; end: number; dependency: boolean }> {
  const out: Array<{ start: number; end: number; dependency: boolean }> = [];
  for (const pattern of [pyo3Dependency, pyo3Table, forwardedFeature]) {
    for (const m of code.matchAll(pattern)) {
      const start = m.index + (m[0].length - m[0].trimStart().length);
      if (!out.some((r) => start < r.end && r.start < m.index + m[0].length)) out.push({ start, end: m.index + m[0].length, dependency: pattern !== forwardedFeature });
    }
  }
  return out;
}

/**
 * Where the opt-in `abi3` Cargo feature of the fix goes, for a `pyo3` dependency that turns abi3
 * on in `cargoPath`: the crate's `[features]` table (its `default` list, which keeps abi3 for
 * the builds that take the default features, else the table's header), and the `features` list
 * of the `[tool.maturin]` table beside the crate (or at the scan root), which can turn the
 * feature on for the GIL builds instead.
 */
function abi3FeaturePlaces(cargoPath: string, code: string, project: ProjectFacts): NonNullable<ReportDescriptor<Messages>['related']> {
  const out: NonNullable<ReportDescriptor<Messages>['related']> = [];
  const table = tomlTableKey(code, /^\[features\][ \t]*$/m, 'default');
  if (table !== undefined) {
    out.push({ start: table.key ?? table.table, message: table.key === undefined ? 'The `[features]` table, where an opt-in `abi3 = ["pyo3/abi3-…"]` feature goes' : 'The default features, which keep an opt-in `abi3` feature on for the builds that do not turn them off' });
  }
  const folder = cargoPath.includes('/') ? cargoPath.slice(0, cargoPath.lastIndexOf('/') + 1) : '';
  const pyproject = project.buildFiles.get(`${folder}pyproject.toml`) ?? project.buildFiles.get('pyproject.toml');
  if (pyproject?.maturinFeatures !== undefined) out.push({ path: pyproject.path, at: pyproject.maturinFeatures, message: "maturin's `features`, which can turn an opt-in `abi3` feature on for the GIL builds only" });
  return out;
}

/** The project's `[tool.cibuildwheel]` table and every cibuildwheel run of its workflows (pinned by requirement files where they are). */
function cibuildwheelRuns(project: ProjectFacts): { config: CibuildwheelConfig | undefined; runs: Array<{ job: string; run: CibuildwheelRun }> } {
  const config = [...project.buildFiles.values()].find((f) => f.cibuildwheel !== undefined)?.cibuildwheel;
  const runs = [...project.buildFiles.values()].flatMap((f) => (f.workflow?.jobs ?? []).flatMap((job) => job.cibuildwheel.map((run) => ({ job: job.id, run: withFilePin(run, project.buildFiles) }))));
  return { config, runs };
}

type Messages = 'abi3' | 'pyo3' | 'macro' | 'audit' | 'auditLater' | 'override';
/** What the helpers below use of the rule's context (the rule never carries a fix). */
type Context = { path: string; text: string; project: ProjectFacts; report: (descriptor: Omit<ReportDescriptor<Messages>, 'fix'>) => void };

/**
 * A workflow job that builds wheels with cibuildwheel and then runs abi3audit over every wheel of
 * the folder: free-threaded wheels are never abi3, so abi3audit cannot audit them (an error for
 * each, and the step fails under `--strict`). Reported when the job builds them, and, as the
 * next step of the port, when it builds none yet without leaving them out on purpose (FT036).
 */
function auditedWorkflow(ctx: Context): void {
  const jobs = ctx.project.buildFiles.get(ctx.path)?.workflow?.jobs ?? [];
  const { config } = cibuildwheelRuns(ctx.project);
  for (const job of jobs) {
    const first = job.cibuildwheel[0];
    if (first === undefined || job.abi3Audits.length === 0) continue;
    const run = withFilePin(first, ctx.project.buildFiles);
    if (leavesFreeThreadedOut(job.id, run) || skipsFreeThreaded(config?.skip ?? [])) continue;
    const built = freeThreadedBuilds(run, config);
    for (const audit of job.abi3Audits) {
      const strict = /\s(?:--strict|-S)(?=\s|$)/.test(ctx.text.slice(audit.start, audit.end));
      const data = { job: job.id, tags: built.join(', '), outcome: strict ? '`--strict` makes the step fail on them' : 'it logs an auditing error for each and checks nothing in them' };
      const severity = strict ? ('warning' as const) : ('info' as const);
      ctx.report({ start: audit.start, end: audit.end, messageId: built.length > 0 ? 'audit' : 'auditLater', symbol: job.id, data, severity });
    }
  }
}

/**
 * The `[[tool.cibuildwheel.overrides]]` entries that build or check limited-API wheels for
 * platforms whose free-threaded builds the project makes too (lxml's `*linux_armv7l` entry with
 * `LXML_LIMITED_API` and an abi3audit test). The fix is to skip those `t` builds, so a `skip`
 * list that names the platforms is where the finding goes; without one, the entry.
 */
function limitedApiOverrides(ctx: Context): void {
  const config = ctx.project.buildFiles.get(ctx.path)?.cibuildwheel;
  if (config === undefined || config.overrides.length === 0) return;
  const { runs } = cibuildwheelRuns(ctx.project);
  const tags = [...new Set(runs.filter(({ job, run }) => !leavesFreeThreadedOut(job, run)).flatMap(({ run }) => freeThreadedBuilds(run, config)))];
  if (tags.length === 0) return;
  const requested = runs.flatMap(({ run }) => ['CIBW_ARCHS', 'CIBW_ARCHS_LINUX', 'CIBW_ARCHS_MACOS', 'CIBW_ARCHS_WINDOWS'].flatMap((n) => run.env.get(n)?.values ?? [])).flatMap((v) => v.split(/[\s,]+/));
  const headers = [...ctx.text.matchAll(/^\[\[tool\.cibuildwheel\.overrides\]\][^\n]*/gm)];
  config.overrides.forEach((override, i) => {
    const reason = limitedApiOverride(override);
    if (reason === undefined) return;
    const ids = selectedFreeThreaded(override.select, tags, config, requested);
    if (ids.length === 0) return;
    const platforms = [...new Set(ids.map((id) => id.slice(id.indexOf('-') + 1)))];
    const arches = [...new Set(platforms.map((p) => p.replace(/^(?:many|musl)linux_/, '')))];
    const header = headers[i];
    const entryStart = header?.index ?? config.start;
    const entryEnd = header === undefined ? entryStart : entryStart + header[0].length;
    const skip = skipEntries(ctx.text, config.start, arches);
    const data = { reason: reason.quote, builds: ids.slice(0, 4).map((id) => `\`${id}\``).join(', ') + (ids.length > 4 ? ', …' : ''), skips: arches.map((a) => `\`cp3??t-*_${a}\``).join(', ') };
    const related = skip === undefined ? undefined : [{ start: entryStart, message: 'The override that builds them with the limited API' }];
    // abi3audit without `--strict` only logs an error for each free-threaded wheel; what a
    // project's own variable does is its build script's business (often checked there).
    const weight = reason.kind === 'strict' ? {} : reason.kind === 'project' ? { confidence: 'low' as const } : { severity: 'info' as const };
    ctx.report({ ...(skip ?? { start: entryStart, end: entryEnd }), messageId: 'override', symbol: '<build>', data, ...weight, ...(related === undefined ? {} : { related }) });
  });
}

/**
 * In the `[tool.cibuildwheel]` table's `skip` list, the span of the entries that name one of
 * `arches` (`"cp39-*_ppc64le"`): where the `t` builds of those platforms are skipped alongside.
 */
function skipEntries(text: string, tableStart: number, arches: readonly string[]): { start: number; end: number } | undefined {
  const table = text.slice(tableStart);
  const skip = /^skip[ \t]*=[ \t]*(\[[^\]]*\]|"[^"\n]*"|'[^'\n]*')/m.exec(table.slice(0, /^\[(?!tool\.cibuildwheel\])/m.exec(table.slice(1))?.index ?? table.length));
  if (skip === null) return undefined;
  const valueStart = tableStart + skip.index + skip[0].length - (skip[1] ?? '').length;
  const entries = [...(skip[1] ?? '').matchAll(/["']([^"'\n]+)["']/g)].filter((m) => arches.some((a) => (m[1] ?? '').endsWith(`_${a}`) || (m[1] ?? '').endsWith(`-${a}`)));
  const first = entries[0];
  const last = entries.at(-1);
  if (first === undefined || last === undefined) return { start: tableStart + skip.index, end: valueStart + (skip[1] ?? '').length };
  return { start: valueStart + first.index, end: valueStart + last.index + last[0].length };
}

// The guide's recipe turns the limited API off on free-threaded builds.
const freeThreadedGuard = /Py_GIL_DISABLED|free_?threaded/i;

export default defineRule({
  meta: {
    id: 'FT030',
    name: 'limited-api-free-threaded',
    title: 'Limited-API (abi3) build that free-threaded Pythons cannot use',
    category: 'build',
    why: 'Before Python 3.15 the limited API does not cover the free-threaded build: `Python.h` rejects `Py_LIMITED_API` with `Py_GIL_DISABLED`, so no free-threaded wheel is built.',
    targets: ['setup-py', 'setup-cfg', 'pyproject', 'cargo', 'workflow'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['py_limited_api', 'Py_LIMITED_API', 'py-limited-api', 'abi3'],
    messages: {
      abi3: 'The build targets the limited API (abi3), which free-threaded CPython 3.13 and 3.14 cannot build or load',
      pyo3: 'Every maturin build turns on PyO3\'s `abi3` feature, which free-threaded CPython 3.13 and 3.14 do not support',
      macro: '`Py_LIMITED_API` is defined for every build, free-threaded ones included, although this script turns the limited API off for them elsewhere',
      audit: '`abi3audit` checks every wheel the `{{job}}` job builds, but its free-threaded wheels ({{tags}}) are never abi3: {{outcome}}',
      auditLater: '`abi3audit` checks every wheel the `{{job}}` job builds, and the free-threaded wheels it is to build are never abi3: {{outcome}}',
      override: 'A cibuildwheel override builds or audits limited-API (abi3) wheels (`{{reason}}`) on platforms whose free-threaded builds are not skipped ({{builds}}), which are never abi3',
    },
    help: {
      abi3: 'Turn the limited API off when `sysconfig.get_config_var("Py_GIL_DISABLED")` is true, or target `abi3t` from Python 3.15',
      pyo3: 'Make `abi3` an opt-in Cargo feature (`abi3 = ["pyo3/abi3-py39"]`) that only the GIL wheel builds enable',
      macro: 'Define the macro under the same check as the rest: `define_macros=[("Py_LIMITED_API", ...)] if USE_ABI3 else []`',
      audit: 'Audit only the abi3 wheels (`wheelhouse/*-abi3-*.whl`)',
      auditLater: 'Audit only the abi3 wheels (`wheelhouse/*-abi3-*.whl`)',
      override: 'Skip the free-threaded builds of those platforms ({{skips}}), or build them without the limited API',
    },
  },
  // abi3audit in a workflow, and cibuildwheel overrides, are often written in strings, where triggers are not looked for.
  prefilter: (text, target) => ((target === 'workflow' && text.includes('abi3audit')) || (target === 'pyproject' && text.includes('cibuildwheel.overrides')) ? [0] : []),
  check(ctx) {
    if (ctx.target === 'workflow') {
      auditedWorkflow(ctx);
      return;
    }
    if (ctx.path.endsWith('pyproject.toml')) limitedApiOverrides(ctx);
    // Comments never configure a build: blank them (keeping offsets) before matching.
    const code = ctx.text.replace(/#[^\n]*/g, (c) => ' '.repeat(c.length));
    // Only maturin builds: setuptools-rust builds free-threaded wheels of an `abi3` crate as
    // version-specific ones (rustworkx ships `cp314t` wheels with `abi3-py310` on).
    const maturin = [...ctx.project.buildFiles.values()].some((f) => f.pins.some((p) => p.tool === 'maturin'));
    if (ctx.path.endsWith('.toml') && maturin) {
      // Informational: PyO3 can still build version-specific `t` wheels of such a crate.
      for (const r of pyo3Abi3(code)) {
        const related = r.dependency && ctx.path.endsWith('Cargo.toml') ? abi3FeaturePlaces(ctx.path, code, ctx.project) : [];
        ctx.report({ start: r.start, end: r.end, messageId: 'pyo3', symbol: '<build>', severity: 'info', confidence: 'low', ...(related.length === 0 ? {} : { related }) });
      }
    }
    if (ctx.path.endsWith('.toml')) {
      if (ctx.path.endsWith('Cargo.toml')) return;
    }
    const guarded = freeThreadedGuard.test(code);
    // A file that cannot hold a condition (setup.cfg, pyproject.toml) and mentions the free-threaded
    // build is taken as handled.
    if (guarded && !ctx.path.endsWith('.py')) return;
    // In a build script the check is per place: a setting under `if not FREE_THREADED:` or followed
    // by `if USE_ABI3 else ...` is handled; one the condition does not reach is not.
    const guardNames = guarded ? [...namesDerivedFrom(code, freeThreadedGuard)] : [];
    // One pattern for every name computed from the check (Python names are word characters), built once.
    const namesPattern = guardNames.length === 0 ? undefined : new RegExp(`\\b(?:${guardNames.join('|')})\\b`);
    const mentionsGuard = (s: string): boolean => freeThreadedGuard.test(s) || namesPattern?.test(s) === true;
    const handled = (start: number, end: number): boolean => {
      const lineEnd = code.indexOf('\n', end);
      const rest = code.slice(end, lineEnd < 0 ? code.length : lineEnd);
      if (/\bif\b/.test(rest) && mentionsGuard(rest)) return true;
      return enclosingHeaders(code, start).some((h) => h.keyword !== 'def' && h.keyword !== 'class' && mentionsGuard(h.text));
    };
    // Every place that forces the limited API is one edit of the port (the `Extension` option,
    // the macro, the wheel tag): each is reported.
    const limitedApiAll = new RegExp(limitedApi.source, 'gm');
    for (const match of code.matchAll(limitedApiAll)) {
      const start = match.index + (match[0].length - match[0].trimStart().length);
      const end = match.index + match[0].length;
      const macroOnly = match[0].includes('Py_LIMITED_API');
      // In a file that handles the free-threaded build, only an unhandled `Py_LIMITED_API` macro is
      // certain to break it (`Python.h` stops with an error): setuptools names the module with a
      // suffix the interpreter lists, and its wheel command keeps the abi3 tag off free-threaded
      // interpreters (pypa/setuptools#4424).
      if (guarded && (!macroOnly || handled(start, end))) continue;
      // A `Py_LIMITED_API` macro in a build script is often behind an opt-in option (lxml's
      // `--lxml-limited-api`): low confidence; `py_limited_api=True` is a plain statement. A macro
      // the free-threaded check of the same script does not reach is a plain mistake.
      if (guarded) ctx.report({ start, end, messageId: 'macro', symbol: '<build>' });
      else ctx.report({ start, end, messageId: 'abi3', symbol: '<build>', ...(macroOnly ? { confidence: 'low' as const } : {}) });
    }
  },
});
