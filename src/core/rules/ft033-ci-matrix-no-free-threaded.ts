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


/** Only a real CPython test matrix: two or more versions, none free-threaded, PyPy and GraalPy left out. */
function gilOnly(versions: readonly string[]): string[] | undefined {
  const cpython = versions.filter((v) => !/pypy|graalpy/i.test(v));
  return cpython.length < 2 || versions.some(isFreeThreadedVersion) ? undefined : cpython;
}

/** A matrix key that lists Python versions: `python-version`, `python`, `py`, `pyver`. */
const pythonKey = /^(python|py)([-_]?(version|ver|versions))?$/i;

/**
 * The GIL-only Python version list of one job, where a `3.14t` entry would go: the version list
 * of an `actions/setup-python` / `astral-sh/setup-uv` step, or a matrix list of Python versions
 * (`python-version: ["3.12", "3.13"]`) that the job uses (`${{ matrix.python-version }}`) to set
 * up its interpreter another way (conda, a manylinux path, a container).
 */
function jobGap(job: unknown, text: string): { start: number; end: number; versions: string[] } | undefined {
  const matrix = get(get(job, 'strategy'), 'matrix');
  const steps = get(job, 'steps');
  if (!isSeq(steps)) return undefined;
  const at = (node: YamlNode | undefined | null, versions: string[]) => {
    const start = node?.range?.[0] ?? 0;
    return { start, end: node?.range?.[1] ?? start, versions };
  };
  for (const step of steps.items) {
    const uses = toPlain(get(step, 'uses'));
    if (typeof uses !== 'string' || !/^(actions\/setup-python|astral-sh\/setup-uv)@/.test(uses)) continue;
    const withNode = get(step, 'with');
    const freethreaded = toPlain(get(withNode, 'freethreaded'));
    // `true`, or an expression (`${{ matrix.ft }}`) that may be true for some entries.
    if (freethreaded === true || (typeof freethreaded === 'string' && freethreaded.includes('${{'))) return undefined;
    const versionNode = get(withNode, 'python-version') as YamlNode | undefined;
    const raw = toPlain(versionNode);
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    // Resolve `${{ matrix.x }}` to the matrix list (plus `include` entries).
    const key = typeof raw === 'string' ? matrixKey(raw) : undefined;
    if (key === undefined) {
      const versions = gilOnly([String(raw)]);
      if (versions !== undefined) return at(versionNode, versions);
      continue;
    }
    const versions = gilOnly(versionsOf(matrix, key));
    if (versions === undefined) continue;
    // Where the fix goes: the matrix list the versions come from, else the step's value.
    const listNode = get(matrix, key) as YamlNode | undefined;
    return at(listNode?.range === undefined || listNode.range === null ? versionNode : listNode, versions);
  }
  // No setup step reads the matrix: a Python version list that the job's steps use.
  const range = (job as YamlNode | undefined)?.range;
  if (range === undefined || range === null) return undefined;
  const jobText = text.slice(range[0], range[1]);
  for (const pair of pairsOf(matrix)) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!pythonKey.test(key) || !isSeq(pair.value) || !jobText.includes(`matrix.${key}`)) continue;
    const listed = versionsOf(matrix, key);
    if (!listed.every((v) => /^\s*3\.\d+/.test(v))) continue;
    const versions = gilOnly(listed);
    if (versions !== undefined) return at(pair.value as YamlNode, versions);
  }
  return undefined;
}

/** The values of `matrix.<key>`: its list plus the `include` entries that set it. */
function versionsOf(matrix: unknown, key: string): string[] {
  const listed = toPlain(get(matrix, key));
  const included = toPlain(get(matrix, 'include'));
  return [
    ...(Array.isArray(listed) ? listed.map(String) : []),
    ...(Array.isArray(included) ? included.map((e) => (e as Record<string, unknown>)?.[key]).filter((v) => v !== undefined).map(String) : []),
  ];
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
    },
    help: {
      missing: 'Add `3.14t` to the matrix (actions/setup-python and setup-uv accept it) and run the tests with `PYTHON_GIL=0`',
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
      const gap = jobGap(job, ctx.text);
      if (gap !== undefined) gaps.push({ ...gap, job: jobName });
    }
    // One finding per job: each matrix is its own list to extend (wheel, test and upload jobs
    // of one workflow each carry a copy of the version list).
    for (const gap of gaps) {
      ctx.report({
        start: gap.start,
        end: gap.end,
        symbol: gap.job,
        messageId: 'missing',
        data: { job: gap.job, versions: gap.versions.slice(0, 6).join(', ') },
      });
    }
  },
});
