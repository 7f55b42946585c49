import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { defineRule } from '../engine/define-rule.js';
import { parseWorkflow, toPlain } from '../build-files/locate.js';
import { freeThreadedArchitecture, freeThreadedCommand, withoutComments } from '../build-files/workflow-jobs.js';

/** True for a Python version spec that selects a free-threaded build: `3.14t`, `3.13t-dev`, `3.14+freethreaded`. */
function isFreeThreadedVersion(value: string): boolean {
  return /^\s*3\.\d+t\b|freethread/i.test(value);
}

/** `${{ matrix.python-version }}` → [`python-version`]; `${{ matrix.version.python }}` → [`version`, `python`]. */
function matrixPath(value: string): string[] | undefined {
  const m = /\$\{\{\s*matrix\.([\w-]+(?:\.[\w-]+)?)\s*\}\}/.exec(value);
  return m === null ? undefined : (m[1] ?? '').split('.');
}

function pairsOf(node: unknown): Pair[] {
  return isMap(node) ? node.items : [];
}

function get(node: unknown, key: string): unknown {
  return pairsOf(node).find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

/** The CPython minor of a GIL version spec: `3.14` → 14, `3.14-dev` → 14, `3.14.0-alpha - 3.14` → 14; else undefined. */
function gilMinor(value: string): number | undefined {
  const m = /^\s*3\.(\d+)(?![\dt])/.exec(value);
  return m === null || isFreeThreadedVersion(value) ? undefined : Number(m[1]);
}

/**
 * What a job's version list lacks: every free-threaded build when it has none (two or more
 * CPython versions, PyPy and GraalPy left out), or `3.14t` when it tests `3.13t` beside a GIL
 * 3.14 or later (the deprecated free-threaded build kept, the supported one never added).
 */
function gap(versions: readonly string[]): { versions: string[]; missing: string; stale?: string } | undefined {
  const cpython = [...new Set(versions.filter((v) => !/pypy|graalpy|\*/i.test(v)))];
  const threaded = cpython.filter(isFreeThreadedVersion);
  if (threaded.length === 0) return cpython.length < 2 ? undefined : { versions: cpython, missing: '3.14t' };
  const newestGil = Math.max(0, ...cpython.map(gilMinor).filter((m): m is number => m !== undefined));
  const threadedMinors = threaded.map((v) => Number(/3\.(\d+)/.exec(v)?.[1] ?? 0));
  if (newestGil >= 14 && threadedMinors.every((m) => m < 14)) {
    return { versions: cpython, missing: `3.${newestGil}t`, stale: [...new Set(threaded.map((v) => v.trim()))].join(', ') };
  }
  return undefined;
}

/** A matrix key that lists Python versions: `python-version`, `python`, `py`, `pyver`. */
const pythonKey = /^(python|py)([-_]?(version|ver|versions))?$/i;

/** A boolean input that turns a free-threaded build on: `true`, or an expression (`${{ matrix.ft }}`) that may be true for some entries. */
function selects(input: unknown): boolean {
  return input === true || (typeof input === 'string' && (input.includes('${{') || input.trim() === 'true'));
}

type Gap = { start: number; end: number; versions: string[]; missing: string; stale?: string };

/** A command that runs a test suite: pytest, unittest, tox, nox, `make test`, a `run-tests` / `runtests` script. */
const testCommand = /(?<![\w-])(?:pytest|py\.test|unittest|tox|nox|make[ \t]+(?:test|check)\w*|run[-_]?tests?(?:\.py)?|\w*test\.py)(?![\w-])/g;

/** The offset of the first test command in a `run` script that is not a package an install command names (`pip install pytest`), or undefined. */
function testRun(script: string): number | undefined {
  let lineStart = 0;
  for (const line of script.split('\n')) {
    for (const m of line.matchAll(testCommand)) {
      // The command this word belongs to: from the last `&&`, `;` or `|` before it.
      const command = line.slice(0, m.index).split(/&&|\|\||[;|]/).at(-1) ?? '';
      if (!/\b(?:install|add)\b/.test(command)) return lineStart + m.index;
    }
    lineStart += line.length + 1;
  }
  return undefined;
}

/** A manylinux interpreter folder of a GIL build: `cp314-cp314` (`/opt/python/cp314-cp314/bin/python`), `cp37-cp37m`. */
const manylinuxGil = /\bcp3(\d+)-cp3\1m?(?![\dt])/g;

/**
 * The other places of a job that turn each matrix version into an interpreter, where a `t` entry
 * of the matrix needs its own: a `run` step that maps the versions to manylinux interpreter
 * folders (`"3.14") PY=cp314-cp314`; the `t` build is `cp314-cp314t`), at its newest version, and
 * a conda-incubator/setup-miniconda step that installs the matrix version (conda's free-threaded
 * build is the `python-freethreading` package, not a `3.14t` version); and the first step that
 * runs the tests, where `PYTHON_GIL=0` or a check of the GIL goes for the `t` entry.
 */
function interpreterPlaces(steps: YamlNode, text: string, missing: string): Array<{ start: number; message: string }> {
  const out: Array<{ start: number; message: string }> = [];
  let testStep = false;
  for (const step of isSeq(steps) ? steps.items : []) {
    // The first step that runs the test suite, which the `t` entry runs too: the other half of the help.
    const runNode = get(step, 'run') as YamlNode | undefined;
    const range = runNode?.range;
    // The step's script as written, comments blanked (offsets kept).
    const source = range === undefined || range === null ? undefined : withoutComments(text.slice(range[0], range[1]));
    if (!testStep && range !== undefined && range !== null && source !== undefined) {
      const command = testRun(source);
      if (command !== undefined) {
        testStep = true;
        out.push({ start: range[0] + command, message: `This step runs the tests, on the \`${missing}\` entry too: with \`PYTHON_GIL=0\`, or a check that \`sys._is_gil_enabled()\` stays false after the import, it tests the extension without the GIL` });
      }
    }
    const run = toPlain(runNode);
    if (typeof run === 'string' && range !== undefined && range !== null && source !== undefined && run.includes('matrix.')) {
      const folders = [...source.matchAll(manylinuxGil)];
      const minors = new Set(folders.map((m) => Number(m[1])));
      // A mapping names several versions (one folder is a fixed interpreter for a tool) and no `t` build yet.
      if (minors.size >= 2 && !/\bcp3\d+-cp3\d+t\b/.test(source)) {
        const newest = Math.max(...minors);
        const last = folders.filter((m) => Number(m[1]) === newest).at(-1);
        if (last !== undefined) out.push({ start: range[0] + last.index, message: `This step maps the matrix versions to manylinux interpreters (\`${last[0]}\`): a \`t\` version needs its own (\`cp3${newest}-cp3${newest}t\`)` });
      }
    }
    const uses = toPlain(get(step, 'uses'));
    if (typeof uses === 'string' && /^conda-incubator\/setup-miniconda@/.test(uses)) {
      const versionNode = get(get(step, 'with'), 'python-version') as YamlNode | undefined;
      const version = toPlain(versionNode);
      const at = versionNode?.range?.[0];
      if (typeof version === 'string' && version.includes('matrix.') && at !== undefined) {
        out.push({ start: at, message: "setup-miniconda installs conda's `python` package for each version; the free-threaded build is the `python-freethreading` package" });
      }
    }
  }
  return out;
}

/**
 * The Python version list of one job where a free-threaded entry is missing: the version list of
 * an `actions/setup-python` / `astral-sh/setup-uv` step, or a matrix list of Python versions
 * (`python-version: ["3.12", "3.13"]`) that the job uses (`${{ matrix.python-version }}`) to set
 * up its interpreter another way (conda, a manylinux path, a container). The finding spans the
 * list and the rest of the matrix, where an `include` entry for `3.14t` would also go.
 */
function jobGap(job: unknown, text: string): Gap | undefined {
  const matrix = get(get(job, 'strategy'), 'matrix') as YamlNode | undefined;
  const steps = get(job, 'steps');
  const matrixEnd = matrix?.range?.[1];
  const at = (node: YamlNode | undefined | null, found: Omit<Gap, 'start' | 'end'>, spanMatrix: boolean): Gap => {
    const start = node?.range?.[0] ?? 0;
    const end = spanMatrix && matrixEnd !== undefined && matrixEnd > start ? matrixEnd : node?.range?.[1] ?? start;
    return { start, end, ...found };
  };
  if (!isSeq(steps)) return calledWorkflowGap(job, matrix, at);
  // A free-threaded interpreter installed or run by hand: deadsnakes' `pythonX.Y-nogil` package,
  // `python3.13t` or `python${{ matrix.v }}t` on a command line.
  for (const step of steps.items) {
    const run = toPlain(get(step, 'run'));
    if (typeof run === 'string' && freeThreadedCommand.test(run)) return undefined;
  }
  for (const step of steps.items) {
    const uses = toPlain(get(step, 'uses'));
    if (typeof uses !== 'string') continue;
    // deadsnakes/action installs the free-threaded build of its `python-version` when `nogil` is on.
    if (/^deadsnakes\/action@/.test(uses) && selects(toPlain(get(get(step, 'with'), 'nogil')))) return undefined;
    if (!/^(actions\/setup-python|astral-sh\/setup-uv)@/.test(uses)) continue;
    const withNode = get(step, 'with');
    if (selects(toPlain(get(withNode, 'freethreaded')))) return undefined;
    // setup-python's `architecture: x64-freethreaded` (any `<arch>-freethreaded`), written out or
    // from the matrix, installs the free-threaded build of the step's version.
    const arch = toPlain(get(withNode, 'architecture'));
    const archPath = typeof arch === 'string' ? matrixPath(arch) : undefined;
    const archs = typeof arch !== 'string' ? [] : archPath === undefined ? [arch] : versionsOf(matrix, archPath);
    if (archs.some((a) => freeThreadedArchitecture.test(a))) return undefined;
    const versionNode = get(withNode, 'python-version') as YamlNode | undefined;
    const raw = toPlain(versionNode);
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    // Resolve `${{ matrix.x }}` (or `${{ matrix.x.y }}`) to the matrix list plus `include` entries.
    const path = typeof raw === 'string' ? matrixPath(raw) : undefined;
    if (path === undefined) {
      const found = gap([String(raw)]);
      if (found !== undefined) return at(versionNode, found, false);
      continue;
    }
    const found = gap(versionsOf(matrix, path));
    if (found === undefined) continue;
    // Where the fix goes: the matrix list the versions come from, else the matrix, else the step's value.
    const listNode = get(matrix, path[0] ?? '') as YamlNode | undefined;
    const anchor = listNode?.range !== undefined && listNode.range !== null ? listNode : matrix?.range !== undefined && matrix.range !== null ? matrix : versionNode;
    const listGap = at(anchor, found, anchor !== versionNode);
    // Through the setup step's `python-version`, where `freethreaded: true` (or a `t` entry's
    // interpreter) goes as well: the list and the step are one edit.
    const stepEnd = versionNode?.range?.[1];
    return stepEnd !== undefined && stepEnd > listGap.end ? { ...listGap, end: stepEnd } : listGap;
  }
  // `uv python install 3.12 3.13` with the versions written out.
  for (const step of steps.items) {
    const runNode = get(step, 'run') as YamlNode | undefined;
    const run = toPlain(runNode);
    if (typeof run !== 'string') continue;
    const install = /\buv[ \t]+python[ \t]+install\b([^\n;&|]*)/.exec(run);
    if (install === null || (install[1] ?? '').includes('${{')) continue;
    const versions = (install[1] ?? '').split(/\s+/).filter((w) => w !== '' && !w.startsWith('-'));
    // Options that take a value (`--python-preference only-managed`) leave a word that is no version.
    const found = gap(versions.filter((v) => /^3\.\d+/.test(v) || /pypy|graalpy/i.test(v)));
    if (found !== undefined) return at(runNode, found, false);
  }
  // No setup step reads the matrix: a Python version list that the job's steps use, under a
  // Python-like key or one a `uv python install` / `--python` argument takes.
  const range = (job as YamlNode | undefined)?.range;
  if (range === undefined || range === null) return undefined;
  const jobText = text.slice(range[0], range[1]);
  // `uv python install ${{ matrix.py }}`, `--python ${{ matrix.versions.version }}`: the matrix path, by its first key.
  const installed = new Map<string, string[]>();
  for (const m of jobText.matchAll(/(?:\buv[ \t]+python[ \t]+install\b|--python[ \t=])[^\n]{0,200}?\$\{\{\s*matrix\.([\w-]+(?:\.[\w-]+)?)\s*\}\}/g)) {
    const path = (m[1] ?? '').split('.');
    if (!installed.has(path[0] ?? '')) installed.set(path[0] ?? '', path);
  }
  for (const pair of pairsOf(matrix)) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const path = installed.get(key) ?? (pythonKey.test(key) ? [key] : undefined);
    if (path === undefined || !isSeq(pair.value) || !jobText.includes(`matrix.${key}`)) continue;
    // PyPy and GraalPy entries sit in CPython lists (`pypy3.10`); every other entry must be a version.
    const listed = versionsOf(matrix, path).filter((v) => v.trim() !== '*' && !/pypy|graalpy/i.test(v));
    if (!listed.every((v) => /^\s*3\.\d+/.test(v))) continue;
    const found = gap(listed);
    if (found !== undefined) return at(pair.value, found, true);
  }
  return undefined;
}

/**
 * A job that calls a reusable workflow (`uses: ./.github/workflows/_build.yml`) and passes it a
 * Python version from its matrix (`with: python-version: ${{ matrix.python-version }}`): the
 * called workflow builds or tests each version, so the matrix list is where `3.14t` goes. The
 * span runs from the list through the input that passes it on.
 */
function calledWorkflowGap(job: unknown, matrix: YamlNode | undefined, at: (node: YamlNode | undefined | null, found: Omit<Gap, 'start' | 'end'>, spanMatrix: boolean) => Gap): Gap | undefined {
  if (typeof toPlain(get(job, 'uses')) !== 'string' || matrix === undefined) return undefined;
  for (const pair of pairsOf(get(job, 'with'))) {
    const raw = toPlain(pair.value);
    const path = typeof raw === 'string' ? matrixPath(raw) : undefined;
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (path === undefined || !(pythonKey.test(key) || pythonKey.test(path[0] ?? ''))) continue;
    const listed = versionsOf(matrix, path).filter((v) => v.trim() !== '*' && !/pypy|graalpy/i.test(v));
    if (!listed.every((v) => /^\s*3\.\d+/.test(v))) continue;
    const found = gap(listed);
    if (found === undefined) continue;
    const listNode = get(matrix, path[0] ?? '') as YamlNode | undefined;
    const listGap = at(listNode ?? matrix, found, true);
    const valueEnd = (pair.value as YamlNode | null)?.range?.[1];
    return valueEnd !== undefined && valueEnd > listGap.end ? { ...listGap, end: valueEnd } : listGap;
  }
  return undefined;
}

/** The value at `path` inside a matrix entry: `{version: {python: "3.12"}}` with [`version`, `python`] → `3.12`. */
function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** The values of `matrix.<path>`: its list plus the `include` entries that set it. */
function versionsOf(matrix: unknown, path: readonly string[]): string[] {
  const [head = '', ...rest] = path;
  const listed = toPlain(get(matrix, head));
  const included = toPlain(get(matrix, 'include'));
  const values = [
    ...(Array.isArray(listed) ? listed.map((e) => dig(e, rest)) : []),
    ...(Array.isArray(included) ? included.map((e) => dig(e, path)) : []),
  ];
  return values.filter((v) => v !== undefined && v !== null && typeof v !== 'object').map(String);
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
    triggers: [],
    messages: {
      missing: 'The `{{job}}` job tests Python {{versions}} but no free-threaded build ({{missing}} missing), so races in the extension go untested',
      stale: 'The `{{job}}` job tests Python {{versions}} and free-threaded {{stale}} only, not {{missing}}',
    },
    help: {
      missing: 'Add `3.14t` to the matrix (actions/setup-python and setup-uv accept it) and run the tests with `PYTHON_GIL=0`',
      stale: 'Add `{{missing}}` to the matrix: free-threaded 3.13 was experimental, and 3.14t is the supported free-threaded build (PEP 779)',
    },
  },
  // A setup step's `python-version`, a matrix read as `matrix.py…`, or Pythons installed by uv.
  prefilter: (text) => (/python-version|matrix\.py|\buv[ \t]+python[ \t]+install\b|--python[ \t=]/.test(text) ? [0] : []),
  check(ctx) {
    if (!ctx.project.hasExtensionSources) return;
    const { doc } = parseWorkflow(ctx.text);
    if (doc === undefined) return;
    // One free-threaded job anywhere in the project's CI is enough for the missing case (NumPy and
    // Pillow test 3.14t in other workflow files than their per-platform matrices), and so is any
    // free-threaded job of this workflow (a separate `3.14t` job, `freethreaded: true`).
    const code = withoutComments(ctx.text);
    const testsFreeThreaded =
      ctx.project.ciTestsFreeThreaded || /python-version:\s*["']?3\.\d+t\b|\b3\.\d+t["']?\s*[,\]]|freethreaded:\s*(true|\$\{\{)|3\.\d+\+freethreaded/.test(code);
    for (const jobPair of pairsOf(get(doc.contents, 'jobs'))) {
      const job = jobPair.value;
      const jobName = isScalar(jobPair.key) ? String(jobPair.key.value) : 'job';
      const found = jobGap(job, ctx.text);
      // One finding per job: each matrix is its own list to extend (wheel, test and upload jobs
      // of one workflow each carry a copy of the version list).
      if (found === undefined || (found.stale === undefined && testsFreeThreaded)) continue;
      const steps = get(job, 'steps') as YamlNode;
      const related = get(get(job, 'strategy'), 'matrix') === undefined ? [] : interpreterPlaces(steps, ctx.text, found.missing);
      ctx.report({
        start: found.start,
        end: found.end,
        ...(related.length === 0 ? {} : { related }),
        symbol: jobName,
        messageId: found.stale === undefined ? 'missing' : 'stale',
        data: { job: jobName, versions: found.versions.filter((v) => !isFreeThreadedVersion(v)).slice(0, 6).join(', '), missing: found.missing, stale: found.stale ?? '' },
      });
    }
  },
});
