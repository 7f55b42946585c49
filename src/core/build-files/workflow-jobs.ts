import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { parseWorkflow, startOf, toPlain } from './locate.js';
import { parseRequirement, parseVersion, type Requirement, type Version } from './requirements.js';

/** How one workflow job runs cibuildwheel. */
export type CibuildwheelRun = {
  /** The pinned version (`pypa/cibuildwheel@v2.21.3`, `pip install cibuildwheel==2.21.3`); undefined when unpinned. */
  version?: Version;
  versionText?: string;
  /** Offset of the version pin (the `uses:` value or the `pip install` requirement), when pinned. */
  pinStart?: number;
  /** Where that pin ends. */
  pinEnd?: number;
  /** Requirement files the job installs (`pip install -r tools/wheel-requirements.txt`), where an unpinned run may be pinned. */
  requirementFiles: string[];
  /** Offsets of the step that runs it. */
  start: number;
  end: number;
  /**
   * `CIBW_*` variables in effect for the step (workflow, job and step `env`), each with every
   * value it takes across the job's matrix (`${{ matrix.x }}` expanded). `matrixList` is where
   * the matrix spells those values out, when they all come from one list of the job's matrix
   * (`python: ["cp312-*", "cp313-*"]`): the place to edit them.
   */
  env: Map<string, { values: string[]; start: number; end: number; matrixList?: { start: number; end: number } }>;
};

/**
 * A `maturin --interpreter …` build. `matrixStart` is where the job's matrix starts when the
 * interpreters come from it (`--interpreter ${{ matrix.platform.interpreter }}`): the list to extend.
 */
export type MaturinRun = {
  interpreters: string[];
  start: number;
  end: number;
  findInterpreter: boolean;
  matrixStart?: number;
  /**
   * Where an earlier step of the job installs several interpreters for the build
   * (`actions/setup-python` with a multi-line `python-version`, as Windows and macOS runners
   * need): the other list a port extends.
   */
  installStart?: number;
  /**
   * The maturin release the step asks for (`maturin-version: "1.8.3"`), and where it is written:
   * the input, or the `env` entry it takes the value from (`maturin-version: ${{ env.MATURIN_VERSION }}`).
   */
  maturinVersion?: { text: string; start: number; end: number };
};

export type WorkflowJob = {
  id: string;
  start: number;
  end: number;
  cibuildwheel: CibuildwheelRun[];
  maturin: MaturinRun[];
  /** The job's text names a free-threaded interpreter (`3.14t`, `freethreaded: true`, `cp314t`). */
  mentionsFreeThreaded: boolean;
  /** The free-threaded versions its text names, outside comments: `3.13t` for `python3.13t` or `cp313t`. */
  freeThreadedVersions: string[];
  /** `run:` steps that audit every wheel of a folder with abi3audit (see `wheelAudits`). */
  abi3Audits: Array<{ start: number; end: number }>;
  /**
   * Capped binding-tool requirements that `run:` steps install (`pip install Cython==3.0.12`,
   * `"cython<3.1"`), with where each is written; `guarded` when the step runs only under an `if:`.
   */
  toolInstalls: Array<{ text: string; requirement: Requirement; start: number; end: number; guarded: boolean }>;
};

/**
 * The capped Cython, pybind11 and nanobind requirements of the `pip install` lines (also
 * `uv pip install`, `python -m pip install`) in a step's source: `Cython==3.0.12`, `"cython<3.1"`.
 */
function toolInstalls(source: string, offset: number): Array<{ text: string; requirement: Requirement; start: number; end: number }> {
  const out: Array<{ text: string; requirement: Requirement; start: number; end: number }> = [];
  const code = withoutComments(source);
  for (const line of code.matchAll(/\bpip3?\s+install\b[^\n;&|]*/g)) {
    for (const word of line[0].matchAll(/["']?((?:cython|pybind11|nanobind)\s*(?:==|<=?|>=?|~=)\s*[\d.*]+(?:\s*,\s*(?:[<>=!~]=?)\s*[\d.*]+)*)["']?/gi)) {
      const text = word[1] ?? '';
      const requirement = parseRequirement(text);
      if (requirement?.max === undefined) continue;
      const start = offset + line.index + word.index + word[0].indexOf(text);
      out.push({ text, requirement, start, end: start + text.length });
    }
  }
  return out;
}

/**
 * The abi3audit command lines of a step's source that take every wheel of a folder
 * (`abi3audit --strict ./wheelhouse/*.whl`), not only the abi3 ones (`./wheelhouse/*abi3*.whl`):
 * each line's offsets. `pip install abi3audit` is not an audit.
 */
function wheelAudits(source: string, offset: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of withoutComments(source).matchAll(/\babi3audit(?![\w-])[^\n;&|]*/g)) {
    const before = source.slice(source.lastIndexOf('\n', m.index) + 1, m.index);
    // A package name in an install command (`pip install -U abi3audit && abi3audit …`).
    if (/\binstall(?:\s+[^\s;&|]+)*\s+$/.test(before)) continue;
    const wheels = m[0].split(/\s+/).map((w) => w.replace(/["']+$/, '')).filter((w) => w.endsWith('.whl'));
    if (!wheels.some((w) => w.includes('*') && !/abi3/.test(w.slice(w.lastIndexOf('/') + 1)))) continue;
    out.push({ start: offset + m.index, end: offset + m.index + m[0].trimEnd().length });
  }
  return out;
}

export type WorkflowFacts = { jobs: WorkflowJob[]; error?: string };

/** The text of a YAML scalar (`3.13`, `true`, `"x"`); undefined for maps, lists and nulls. */
function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : undefined;
}

function pairsOf(node: unknown): Pair[] {
  return isMap(node) ? node.items : [];
}

function get(node: unknown, key: string): unknown {
  return pairsOf(node).find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

/** Every value of `${{ matrix.<key> }}` in the job's matrix (plain lists and `include` entries). */
function matrixValues(matrix: unknown, key: string): string[] {
  const plain = toPlain(matrix);
  if (typeof plain !== 'object' || plain === null) return [];
  const record = plain as Record<string, unknown>;
  const out: string[] = [];
  const listed = record[key];
  if (Array.isArray(listed)) out.push(...listed.map(String));
  const include = record.include;
  if (Array.isArray(include)) {
    for (const entry of include) {
      const v = scalarText((entry as Record<string, unknown> | null)?.[key]);
      if (v !== undefined) out.push(v);
    }
  }
  return out;
}

/** `cp3${{ matrix.py }}-*` with py = [12, 13t] → [`cp312-*`, `cp313t-*`]; bounded to 64 values. */
function expand(value: string, matrix: unknown): string[] {
  const m = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(value);
  // Any other expression (`${{ matrix.cibw.build || '*' }}`, `${{ inputs.x }}`) could be anything.
  if (m === null) return [value.replace(/\$\{\{[^}]{0,300}\}\}/g, '*')];
  const options = matrixValues(matrix, m[1] ?? '');
  // An expression the matrix does not resolve could be anything: keep it as a wildcard.
  if (options.length === 0) return [value.replace(m[0], '*')];
  return options.slice(0, 64).flatMap((o) => expand(value.replace(m[0], o), matrix).slice(0, 64));
}

/** A matrix value that names CPython versions: `313`, `3.13`, `cp313`, `cp312-* cp313-*`. */
const pythonVersionValue = /^(?:(?:cp|pp)?3\.?1?\d[t]?(?:-\S*)?\s*)+$/;

/**
 * The `env` entries in effect for a step, from the workflow's, the job's and the step's `env` (a
 * later scope's entry replaces an earlier one): each variable's pair and its scalar value. Entries
 * whose key or value is not a scalar are skipped.
 */
function stepEnv(scopes: readonly unknown[]): Map<string, { pair: Pair; value: string }> {
  const env = new Map<string, { pair: Pair; value: string }>();
  for (const scope of scopes) {
    for (const pair of pairsOf(scope)) {
      const value = scalarText(toPlain(pair.value));
      if (!isScalar(pair.key) || value === undefined) continue;
      env.set(String(pair.key.value), { pair, value });
    }
  }
  return env;
}

/** `${{ env.NAME }}`, the whole value: group 1 is the name. */
const ENV_REFERENCE = /^\$\{\{\s*env\.([\w-]+)\s*\}\}$/;

/**
 * Where the job's matrix lists the values of the `${{ matrix.<key> }}` in `value` that names
 * Python versions: the one reference, or, beside others (`cp${{ matrix.python }}-win_${{ matrix.arch }}`),
 * the one whose list holds versions. The span runs from the key through the last `include` entry
 * that also sets it (`- python: "313"` with `arch: ARM64`), where a `t` build is added too.
 */
function matrixListOf(value: string, matrix: unknown): { start: number; end: number } | undefined {
  if (/\$\{\{/.test(value.replace(/\$\{\{\s*matrix\.[\w-]+\s*\}\}/g, ''))) return undefined;
  const keys = [...new Set([...value.matchAll(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g)].map((m) => m[1] ?? ''))];
  const listOf = (key: string): Pair | undefined => pairsOf(matrix).find((p) => isScalar(p.key) && p.key.value === key && isSeq(p.value));
  const versionKeys = keys.filter((key) => {
    const list = toPlain(listOf(key)?.value);
    return Array.isArray(list) && list.length > 0 && list.every((v) => pythonVersionValue.test(String(v)));
  });
  const key = keys.length === 1 ? keys[0] : versionKeys.length === 1 ? versionKeys[0] : undefined;
  const pair = key === undefined ? undefined : listOf(key);
  if (key === undefined || pair === undefined) return undefined;
  const start = (pair.key as YamlNode).range?.[0];
  // The end of the list's last item (a block list's own range runs on through the blank lines after it).
  const items = isSeq(pair.value) ? pair.value.items : [];
  let end = ((items.at(-1) as YamlNode | null)?.range ?? (pair.value as YamlNode).range)?.[1];
  const include = get(matrix, 'include');
  for (const entry of isSeq(include) ? include.items : []) {
    // The end of the entry's last value (the entry's own range runs on to the next line).
    const entryEnd = (pairsOf(entry).at(-1)?.value as YamlNode | null)?.range?.[1];
    if (get(entry, key) !== undefined && entryEnd !== undefined && end !== undefined) end = Math.max(end, entryEnd);
  }
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** The step's `CIBW_*` variables into `into`, each with its values over the matrix and, where it names one, the matrix list they come from. */
function collectEnv(into: CibuildwheelRun['env'], scopes: ReadonlyMap<string, { pair: Pair; value: string }>, matrix: unknown): void {
  for (const [key, { pair, value: raw }] of scopes) {
    if (!key.startsWith('CIBW_')) continue;
    const start = (pair.key as YamlNode).range?.[0] ?? 0;
    const end = (pair.value as YamlNode | null)?.range?.[1] ?? start;
    const entry: { values: string[]; start: number; end: number; matrixList?: { start: number; end: number } } = { values: expand(raw, matrix), start, end };
    const list = matrixListOf(raw, matrix);
    if (list !== undefined) entry.matrixList = list;
    into.set(key, entry);
  }
}

/**
 * setup-python's architectures for the free-threaded builds (`x64-freethreaded`, `x86-freethreaded`,
 * `arm64-freethreaded`), given as its `architecture` input, written out or through the matrix.
 */
export const freeThreadedArchitecture = /\b(?:x64|x86|arm64)-freethreaded\b/;

// `3.14t` also inside `python3.14t`; `cp314t`; setup-python's `freethreaded` input and free-threaded
// architectures; `PYTHON_GIL`.
const freeThreadedMention = new RegExp(
  `${/(?<![\d.])3\.1\d+t\b|\bcp31\d+t\b|freethreaded:\s*(?:true|\$\{\{)|\+freethreaded|\bPYTHON_GIL\b/.source}|${freeThreadedArchitecture.source}`,
);

/**
 * A free-threaded interpreter installed or run by hand in a workflow's commands: the deadsnakes
 * PPA's `pythonX.Y-nogil` package, `python3.13t`, `python${{ matrix.v }}t`.
 */
export const freeThreadedCommand = /\bpython(?:3\.\d+|\$\{\{[^}\n]*\}\})(?:-nogil\b|t\b)/;

/** YAML text with its `#` comments (a `#` at a line start or after white space) blanked with spaces, offsets kept. */
export function withoutComments(text: string): string {
  return text.replace(/(^|[ \t])#[^\n]*/gm, (comment, lead: string) => lead + ' '.repeat(comment.length - lead.length));
}

/** `3.13t`, `python3.14t`, `cp314t` in `text` → [`3.13t`, `3.14t`], each once, in order. */
export function freeThreadedVersions(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![\d.])3\.(1\d)t\b|\bcp3(1\d)t\b/g)) out.add(`3.${m[1] ?? m[2] ?? ''}t`);
  return [...out];
}

/** The value at `path` inside a matrix entry: `{platform: {interpreter: "3.12"}}` with [`platform`, `interpreter`] → `3.12`. */
function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * Every value of `${{ matrix.a.b }}` or `${{ matrix.a.b || 'fallback' }}` across the job's matrix:
 * each entry of the `a` list (or each `include` entry) gives its `b`, or the fallback where it has
 * none. Undefined for any other expression, or when the matrix gives no value.
 * Worked example: `platform: [{interpreter: "3.10 pypy3.11"}, {target: x64}]` with
 * `${{ matrix.platform.interpreter || '3.10' }}` → [`3.10 pypy3.11`, `3.10`].
 */
function matrixPathValues(expression: string, matrix: unknown): string[] | undefined {
  const m = /^\$\{\{\s*matrix\.([\w-]+(?:\.[\w-]+){0,5})\s*(?:\|\|\s*'([^'\n]{0,200})'\s*)?\}\}$/.exec(expression);
  if (m === null) return undefined;
  const path = (m[1] ?? '').split('.');
  const fallback = m[2];
  const plain = toPlain(matrix);
  const listed = dig(plain, [path[0] ?? '']);
  const entries = [...(Array.isArray(listed) ? listed.map((e) => dig(e, path.slice(1))) : []), ...(Array.isArray(dig(plain, ['include'])) ? (dig(plain, ['include']) as unknown[]).map((e) => dig(e, path)) : [])];
  if (entries.length === 0) return undefined;
  const values = entries.map((e) => scalarText(e) ?? fallback).filter((v): v is string => v !== undefined && v !== '');
  return values.length === 0 ? undefined : [...new Set(values)].slice(0, 64);
}

/**
 * The interpreters of a maturin `args` string: the words after `-i` / `--interpreter` up to the
 * next option, with `${{ matrix.x }}` (or `${{ matrix.x.y || 'default' }}`) expanded to every
 * value the matrix gives it. Worked example: `--release -i 3.12 python3.13t --out dist` →
 * [`3.12`, `python3.13t`].
 */
function interpreterList(args: string, matrix: unknown, env: ReadonlyMap<string, { value: string }> = new Map()): string[] {
  const expanded = args.replace(/\$\{\{[^}]{0,300}\}\}/g, (e) => {
    // `${{ env.MATURIN_EXTRA }}` set in the workflow, job or step `env` (often to extra options or nothing).
    const fromEnv = ENV_REFERENCE.exec(e);
    const value = fromEnv === null ? undefined : env.get(fromEnv[1] ?? '')?.value;
    if (value !== undefined && !value.includes('${{')) return value;
    return (matrixPathValues(e, matrix) ?? expand(e, matrix)).join(' ');
  });
  // Quotes group words for the shell (`--interpreter "3.10 pypy3.11"`); they are not part of a name.
  const words = expanded.replace(/["']/g, ' ').split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word.startsWith('--interpreter=')) out.push(...word.slice('--interpreter='.length).split(',').filter(Boolean));
    else if (word !== '-i' && word !== '--interpreter') continue;
    for (let j = i + 1; j < words.length && !(words[j] ?? '-').startsWith('-'); j++) out.push(words[j] ?? '');
  }
  return out;
}

/**
 * Reads a workflow into its jobs and what each builds: cibuildwheel runs (with their pinned
 * version and `CIBW_*` settings), maturin interpreter lists. YAML errors are returned, not thrown.
 */
export function readWorkflow(text: string): WorkflowFacts {
  const { doc, error } = parseWorkflow(text);
  if (doc === undefined) return { jobs: [], ...(error === undefined ? {} : { error }) };
  const jobs: WorkflowJob[] = [];
  const workflowEnv = get(doc.contents, 'env');
  for (const jobPair of pairsOf(get(doc.contents, 'jobs'))) {
    if (!isScalar(jobPair.key)) continue;
    const id = String(jobPair.key.value);
    const job = jobPair.value;
    const start = jobPair.key.range?.[0] ?? 0;
    const end = (job as YamlNode | null)?.range?.[1] ?? start;
    const matrix = get(get(job, 'strategy'), 'matrix');
    const steps = get(job, 'steps');
    const jobText = withoutComments(text.slice(start, end));
    const entry: WorkflowJob = { id, start, end, cibuildwheel: [], maturin: [], mentionsFreeThreaded: freeThreadedMention.test(jobText), freeThreadedVersions: freeThreadedVersions(jobText), abi3Audits: [], toolInstalls: [] };
    if (isSeq(steps)) {
      let installStart: number | undefined;
      for (const step of steps.items) {
        const uses = toPlain(get(step, 'uses'));
        if (installStart === undefined && typeof uses === 'string' && /^actions\/setup-python@/i.test(uses)) {
          const versions = toPlain(get(get(step, 'with'), 'python-version'));
          if (typeof versions === 'string' && versions.trim().split(/\s+/).length > 1) installStart = startOf(step);
        }
        const run = toPlain(get(step, 'run'));
        const stepStart = startOf(step) ?? start;
        const stepEnd = (step as YamlNode | null)?.range?.[1] ?? stepStart;
        if (typeof run === 'string' && run.includes('abi3audit')) entry.abi3Audits.push(...wheelAudits(text.slice(stepStart, stepEnd), stepStart));
        if (typeof run === 'string' && /install/.test(run)) {
          const guarded = get(step, 'if') !== undefined;
          entry.toolInstalls.push(...toolInstalls(text.slice(stepStart, stepEnd), stepStart).map((i) => ({ ...i, guarded })));
        }
        let versionText: string | undefined;
        let pinStart: number | undefined;
        let pinEnd: number | undefined;
        // For a range, the newest release it allows (what pip installs).
        let newestAllowed: string | undefined;
        let runsCibw = false;
        if (typeof uses === 'string' && /^pypa\/cibuildwheel@/i.test(uses)) {
          runsCibw = true;
          versionText = uses.slice(uses.indexOf('@') + 1);
          pinStart = startOf(get(step, 'uses'));
          pinEnd = (get(step, 'uses') as YamlNode | null)?.range?.[1];
          // A commit pin with the release in a comment, as Dependabot and Renovate write it:
          // `pypa/cibuildwheel@<40 hex digits> # v3.2.1`.
          const usesEnd = (get(step, 'uses') as YamlNode | null)?.range?.[1];
          if (/^[0-9a-f]{40}$/i.test(versionText) && usesEnd !== undefined) {
            const lineEnd = text.indexOf('\n', usesEnd);
            const comment = /^[ \t]+#[ \t]*(?:tag[:=][ \t]*)?(v?\d+\.\d+(?:\.\d+)?)\b/.exec(text.slice(usesEnd, lineEnd < 0 ? text.length : lineEnd));
            if (comment !== null) versionText = comment[1] ?? versionText;
          }
        } else if (typeof run === 'string' && /(?:^|[\s;&|])(?:cibuildwheel|python\d?(?:\.\d+)?\s+-m\s+cibuildwheel)(?=\s|$)/m.test(run)) {
          runsCibw = true;
          // `pip install cibuildwheel==2.21.3`, or a range whose cap decides what pip installs:
          // `"cibuildwheel>=2.17,<3"` installs the newest 2.x (read as 2.99).
          const jobSource = text.slice(start, end);
          const pin = /\bcibuildwheel\s*==\s*([\d.]+)/.exec(jobSource);
          const cap = pin === null ? /\bcibuildwheel\s*(?:[><=~!]=?\s*[\d.*]+\s*,\s*)*<\s*(\d+)(?:\.(\d+))?(?:\.\d+)?(?![\d.])/.exec(jobSource) : null;
          if (pin !== null) versionText = pin[1];
          else if (cap !== null) {
            newestAllowed = cap[2] === undefined || cap[2] === '0' ? `${Number(cap[1]) - 1}.99` : `${cap[1]}.${Number(cap[2]) - 1}.99`;
            versionText = cap[0].slice(cap[0].search(/[<>=~!]/)).replace(/\s+/g, '');
          }
          const found = pin ?? cap;
          if (found !== null) {
            pinStart = start + found.index;
            pinEnd = pinStart + found[0].length;
          }
        }
        if (runsCibw) {
          const env: CibuildwheelRun['env'] = new Map();
          collectEnv(env, stepEnv([workflowEnv, get(job, 'env'), get(step, 'env')]), matrix);
          const versionSource = newestAllowed ?? versionText;
          const version = versionSource === undefined ? undefined : parseVersion(versionSource);
          const requirementFiles = [...withoutComments(text.slice(start, end)).matchAll(/\s(?:-r|--requirement)[ =]+([\w./-]{1,200}\.txt)\b/g)].map((m) => (m[1] ?? '').replace(/^\.\//, ''));
          const cibw: CibuildwheelRun = { start: stepStart, end: stepEnd, env, requirementFiles };
          // A branch or commit (`@main`, `@a1b2c3…` with a comment) is not a version.
          if (version !== undefined && versionText !== undefined && versionSource !== undefined && /^v?\d+\.\d+/.test(versionSource)) {
            cibw.version = version;
            cibw.versionText = versionText;
            if (pinStart !== undefined) cibw.pinStart = pinStart;
            if (pinEnd !== undefined) cibw.pinEnd = pinEnd;
          }
          entry.cibuildwheel.push(cibw);
        }
        if (typeof uses === 'string' && /^(?:pyo3|messense)\/maturin-action@/i.test(uses)) {
          const args = toPlain(get(get(step, 'with'), 'args'));
          const text = typeof args === 'string' ? args : '';
          const env = stepEnv([workflowEnv, get(job, 'env'), get(step, 'env')]);
          const interpreters = interpreterList(text, matrix, env);
          // Only steps that build wheels (`build`, the default command), not `sdist` or `upload`.
          const command = toPlain(get(get(step, 'with'), 'command'));
          if (command === undefined || command === 'build') {
            const run: MaturinRun = { interpreters, start: stepStart, end: stepEnd, findInterpreter: /--find-interpreter\b/.test(text) };
            const matrixStart = startOf(matrix);
            if (/(?:-i|--interpreter)[ =]+\S*\$\{\{\s*matrix\./.test(text) && matrixStart !== undefined) run.matrixStart = matrixStart;
            if (installStart !== undefined) run.installStart = installStart;
            const versionNode = get(get(step, 'with'), 'maturin-version');
            const versionValue = scalarText(toPlain(versionNode));
            if (versionValue !== undefined) {
              const fromEnv = ENV_REFERENCE.exec(versionValue.trim());
              const pair = fromEnv === null ? undefined : env.get(fromEnv[1] ?? '')?.pair;
              const where = pair === undefined ? (versionNode as YamlNode | null) : (pair.value as YamlNode | null);
              const text = pair === undefined ? versionValue : (env.get(fromEnv?.[1] ?? '')?.value ?? versionValue);
              const range = where?.range;
              if (range !== undefined && range !== null && /^v?\d+\.\d+/.test(text.trim())) run.maturinVersion = { text: text.trim(), start: pair === undefined ? range[0] : ((pair.key as YamlNode).range?.[0] ?? range[0]), end: range[1] };
            }
            entry.maturin.push(run);
          }
        }
      }
    }
    jobs.push(entry);
  }
  return { jobs };
}
