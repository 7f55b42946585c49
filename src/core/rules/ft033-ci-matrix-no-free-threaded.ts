import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { defineRule } from '../engine/define-rule.js';
import { parseWorkflow, toPlain } from '../build-files/locate.js';

/** True for a Python version spec that selects a free-threaded build: `3.14t`, `3.13t-dev`, `3.14+freethreaded`. */
function isFreeThreadedVersion(value: string): boolean {
  return /^\s*3\.\d+t\b|freethread/i.test(value);
}

/** `${{ matrix.python-version }}` → `python-version`. */
function matrixKey(value: string): string | undefined {
  return /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(value)?.[1];
}

function pairsOf(node: unknown): Pair[] {
  return isMap(node) ? (node.items as Pair[]) : [];
}

function get(node: unknown, key: string): unknown {
  return pairsOf(node).find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

export default defineRule({
  meta: {
    id: 'FT033',
    name: 'ci-matrix-no-free-threaded',
    title: 'CI test matrix without a free-threaded Python',
    category: 'build',
    why: 'Races in the extension show only on a free-threaded interpreter; a CI matrix of GIL builds stays green while they ship.',
    targets: ['workflow'],
    severity: 'info',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['python-version'],
    messages: {
      missing: 'The `{{job}}` job tests Python {{versions}} but no free-threaded build, so races in the extension go untested',
      missingMany: 'The `{{job}}` job and {{others}} more test Python {{versions}} but no free-threaded build, so races in the extension go untested',
    },
    help: {
      missing: 'Add `3.14t` to the matrix (actions/setup-python and setup-uv accept it) and run the tests with `PYTHON_GIL=0`',
      missingMany: 'Add `3.14t` to one of the matrices (actions/setup-python and setup-uv accept it) and run the tests with `PYTHON_GIL=0`',
    },
  },
  check(ctx) {
    // One free-threaded job anywhere in the project's CI is enough (NumPy and Pillow test 3.14t
    // in other workflow files than their per-platform matrices).
    if (!ctx.project.hasExtensionSources || ctx.project.ciTestsFreeThreaded) return;
    const { doc } = parseWorkflow(ctx.text);
    if (doc === undefined) return;
    // A workflow with any free-threaded job (a separate `3.14t` job, `freethreaded: true`) tests it.
    if (/python-version:\s*["']?3\.\d+t\b|\b3\.\d+t["']?\s*[,\]]|freethreaded:\s*(true|\$\{\{)|3\.\d+\+freethreaded/.test(ctx.text)) return;
    const gaps: Array<{ start: number; end: number; job: string; versions: string[] }> = [];
    for (const jobPair of pairsOf(get(doc.contents, 'jobs'))) {
      const job = jobPair.value;
      const jobName = isScalar(jobPair.key) ? String(jobPair.key.value) : 'job';
      const matrix = get(get(job, 'strategy'), 'matrix');
      const steps = get(job, 'steps');
      if (!isSeq(steps)) continue;
      for (const step of steps.items) {
        const uses = toPlain(get(step, 'uses'));
        if (typeof uses !== 'string' || !/^(actions\/setup-python|astral-sh\/setup-uv)@/.test(uses)) continue;
        const withNode = get(step, 'with');
        const freethreaded = toPlain(get(withNode, 'freethreaded'));
        // `true`, or an expression (`${{ matrix.ft }}`) that may be true for some entries.
        if (freethreaded === true || (typeof freethreaded === 'string' && freethreaded.includes('${{'))) continue;
        const versionNode = get(withNode, 'python-version') as YamlNode | undefined;
        const raw = toPlain(versionNode);
        if (typeof raw !== 'string' && typeof raw !== 'number') continue;
        // Resolve `${{ matrix.x }}` to the matrix list (plus `include` entries).
        const key = typeof raw === 'string' ? matrixKey(raw) : undefined;
        let versions: string[];
        if (key === undefined) versions = [String(raw)];
        else {
          const listed = toPlain(get(matrix, key));
          const included = toPlain(get(matrix, 'include'));
          versions = [
            ...(Array.isArray(listed) ? listed.map(String) : []),
            ...(Array.isArray(included) ? included.map((e) => (e as Record<string, unknown>)?.[key]).filter((v) => v !== undefined).map(String) : []),
          ];
        }
        // Only a real CPython test matrix: two or more versions (a lint or docs job pins one), and
        // not PyPy or GraalPy, which have no free-threaded build.
        const cpython = versions.filter((v) => !/pypy|graalpy/i.test(v));
        if (cpython.length < 2 || versions.some(isFreeThreadedVersion)) continue;
        // Where the fix goes: the matrix list the versions come from, else the step's value.
        const listNode = key === undefined ? undefined : (get(matrix, key) as YamlNode | undefined);
        const where = listNode?.range === undefined || listNode.range === null ? versionNode : listNode;
        const start = where?.range?.[0] ?? 0;
        gaps.push({ start, end: where?.range?.[1] ?? start, job: jobName, versions: cpython });
      }
    }
    // One finding per workflow, at its first such job: one matrix entry fixes them all.
    const first = gaps[0];
    if (first === undefined) return;
    const others = gaps.length - 1;
    ctx.report({
      start: first.start,
      end: first.end,
      symbol: first.job,
      messageId: others === 0 ? 'missing' : 'missingMany',
      data: { job: first.job, others: String(others), versions: first.versions.slice(0, 6).join(', ') },
    });
  },
});
