import { below, configOptIns, freeThreadedBuilds, leavesFreeThreadedOut, misreadOptIns, optInVerdict, withFilePin } from '../build-files/cibuildwheel-versions.js';
import type { CibuildwheelConfig } from '../build-files/read-build-file.js';
import { compareVersions, type Version } from '../build-files/requirements.js';
import type { CibuildwheelRun } from '../build-files/workflow-jobs.js';
import { defineRule } from '../engine/define-rule.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import { matchGlob } from '../parsing/match-glob.js';

const v = (major: number, minor: number, patch = 0): Version => [major, minor, patch];

/** The configuration without its `build` selector. */
function withoutBuild(config: CibuildwheelConfig): CibuildwheelConfig {
  const { build: _build, ...rest } = config;
  return rest;
}

/**
 * True for a `CIBW_BUILD` selection that builds no CPython 3.13 or later (`cp27-* pp27-*`) or a
 * single CPython version (`cp313-manylinux*`): a legacy or smoke-test job, not the release build.
 */
function sideJob(values: string[] | undefined): boolean {
  const selectors = (values ?? []).flatMap((s) => s.split(/\s+/).filter(Boolean));
  if (selectors.length === 0) return false;
  const recent = ['cp313', 'cp313t', 'cp314', 'cp314t', 'cp315', 'cp315t'];
  if (!selectors.some((s) => recent.some((tag) => matchGlob(s, `${tag}-manylinux_x86_64`) || matchGlob(s, `${tag}-win_amd64`) || matchGlob(s, `${tag}-macosx_arm64`)))) return true;
  const minors = new Set(selectors.map((s) => /^cp3(\d+)(?=[-*])/.exec(s)?.[1] ?? 'any'));
  return minors.size === 1 && !minors.has('any');
}

/** The end of the step that runs cibuildwheel, without the blank lines and comments after it. */
function stepEnd(text: string, run: CibuildwheelRun): number {
  const step = text.slice(run.start, run.end);
  const lines = step.split('\n');
  while (lines.length > 1 && /^\s*(?:#.*)?$/.test(lines.at(-1) ?? '')) lines.pop();
  return run.start + lines.join('\n').length;
}

/**
 * A fix that appends `tags` to a `CIBW_BUILD` written as one literal on one line
 * (`"cp39-* cp310-*"` → `"cp39-* cp310-* cp314t-*"`, inside its quotes); none for a matrix
 * expression or a block value.
 */
function appendToBuild(text: string, build: { values: string[]; start: number; end: number }, tags: string): { fix?: { edits: Array<{ start: number; end: number; text: string }> } } {
  const value = text.slice(build.start, build.end);
  if (build.values.length !== 1 || value.includes('${{') || value.includes('\n')) return {};
  const closing = text[build.end - 1];
  const at = closing === '"' || closing === "'" ? build.end - 1 : build.end;
  return { fix: { edits: [{ start: at, end: at, text: tags }] } };
}

/**
 * The `[tool.cibuildwheel]` block of a `pyproject.toml`, judged with the cibuildwheel releases the
 * workflows pin: one finding when no run builds a free-threaded wheel with it and no run opts in
 * through its own `CIBW_*` variables (then the block is where the fix goes). Unpinned runs use
 * the newest release, which builds `cp314t` unless `build` leaves it out.
 */
function configGap(path: string, source: string, project: ProjectFacts): { start: number; end: number; data: Record<string, string> } | undefined {
  const config = project.buildFiles.get(path)?.cibuildwheel;
  if (config === undefined) return undefined;
  const runs = [...project.buildFiles.values()].flatMap((f) => (f.workflow?.jobs ?? []).flatMap((job) => job.cibuildwheel.map((run) => ({ job: job.id, run: withFilePin(run, project.buildFiles) }))));
  if (runs.length === 0) return undefined;
  // An opt-in that a pinned run's release rejects is FT032's finding.
  const optIns = configOptIns(config);
  if (runs.some(({ run }) => run.version !== undefined && optIns.some((o) => optInVerdict(o, run.version ?? [0, 0, 0], 'config') !== 'ok'))) return undefined;
  for (const { job, run } of runs) {
    if (freeThreadedBuilds(run, config).length > 0 || leavesFreeThreadedOut(job, run)) return undefined;
    // A job's own opt-in is where its fix goes; so is its `CIBW_BUILD` once no opt-in is needed (3.1+).
    if (run.env.has('CIBW_ENABLE') || run.env.has('CIBW_FREE_THREADED_SUPPORT') || (run.env.has('CIBW_BUILD') && !below(run.version, v(3, 1)))) return undefined;
  }
  const versions = runs.map((r) => r.run.version);
  const oldest = versions.reduce<Version | undefined>((a, b) => (a === undefined || (b !== undefined && compareVersions(b, a) < 0) ? b : a), undefined);
  const text = runs.find((r) => r.run.version === oldest)?.run.versionText ?? 'latest';
  const headerEnd = source.indexOf('\n', config.start);
  const rest = source.slice(config.start, config.start + 5000);
  const nextTable = /^\[(?!tool\.cibuildwheel)/m.exec(rest.slice(1));
  // The span: the table header, through the last line that decides what is built there (`build`,
  // an opt-out such as `free-threaded-support = false`, an `enable` list without the opt-in).
  const table = nextTable === null ? rest : rest.slice(0, nextTable.index + 1);
  const deciding = [...table.matchAll(/^(?:build|free-threaded-support|enable)[ \t]*=[^\n]*/gm)].at(-1);
  // A commented-out opt-in (`# free-threaded-support = true`) is the line the fix un-comments: the span reaches it.
  const commented = [...table.matchAll(/^[ \t]*#[ \t]*(?:build|free-threaded-support|enable)[ \t]*=[^\n]*(?:free-threaded-support|cpython-freethreading|true|cp3\d+t)[^\n]*/gm)].at(-1);
  const decidingEnd = deciding === undefined ? (headerEnd < 0 ? source.length : headerEnd) : config.start + deciding.index + deciding[0].length;
  const end = Math.max(decidingEnd, commented === undefined ? 0 : config.start + commented.index + commented[0].length);
  let fix: string;
  if (below(oldest, v(2, 18, 1))) fix = 'upgrade cibuildwheel to 3.1 or later in the workflows, which builds `cp314t` by default';
  else if (below(oldest, v(2, 22))) fix = 'add `free-threaded-support = true`, or upgrade cibuildwheel to 3.1 or later, which builds `cp314t` by default';
  else if (below(oldest, v(3, 1))) fix = 'add `enable = ["cpython-freethreading"]`, or upgrade cibuildwheel to 3.1 or later, which builds `cp314t` by default';
  else fix = 'add `cp314t-*` to `build`';
  return { start: config.start, end, data: { version: text, missing: below(oldest, v(4, 0)) ? '3.13t, 3.14t' : '3.14t', fix } };
}

export default defineRule({
  meta: {
    id: 'FT036',
    name: 'cibuildwheel-no-free-threaded-wheel',
    title: 'cibuildwheel job that builds no free-threaded wheel',
    category: 'build',
    why: 'Without a `cp3XXt` wheel, users of a free-threaded Python build the extension from source or cannot install it at all.',
    targets: ['workflow', 'pyproject'],
    severity: 'warning',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: [],
    messages: {
      tooOld: 'The `{{job}}` job runs cibuildwheel {{version}}, which cannot build free-threaded wheels ({{missing}} missing)',
      tooOldUnselected: 'The `{{job}}` job runs cibuildwheel {{version}}, which cannot build free-threaded wheels, and its `CIBW_BUILD` selects none ({{missing}} missing)',
      notEnabled: 'The `{{job}}` job runs cibuildwheel {{version}} without the free-threading opt-in, so it builds no free-threaded wheel ({{missing}} missing)',
      notEnabledUnselected: 'The `{{job}}` job runs cibuildwheel {{version}} without the free-threading opt-in, and its `CIBW_BUILD` selects no free-threaded build either ({{missing}} missing)',
      notSelected: 'The `{{job}}` job selects no free-threaded build in `CIBW_BUILD`, so it builds no free-threaded wheel ({{missing}} missing)',
      enabledNotSelected: 'The `{{job}}` job turns free-threaded builds on, but its `CIBW_BUILD` selects none of them ({{missing}} missing)',
      config: '`[tool.cibuildwheel]` builds no free-threaded wheel with the cibuildwheel {{version}} the workflows run ({{missing}} missing)',
    },
    help: {
      tooOld: 'Upgrade cibuildwheel to 3.1 or later, which builds `cp314t` by default',
      tooOldUnselected: 'Upgrade cibuildwheel to 3.1 or later and add `cp314t-*` to `CIBW_BUILD` (`cp314-*` does not match `cp314t` builds)',
      notEnabled: 'Set {{optIn}}, or upgrade cibuildwheel to 3.1 or later, which builds `cp314t` by default',
      notEnabledUnselected: 'Set {{optIn}} and add `cp313t-*` and `cp314t-*` to `CIBW_BUILD` (`cp313-*` does not match `cp313t` builds)',
      notSelected: 'Add `cp314t-*` to `CIBW_BUILD`',
      enabledNotSelected: 'Add {{tags}} to `CIBW_BUILD`: `cp313-*` does not match `cp313t` builds',
      config: 'Build free-threaded wheels from this table: {{fix}}',
    },
  },
  prefilter: (text) => (text.includes('cibuildwheel') ? [0] : []),
  check(ctx) {
    if (ctx.path.endsWith('.toml')) {
      const gap = configGap(ctx.path, ctx.text, ctx.project);
      if (gap !== undefined) ctx.report({ ...gap, messageId: 'config', symbol: '<build>' });
      return;
    }
    const jobs = ctx.project.buildFiles.get(ctx.path)?.workflow?.jobs ?? [];
    const config = [...ctx.project.buildFiles.values()].find((f) => f.cibuildwheel !== undefined)?.cibuildwheel;
    // Whether some job of the project (in any workflow) builds free-threaded wheels.
    const builders = [...ctx.project.buildFiles.values()].flatMap((f) =>
      (f.workflow?.jobs ?? []).filter((j) => {
        const first = j.cibuildwheel[0];
        return first !== undefined && freeThreadedBuilds(withFilePin(first, ctx.project.buildFiles), config).length > 0;
      }),
    );
    // Without a `[tool.cibuildwheel]` table, one appended to the repository's `pyproject.toml` opts every
    // job in at once (cibuildwheel reads it from the package folder): the other place of the fix.
    const repoRoot = ctx.path.includes('.github/') ? ctx.path.slice(0, ctx.path.indexOf('.github/')) : '';
    const pyproject = config === undefined ? ctx.project.buildFiles.get(`${repoRoot}pyproject.toml`) : undefined;
    const tablePlace = (version: Version | undefined): Array<{ path: string; at: { line: number; column: number }; message: string }> => {
      if (pyproject?.lastLine === undefined || version === undefined || below(version, v(2, 18, 1)) || !below(version, v(3, 1))) return [];
      const optIn = below(version, v(2, 22)) ? '`free-threaded-support = true`' : '`enable = ["cpython-freethreading"]`';
      return [{ path: pyproject.path, at: { line: pyproject.lastLine, column: 1 }, message: `pyproject.toml has no \`[tool.cibuildwheel]\` table: one added after this line with ${optIn} opts every job in at once` }];
    };
    for (const job of jobs) {
      const first = job.cibuildwheel[0];
      const run = first === undefined ? undefined : withFilePin(first, ctx.project.buildFiles);
      if (run === undefined || freeThreadedBuilds(run, config).length > 0) continue;
      // With free-threaded wheels built elsewhere, a job for old Pythons only or for one CPython
      // version (a smoke test) is not where they are missing.
      if (builders.length > 0 && sideJob(run.env.get('CIBW_BUILD')?.values)) continue;
      // A job that builds limited-API (abi3) wheels cannot make free-threaded ones (FT030's
      // business); one that skips free-threaded builds on purpose is FT031's.
      if (leavesFreeThreadedOut(job.id, run)) continue;
      // An opt-in the pinned release ignores or rejects is FT032's finding, with the right opt-in.
      if (misreadOptIns(run).length > 0) continue;
      const version = run.version;
      const missing = below(version, v(4, 0)) ? '3.13t, 3.14t' : '3.14t';
      const data = { job: job.id, version: run.versionText ?? 'latest', missing, optIn: below(version, v(2, 22)) ? '`CIBW_FREE_THREADED_SUPPORT: 1`' : '`CIBW_ENABLE: cpython-freethreading`' };
      const build = run.env.get('CIBW_BUILD');
      // Opted in, but `CIBW_BUILD: "cp313-*"` does not match `cp313t-*`: the selector is the fix.
      const env = new Map([...run.env].filter(([name]) => name !== 'CIBW_BUILD'));
      const unselected = build === undefined || !below(version, v(3, 1)) ? [] : freeThreadedBuilds({ ...run, env }, config === undefined ? undefined : withoutBuild(config));
      if (build !== undefined && unselected.length > 0 && below(version, v(3, 1))) {
        const tags = unselected.map((t) => ` cp${t.replace('.', '').replace(/t$/, '')}t-*`).join('');
        ctx.report({
          ...(build.matrixList ?? { start: build.start, end: build.end }),
          messageId: 'enabledNotSelected',
          symbol: job.id,
          data: { ...data, missing: unselected.join(', '), tags: tags.trim().split(' ').map((t) => `\`${t}\``).join(', ') },
          ...appendToBuild(ctx.text, build, tags),
        });
        continue;
      }
      // A `CIBW_BUILD` that selects no free-threaded build even from a release that builds them by
      // default has to change whatever else is done: the finding reaches it.
      const binding = build !== undefined && freeThreadedBuilds({ ...run, version: v(3, 1), env: new Map([...run.env, ['CIBW_ENABLE', { values: ['cpython-freethreading'], start: 0, end: 0 }]]) }, config).length === 0;
      // A selection the job's matrix spells out is the other edit, away from the pin: point at it.
      const selection = binding && build?.matrixList !== undefined ? { related: [{ start: build.matrixList.start, message: 'The matrix list of `CIBW_BUILD` selectors, where the `t` builds go' }] } : {};
      if (below(version, v(2, 18, 1))) {
        // From the version pin (the upgrade) to the selection that must then name `t` builds.
        // The selection may come first (a job-level `env`), the pin after it.
        const pinAt = Math.min(run.pinStart ?? run.start, run.start);
        const start = binding && build !== undefined ? Math.min(pinAt, build.start) : pinAt;
        const end = binding && build !== undefined ? Math.max(pinAt, run.pinEnd ?? pinAt, build.end) : pinAt;
        ctx.report({ start, end, messageId: binding ? 'tooOldUnselected' : 'tooOld', symbol: job.id, data, ...selection });
      } else if (below(version, v(3, 1))) {
        // From the version pin (upgrading is one fix) to where the opt-in goes (the other): the
        // variable that holds it, the selection beside it, or else the end of the step's `env`.
        const at = run.env.get('CIBW_ENABLE') ?? build ?? { start: run.start, end: stepEnd(ctx.text, run) };
        // Either may come first: a job-level `env` sits above the step that pins the release.
        const start = Math.min(run.pinStart ?? run.start, at.start);
        const related = [...(selection.related ?? []), ...tablePlace(version)];
        ctx.report({ start, end: Math.max(start, at.end, run.pinEnd ?? start), messageId: binding ? 'notEnabledUnselected' : 'notEnabled', symbol: job.id, data, ...(related.length === 0 ? {} : { related }) });
      } else if (build !== undefined) {
        // A selection spelled out in the job's matrix is edited there.
        ctx.report({
          ...(build.matrixList ?? { start: build.start, end: build.end }),
          messageId: 'notSelected',
          symbol: job.id,
          data: { ...data, missing: '3.14t' },
          ...appendToBuild(ctx.text, build, ' cp314t-*'),
        });
      }
    }
  },
});
