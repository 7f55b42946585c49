import {
  below,
  cibuildwheelReleases as releases,
  configOptIns,
  freeThreadedBuilds,
  misreadOptIns,
  optInVerdict,
  rightOptIn,
  withFilePin,
  type OptIn,
} from '../build-files/cibuildwheel-versions.js';
import { parseWorkflow } from '../build-files/locate.js';
import type { BuildFileFacts, CibuildwheelConfig } from '../build-files/read-build-file.js';
import { formatVersion, type Version } from '../build-files/requirements.js';
import type { CibuildwheelRun } from '../build-files/workflow-jobs.js';
import { defineRule } from '../engine/define-rule.js';
import { afterHashOnLine } from '../parsing/source-text.js';
import type { TextEdit } from '../diagnostics.js';

type Fix = { edits: TextEdit[] };

/**
 * cibuildwheel options for free-threaded (and pre-release) builds that a later release removed;
 * the boundaries are in `cibuildwheelReleases`. Where no job pins a release, a setting is
 * reported as a warning against the newest one.
 */
// Each pattern matches the option where cibuildwheel reads it: a key at the start of a line (TOML
// key, YAML env key) or an `enable` value. Worked example: `  CIBW_ENABLE: cpython-freethreading`
// matches the last pattern; a `description = "… cpython-freethreading …"` line does not. A YAML
// list dash is `(?:-[ \t]*)?`, never `-?[ \t]*` after `[ \t]*`: two blank runs that can split one
// run of blanks any way make a long blank line quadratic.
const options: Array<{ pattern: RegExp; name: string; optIn?: OptIn; removedIn: string; instead: string }> = [
  { pattern: /^[ \t]*free-threaded-support[ \t]*=/gm, name: 'free-threaded-support', optIn: 'legacy', removedIn: '3.0', instead: 'nothing on cibuildwheel 3.1+, which builds `cp314t` by default' },
  { pattern: /^[ \t]*(?:-[ \t]*)?CIBW_FREE_THREADED_SUPPORT[ \t]*[:=]/gm, name: 'CIBW_FREE_THREADED_SUPPORT', optIn: 'legacy', removedIn: '3.0', instead: 'nothing on cibuildwheel 3.1+, which builds `cp314t` by default' },
  { pattern: /^[ \t]*(?:-[ \t]*)?CIBW_PRERELEASE_PYTHONS[ \t]*[:=]/gm, name: 'CIBW_PRERELEASE_PYTHONS', removedIn: '3.0', instead: '`enable = ["cpython-prerelease"]`' },
  { pattern: /^[ \t]*(?:-[ \t]*)?(enable|CIBW_ENABLE)[ \t]*[:=][^\n#]*cpython-freethreading/gm, name: 'cpython-freethreading', optIn: 'enable', removedIn: '4.0', instead: 'nothing: cibuildwheel 4 builds 3.14t and later by default and no longer builds 3.13t' },
];

const optInNames: Record<OptIn, { env: string; config: string }> = {
  legacy: { env: 'CIBW_FREE_THREADED_SUPPORT', config: 'free-threaded-support' },
  enable: { env: 'CIBW_ENABLE: cpython-freethreading', config: 'enable = ["cpython-freethreading"]' },
};

/** Why a release does not read an opt-in: `removed in 3.0`, `added in 2.22`, `removed in 4.0`. */
function reason(optIn: OptIn, version: Version): string {
  if (optIn === 'legacy') return `removed in ${formatVersion(releases.legacyRemoved)}`;
  return below(version, releases.enableOptIn) ? `added in ${formatVersion(releases.enableOptIn)}` : `removed in ${formatVersion(releases.enableRemoved)}`;
}

/** The free-threaded interpreters a run would build with the opt-in that is right for its release. */
function wanted(run: CibuildwheelRun, config: CibuildwheelConfig | undefined): string[] {
  const version = run.version;
  const env = new Map([...run.env].filter(([name]) => name !== 'CIBW_FREE_THREADED_SUPPORT' && name !== 'CIBW_ENABLE'));
  const at = { start: 0, end: 0 };
  if (below(version, releases.enableOptIn)) env.set('CIBW_FREE_THREADED_SUPPORT', { values: ['1'], ...at });
  else if (below(version, releases.enableRemoved)) env.set('CIBW_ENABLE', { values: ['cpython-freethreading'], ...at });
  const plain = config === undefined ? undefined : { ...config, enable: [], freeThreadedSupport: false };
  return freeThreadedBuilds(version === undefined ? { env } : { version, env }, plain);
}

/** `Use CIBW_ENABLE: cpython-freethreading instead`, or remove it on cibuildwheel 4. */
function helpFor(version: Version, where: 'env' | 'config'): string {
  const right = rightOptIn(version, where);
  if (right === undefined) return 'remove it; cibuildwheel 4 builds `cp314t` and later by default and cannot build 3.13t';
  const deprecated = below(version, releases.enableDeprecated) ? '' : ' (deprecated from 3.4.1: 3.13t builds end with cibuildwheel 4)';
  return `use ${right} instead${deprecated}`;
}

/**
 * The replacement of a one-line setting by the opt-in right for `version` (a deletion on 4.x),
 * when the setting is one plain `KEY: value` / `key = value` line and the job or table does not
 * set the replacement already.
 */
function replacement(text: string, start: number, end: number, version: Version, where: 'env' | 'config', taken: boolean): Fix | undefined {
  const written = text.slice(start, end);
  if (written.includes('\n') || written.includes('${{') || taken) return undefined;
  const right = rightOptIn(version, where);
  if (right !== undefined) return { edits: [{ start, end, text: right.replaceAll('`', '') }] };
  // Delete the whole line (an `enable` that names only `cpython-freethreading`).
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (text.slice(lineStart, start).trim() !== '' || !/^\s*(#.*)?$/.test(text.slice(end, lineEnd < 0 ? text.length : lineEnd))) return undefined;
  if (!/^(CIBW_ENABLE\s*:\s*["']?cpython-freethreading["']?|enable\s*=\s*(\[\s*)?["']cpython-freethreading["']\s*\]?)$/.test(written.trim())) return undefined;
  return { edits: [{ start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, text: '' }] };
}

type Run = { job: string; run: CibuildwheelRun };
type PinnedJob = { start: number; end: number; version: Version };

function pinnedRuns(buildFiles: ReadonlyMap<string, BuildFileFacts>): Run[] {
  return [...buildFiles.values()].flatMap((f) =>
    (f.workflow?.jobs ?? []).flatMap((job) => {
      const first = job.cibuildwheel[0];
      const run = first === undefined ? undefined : withFilePin(first, buildFiles);
      return run?.version === undefined ? [] : [{ job: job.id, run }];
    }),
  );
}

export default defineRule({
  meta: {
    id: 'FT032',
    name: 'cibuildwheel-removed-option',
    title: 'cibuildwheel option for free-threaded builds that was removed',
    category: 'build',
    why: 'The option is gone from current cibuildwheel, so updating the action breaks the wheel build or drops the free-threaded wheels.',
    targets: ['pyproject', 'workflow'],
    severity: 'warning',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['free-threaded-support', 'CIBW_FREE_THREADED_SUPPORT', 'CIBW_PRERELEASE_PYTHONS', 'freethreading'],
    messages: {
      removed: '`{{option}}` was removed in cibuildwheel {{version}}; with a newer cibuildwheel the build fails or ignores it',
      stops: 'The `{{job}}` job runs cibuildwheel {{version}}, which rejects `{{option}}` ({{reason}}): the build stops and no wheel is made ({{missing}} missing)',
      ignored: 'The `{{job}}` job runs cibuildwheel {{version}}, which ignores `{{option}}` ({{reason}}), so it builds no {{missing}} wheel',
    },
    help: {
      removed: 'Use {{instead}}',
      stops: 'For cibuildwheel {{version}}: {{fix}}',
      ignored: 'For cibuildwheel {{version}}: {{fix}}',
    },
  },
  check(ctx) {
    const inComment = (offset: number): boolean => afterHashOnLine(ctx.text, offset);
    if (ctx.target === 'workflow' && parseWorkflow(ctx.text).doc === undefined) return;
    const buildFiles = ctx.project.buildFiles;
    // Offsets a pinned job has judged (reported or found right for its release).
    const judged = new Set<number>();
    const pinnedJobs: PinnedJob[] = [];
    let configJudged = false;

    if (ctx.target === 'workflow') {
      // One finding per job that pins a release: its first opt-in that release ignores or rejects.
      for (const job of ctx.project.buildFiles.get(ctx.path)?.workflow?.jobs ?? []) {
        const first = job.cibuildwheel[0];
        const run = first === undefined ? undefined : withFilePin(first, buildFiles);
        const version = run?.version;
        if (run === undefined || version === undefined) continue;
        pinnedJobs.push({ start: job.start, end: job.end, version });
        for (const entry of run.env.values()) judged.add(entry.start);
        const misread = misreadOptIns(run);
        const worst = misread.find((m) => m.verdict === 'error') ?? misread[0];
        if (worst === undefined) continue;
        const fixed = wanted(run, undefined);
        const built = worst.verdict === 'error' ? [] : freeThreadedBuilds(run, undefined);
        const missing = fixed.filter((t) => !built.includes(t));
        if (worst.verdict === 'ignored' && missing.length === 0) continue;
        const other = worst.optIn === 'legacy' ? 'CIBW_ENABLE' : 'CIBW_FREE_THREADED_SUPPORT';
        const fix = replacement(ctx.text, worst.start, worst.end, version, 'env', run.env.has(other));
        ctx.report({
          start: worst.start,
          end: worst.end,
          messageId: worst.verdict === 'error' ? 'stops' : 'ignored',
          symbol: job.id,
          severity: 'error',
          data: { job: job.id, version: run.versionText ?? formatVersion(version), option: optInNames[worst.optIn].env, reason: reason(worst.optIn, version), missing: missing.length === 0 ? 'every wheel' : missing.join(', '), fix: helpFor(version, 'env') },
          ...(fix === undefined ? {} : { fix }),
        });
      }
    } else {
      // A `[tool.cibuildwheel]` table, judged with the releases the workflows pin: one finding at
      // its first opt-in that a pinned release rejects (cibuildwheel refuses unknown keys there).
      const config = buildFiles.get(ctx.path)?.cibuildwheel;
      const runs = pinnedRuns(buildFiles);
      if (config !== undefined && runs.length > 0) {
        configJudged = true;
        const optIns = configOptIns(config);
        for (const { job, run } of runs) {
          const version = run.version ?? [0, 0, 0];
          const optIn = optIns.find((o) => optInVerdict(o, version, 'config') !== 'ok');
          if (optIn === undefined) continue;
          const option = options.find((o) => o.optIn === optIn && (o.name === 'free-threaded-support' || o.name === 'cpython-freethreading'));
          const match = option === undefined ? undefined : [...ctx.text.matchAll(option.pattern)].find((m) => !inComment(m.index + m[0].length - m[0].trimStart().length));
          if (match === undefined) break;
          const start = match.index + (match[0].length - match[0].trimStart().length);
          const lineEnd = ctx.text.indexOf('\n', start);
          const end = lineEnd < 0 ? ctx.text.length : lineEnd;
          const valueEnd = start + ctx.text.slice(start, end).replace(/\s+#.*$/, '').trimEnd().length;
          const fixed = wanted(run, config);
          const fix = replacement(ctx.text, start, valueEnd, version, 'config', optIns.length > 1);
          ctx.report({
            start,
            end: valueEnd,
            messageId: 'stops',
            symbol: '<build>',
            severity: 'error',
            data: { job, version: run.versionText ?? formatVersion(version), option: optInNames[optIn].config, reason: reason(optIn, version), missing: fixed.length === 0 ? 'every wheel' : fixed.join(', '), fix: helpFor(version, 'config') },
            ...(fix === undefined ? {} : { fix }),
          });
          break;
        }
      }
    }

    // Settings no pinned job judged: in a file without a pin, outside the pinned jobs, or
    // `CIBW_PRERELEASE_PYTHONS`. Reported once per setting against the newest release, or as an
    // error in a job pinned to a release without it.
    const pinnedJobAt = (offset: number): PinnedJob | undefined => pinnedJobs.find((j) => offset >= j.start && offset < j.end);
    for (const option of options) {
      if (option.optIn !== undefined && configJudged) continue;
      const match = [...ctx.text.matchAll(option.pattern)].find((m) => {
        const start = m.index + m[0].length - m[0].trimStart().length;
        if (inComment(start)) return false;
        // `CIBW_PRERELEASE_PYTHONS` in a job pinned before 3.0 is still read.
        if (option.optIn === undefined) return !below(pinnedJobAt(start)?.version, releases.legacyRemoved);
        return !judged.has(start) && pinnedJobAt(start) === undefined;
      });
      if (match === undefined) continue;
      const start = match.index + (match[0].length - match[0].trimStart().length);
      const pinned = pinnedJobAt(start)?.version;
      ctx.report({
        start,
        end: match.index + match[0].length,
        messageId: 'removed',
        symbol: '<build>',
        severity: pinned === undefined ? 'warning' : 'error',
        data: { option: option.name, version: option.removedIn, instead: option.instead },
      });
    }
  },
});
