import { compareVersions, parseVersion, type Version } from '../build-files/requirements.js';
import { withoutComments } from '../build-files/workflow-jobs.js';
import { defineRule } from '../engine/define-rule.js';

/** maturin 1.7.5 first builds free-threaded wheels; 1.8.7 fixes free-threaded 3.14 builds on Windows (maturin changelog). */
const firstFreeThreaded: Version = [1, 7, 5];
const windows314t: Version = [1, 8, 7];

/** True for an interpreter name or version that is free-threaded: `3.14t`, `python3.13t`, `cp314t`. */
function isFreeThreaded(interpreter: string): boolean {
  return /(?:^|[^\w])(?:python)?3\.1\d+t$|^cp31\d+t$|^python3\.1\d+t$/.test(interpreter) || /\*/.test(interpreter);
}

export default defineRule({
  meta: {
    id: 'FT037',
    name: 'maturin-no-free-threaded-wheel',
    title: 'maturin wheel job that builds no free-threaded wheel',
    category: 'build',
    why: 'A job whose maturin build never sees a free-threaded interpreter ships no `cp3XXt` wheel, so users of a free-threaded Python build from source.',
    targets: ['workflow'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: [],
    messages: {
      listed: 'The `{{job}}` job builds wheels with maturin for {{interpreters}} but no free-threaded interpreter ({{missing}} missing)',
      found: 'The `{{job}}` job builds wheels with maturin for the interpreters it finds, and it installs no free-threaded one ({{missing}} missing)',
      single: 'The `{{job}}` job builds wheels with maturin for one Python (or abi3) and no free-threaded interpreter ({{missing}} missing)',
      stale: 'The `{{job}}` job builds its free-threaded wheel for {{named}} only, not for the supported free-threaded build ({{missing}} missing)',
      maturinTooOld: 'The `{{job}}` job runs maturin {{version}}, older than 1.7.5, the first release that builds free-threaded wheels',
      maturinWindows: 'The `{{job}}` job runs maturin {{version}} on Windows, older than 1.8.7, which fixed free-threaded Python 3.14 builds there',
    },
    help: {
      listed: 'Add `3.14t` to the `--interpreter` list (maturin 1.7.5 or later){{install}} once the module declares support',
      found: 'Install a free-threaded Python in the job (`actions/setup-python` with `3.14t`) or pass `--interpreter 3.14t`',
      single: 'Add a build step with `--interpreter 3.14t` (abi3 wheels do not load on free-threaded 3.13 or 3.14)',
      stale: 'Build `3.14t` as well (`-i python3.14t`, PyO3 0.25 or later): 3.13t was experimental, and 3.14t is the supported free-threaded build (PEP 779)',
      maturinTooOld: 'Raise the pinned maturin to 1.8.7 or later (or drop the pin to get the newest release)',
      maturinWindows: 'Raise the pinned maturin to 1.8.7 or later (or drop the pin to get the newest release)',
    },
  },
  prefilter: (text) => (/maturin-action/i.test(text) ? [0] : []),
  check(ctx) {
    const jobs = ctx.project.buildFiles.get(ctx.path)?.workflow?.jobs ?? [];
    // Whether some maturin job of the project (in any workflow) builds a free-threaded wheel.
    const builders = [...ctx.project.buildFiles.values()].some((f) =>
      (f.workflow?.jobs ?? []).some((j) => j.maturin.length > 0 && (j.mentionsFreeThreaded || j.maturin.some((r) => r.interpreters.some(isFreeThreaded)))),
    );
    const reported = new Set<string>();
    for (const job of jobs) {
      const run = job.maturin[0];
      if (run === undefined) continue;
      // A job whose only free-threaded build is 3.13t: the step that builds it is the one to extend.
      const versions = job.freeThreadedVersions;
      if (versions.length > 0 && versions.every((v) => Number(v.slice(2, -1)) < 14)) {
        const step = job.maturin.find((r) => r.interpreters.some((i) => isFreeThreaded(i) && !i.includes('*'))) ?? run;
        ctx.report({ start: step.start, end: step.end, messageId: 'stale', symbol: job.id, data: { job: job.id, named: versions.join(', '), missing: '3.14t' } });
        reported.add(job.id);
        continue;
      }
      // A job that names a free-threaded Python anywhere (a setup-python step, a second build
      // step with `-i 3.14t`) builds or tests one.
      if (job.mentionsFreeThreaded) continue;
      const listed = [...new Set(run.interpreters.filter((i) => !i.startsWith('-')))];
      if (listed.some(isFreeThreaded)) continue;
      // A job that builds for one Python (an abi3 wheel, most often) beside a job that builds the
      // free-threaded wheels is the abi3 half of the release, not where they are missing.
      if (builders && listed.length === 0 && !run.findInterpreter) continue;
      // Without `--interpreter`, maturin builds for the job's one Python (or one abi3 wheel, which
      // free-threaded 3.13/3.14 cannot load): still no free-threaded wheel.
      const install = run.installStart === undefined ? '' : ', and to the `python-version` list of the `actions/setup-python` step that installs them,';
      const data = { job: job.id, interpreters: listed.slice(0, 6).join(', '), missing: '3.14t', install };
      // Interpreters taken from the matrix: the finding spans the matrix, where they are listed, to the step.
      // So does a step that installs the interpreters on the runner (setup-python with a list).
      const start = Math.min(run.matrixStart !== undefined && listed.length > 0 ? run.matrixStart : run.start, run.installStart ?? run.start, run.start);
      // Every build step of the job (`x86_64`, then `universal2`) needs the interpreter: the span reaches the last.
      let end = Math.max(...job.maturin.map((r) => r.end));
      // Not into the blank lines or the next step after it.
      while (end > start && /\s/.test(ctx.text[end - 1] ?? '')) end--;
      ctx.report({ start, end, messageId: listed.length > 0 ? 'listed' : run.findInterpreter ? 'found' : 'single', symbol: job.id, data });
      reported.add(job.id);
    }
    // A pinned maturin too old for the free-threaded wheels a job builds, or that it should build
    // (reported above): the pin is the other edit. One finding per pin (a workflow `env` entry may
    // serve several jobs).
    const pins = new Set<number>();
    for (const job of jobs) {
      const buildsFreeThreaded = job.mentionsFreeThreaded || job.maturin.some((r) => r.interpreters.some((i) => isFreeThreaded(i) && !i.includes('*')));
      if (!buildsFreeThreaded && !reported.has(job.id)) continue;
      const onWindows = /\bwindows\b/i.test(withoutComments(ctx.text.slice(job.start, job.end)));
      for (const run of job.maturin) {
        const pin = run.maturinVersion;
        const version = pin === undefined ? undefined : parseVersion(pin.text);
        if (pin === undefined || version === undefined || pins.has(pin.start)) continue;
        const messageId = compareVersions(version, firstFreeThreaded) < 0 ? 'maturinTooOld' : onWindows && compareVersions(version, windows314t) < 0 ? 'maturinWindows' : undefined;
        if (messageId === undefined) continue;
        pins.add(pin.start);
        ctx.report({ start: pin.start, end: pin.end, messageId, symbol: job.id, data: { job: job.id, version: pin.text.replace(/^v/, '') } });
      }
    }
  },
});
