import { allowsOlderThan, formatVersion, onlyOlderThan, type Version } from '../build-files/requirements.js';
import type { PinnedTool } from '../build-files/read-build-file.js';
import { defineRule } from '../engine/define-rule.js';
import type { ProjectFacts } from '../engine/project-facts.js';

/**
 * The first release of each binding tool that can declare a module free-threading ready
 * (Cython 3.1.0 changelog; pybind11 2.13.0 changelog, #5148; nanobind 2.2.0 changelog; PyO3 0.23.0
 * release notes).
 */
const boundaries: Partial<Record<PinnedTool, { version: Version; label: string; feature: string }>> = {
  cython: { version: [3, 1, 0], label: 'Cython', feature: '`freethreading_compatible`' },
  pybind11: { version: [2, 13, 0], label: 'pybind11', feature: '`py::mod_gil_not_used()`' },
  nanobind: { version: [2, 2, 0], label: 'nanobind', feature: '`FREE_THREADED`' },
  pyo3: { version: [0, 23, 0], label: 'PyO3', feature: '`gil_used = false`' },
};

/** The first PyO3 release that builds for Python 3.14 (PyO3 0.25.0 release notes). */
const pyo3Python314: Version = [0, 25, 0];

/**
 * The first PyO3 release past the 3.14 betas: 0.25 supports 3.14 as a beta and warns that later
 * 3.14 changes may break it; 0.26 is tested against the release candidates and "solidifies"
 * support for 3.14 and 3.14t; 0.27 is tested against 3.14.0 (PyO3 0.25.0, 0.26.0, 0.27.0 release notes).
 */
const pyo3Python314Final: Version = [0, 26, 0];

/** Whether the project builds for Python 3.14: a classifier, a maturin interpreter, a `3.14t` job. */
function targetsPython314(project: ProjectFacts): boolean {
  if (project.classifiers.some((c) => /::\s*3\.14\b/.test(c))) return true;
  return [...project.buildFiles.values()].some((f) =>
    (f.workflow?.jobs ?? []).some((j) => j.freeThreadedVersions.includes('3.14t') || j.maturin.some((r) => r.interpreters.some((i) => /(?:^|[^\d.])3\.14t?$|^cp314t?$/.test(i)))),
  );
}

export default defineRule({
  meta: {
    id: 'FT035',
    name: 'build-tool-too-old',
    title: 'Build requirement on a binding tool too old to declare free-threading support',
    category: 'build',
    why: 'A Cython, pybind11, nanobind or PyO3 release older than its free-threading release cannot declare a module GIL-free, so every module it builds re-enables the GIL.',
    targets: ['pyproject', 'setup-cfg', 'setup-py', 'cargo', 'meson', 'requirements', 'conda-env', 'workflow'],
    severity: 'warning',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: [],
    messages: {
      tooOld: '`{{requirement}}` limits the build to {{tool}} older than {{boundary}}, which cannot declare free-threading support ({{feature}})',
      floorTooLow: '`{{requirement}}` still lets the build use {{tool}} older than {{boundary}}, which cannot declare free-threading support ({{feature}})',
      noPython314: '`{{requirement}}` limits the build to PyO3 older than 0.25, which cannot build for Python 3.14, so no `3.14t` wheel can be built',
      ciInstall: 'The `{{job}}` job installs `{{requirement}}`, {{tool}} older than {{boundary}}, as the build requirement does: whatever it builds or generates cannot declare free-threading support ({{feature}})',
      python314Beta: '`{{requirement}}` limits the build to PyO3 0.25, which knows Python 3.14 only from its betas, so the project\'s 3.14 builds (and a `3.14t` wheel) rest on pre-release support',
    },
    help: {
      tooOld: 'Require {{tool}} {{boundary}} or later',
      floorTooLow: 'Raise the lower bound to {{tool}} {{boundary}}',
      noPython314: 'Require PyO3 0.25 or later (0.27 is the first tested against the 3.14.0 release)',
      ciInstall: 'Install {{tool}} {{boundary}} or later here too when raising the build requirement',
      python314Beta: 'Require PyO3 0.26 or later (0.27 is the first tested against the 3.14.0 release)',
    },
  },
  prefilter: (text) => (/cython|pybind11|nanobind|pyo3/i.test(text) ? [0] : []),
  check(ctx) {
    const facts = ctx.project.buildFiles.get(ctx.path);
    if (facts === undefined) return;
    const sites = [...ctx.project.buildFiles.values()].flatMap((f) => f.cythonSites);
    // Cython needs the directive only where it compiles modules (it may be a test or docs tool).
    const cythonNeeded = ctx.project.cythonHeaders.size > 0 || ctx.project.hasCythonSources || sites.length > 0 || !ctx.project.hasExtensionSources;
    // Documentation requirements (`docs/requirements.txt`) install the package, they do not build it.
    if (facts.kind === 'requirements' && /(^|\/)docs?\//.test(ctx.path)) return;
    if (facts.kind === 'workflow') {
      // A CI install that caps the tool below its free-threading release, in a project whose build
      // requirement caps it too: the second place a port has to raise it. A step under an `if:`
      // (old Pythons, a coverage run) and a project whose build allows newer releases are left
      // alone: such a pin tests a minimum on purpose.
      const capped = new Set<PinnedTool>();
      for (const f of ctx.project.buildFiles.values()) {
        for (const p of f.pins) {
          const b = boundaries[p.tool];
          if (b !== undefined && onlyOlderThan(p.requirement, b.version)) capped.add(p.tool);
        }
      }
      for (const job of facts.workflow?.jobs ?? []) {
        // A job that tests the oldest supported requirements (`test_old_build_requires`, `minimum-versions`).
        if (/(?:^|[\W_])(?:old|oldest|min|minimum|minimal|lowest|legacy)(?:$|[\W_])/i.test(job.id)) continue;
        for (const install of job.toolInstalls) {
          const tool = (['cython', 'pybind11', 'nanobind'] as const).find((t) => t === install.requirement.name);
          const boundary = tool === undefined ? undefined : boundaries[tool];
          if (tool === undefined || boundary === undefined || install.guarded || !capped.has(tool) || (tool === 'cython' && !cythonNeeded)) continue;
          if (!onlyOlderThan(install.requirement, boundary.version)) continue;
          const data = { job: job.id, requirement: install.text, tool: boundary.label, boundary: formatVersion(boundary.version), feature: boundary.feature };
          ctx.report({ start: install.start, end: install.end, messageId: 'ciInstall', symbol: job.id, data });
        }
      }
      return;
    }
    for (const pin of facts.pins) {
      const boundary = boundaries[pin.tool];
      if (boundary === undefined || (pin.tool === 'cython' && !cythonNeeded)) continue;
      const data = { requirement: pin.text, tool: boundary.label, boundary: formatVersion(boundary.version), feature: boundary.feature };
      if (onlyOlderThan(pin.requirement, boundary.version)) {
        ctx.report({ start: pin.start, end: pin.end, messageId: 'tooOld', symbol: '<build>', data });
        continue;
      }
      // PyO3 0.23–0.24 declare support but know no Python 3.14 (0.25.0 release notes), so they
      // build no `3.14t` wheel, the free-threaded build that is not deprecated.
      if (pin.tool === 'pyo3' && onlyOlderThan(pin.requirement, pyo3Python314)) {
        ctx.report({ start: pin.start, end: pin.end, messageId: 'noPython314', symbol: '<build>', data });
        continue;
      }
      // PyO3 0.25 builds for 3.14 as the betas defined it; only worth saying where 3.14 is built.
      if (pin.tool === 'pyo3' && onlyOlderThan(pin.requirement, pyo3Python314Final) && targetsPython314(ctx.project)) {
        ctx.report({ start: pin.start, end: pin.end, messageId: 'python314Beta', symbol: '<build>', severity: 'info', confidence: 'medium', data });
        continue;
      }
      if (!allowsOlderThan(pin.requirement, boundary.version) || pin.requirement.min === undefined) continue;
      // `Cython>=0.29` installs the newest Cython in an isolated build, so this is a weak signal:
      // builds that reuse an environment (`--no-build-isolation`, distributions) may get an old one.
      const lower = /^(\s*>=\s*)([\d.]+)\s*$/.exec(pin.requirement.spec);
      const specAt = pin.text.indexOf(pin.requirement.spec);
      const fix =
        lower === null || specAt < 0 || pin.tool === 'pyo3'
          ? undefined
          : { edits: [{ start: pin.start + specAt + (lower[1] ?? '').length, end: pin.start + specAt + pin.requirement.spec.trimEnd().length, text: formatVersion(boundary.version) }] };
      ctx.report({ start: pin.start, end: pin.end, messageId: 'floorTooLow', symbol: '<build>', severity: 'info', confidence: 'low', data, ...(fix === undefined ? {} : { fix }) });
    }
  },
});
