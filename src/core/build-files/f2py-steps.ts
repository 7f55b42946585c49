/**
 * The places a build runs f2py to generate extension modules, read as text (nothing is run):
 * meson `command: [...]` lists and `generator(...)` calls, and the f2py invocations of Python build
 * scripts (`subprocess` command lists, `f2py …` shell strings, `numpy.f2py.run_main([...])`).
 * `declared` says whether the step already passes `--freethreading-compatible` (or declines it,
 * or passes a variable about free threading).
 */
export type F2pyStep = {
  /** UTF-16 offsets of the step's opening (`command: [`, `generator(`, `[` of a command list, the string). */
  start: number;
  end: number;
  /** What runs f2py, as shown in a message: `f2py`, `numpy.f2py`, a wrapper script's name. */
  via: string;
  declared: boolean;
};

/** What a Python build script says about f2py, for the meson steps that run it. */
export type F2pyScript = {
  /** Its f2py invocations. */
  steps: F2pyStep[];
  /**
   * True when the script itself always asks f2py for `--freethreading-compatible`: it names the
   * flag and takes no command-line option about free threading that a caller would have to pass.
   */
  declaresAlways: boolean;
};

/** Longest command list or call read, in characters: build command lines are a few lines long. */
const maxSpan = 2000;

/** Words that show a step already made its free-threading choice (the flag, its negation, a variable). */
const choice = /freethread|free[-_]threading|nogil|gil_not_used/i;

/**
 * The end (exclusive) of the bracketed list or call whose opening bracket sits just before `from`,
 * or undefined when it does not close within `maxSpan`. Skips quoted strings and `#` comments.
 */
export function closeOf(text: string, from: number): number | undefined {
  let depth = 1;
  const limit = Math.min(text.length, from + maxSpan);
  let quote: string | undefined;
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** The start of a meson command list (`command: [`, `arguments: [`) or of a `generator(` call. */
const mesonOpener = /\b(command|arguments)\s*:\s*\[|\bgenerator\s*\(/g;

/**
 * The first identifier or string word naming f2py: `f2py`, `'numpy.f2py'`, a wrapper such as
 * `generate_f2pymod` (the word around the first `f2py`, in any case). A scan rather than a regex
 * with a leading word-run, which would retry from every character of a long word.
 */
function namesF2py(body: string): string | undefined {
  const at = body.toLowerCase().indexOf('f2py');
  if (at < 0) return undefined;
  let start = at;
  while (start > 0 && isWordChar(body.charCodeAt(start - 1))) start--;
  let end = at + 4;
  while (end < body.length && isWordChar(body.charCodeAt(end))) end++;
  return body.slice(start, end);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The f2py steps of a `meson.build`. `run_command([f2py, '-v'])` and `find_program('f2py')` build nothing and are left out. */
export function mesonF2pySteps(text: string): F2pyStep[] {
  const steps: F2pyStep[] = [];
  let lastEnd = 0;
  for (const m of text.matchAll(mesonOpener)) {
    const start = m.index;
    if (start < lastEnd) continue;
    const end = closeOf(text, start + m[0].length);
    if (end === undefined) continue;
    const body = text.slice(start, end);
    if (m[1] === undefined && !/^generator\s*\(\s*\w*f2py/i.test(body)) continue;
    const via = namesF2py(body);
    if (via === undefined) continue;
    lastEnd = end;
    steps.push({ start, end: start + m[0].length, via, declared: choice.test(body) });
  }
  return steps;
}

// `'f2py'` or `'numpy.f2py'` as a whole string: an element of a command list.
const f2pyElement = /(["'])((?:numpy\.)?f2py)\1/g;
// A shell command string that starts with f2py: `'f2py -c …'`, `"python -m numpy.f2py …"`.
const f2pyShell = /(["'])((?:python3?\s+-m\s+numpy\.)?f2py\s+--?[a-z][^"'\n]{0,500})\1/g;
// `numpy.f2py.run_main([...])`, `f2py2e.run_main(`.
const runMain = /\bf2py\w*\.run_main\s*\(/g;
// An argparse or click option about free threading: the caller decides.
const freeThreadingOption = /add_argument\s*\([^)\n]{0,200}(?:free[-_]?thread|nogil)|@click\.option\s*\([^)\n]{0,200}(?:free[-_]?thread|nogil)/i;

/** The rest of the line after `end`: `['f2py', …] + extra_args` adds arguments there. */
function tail(text: string, end: number): string {
  const nl = text.indexOf('\n', end);
  return text.slice(end, nl < 0 ? text.length : Math.min(nl, end + 300));
}

/** The offset of the unclosed `[` that encloses `at`, looking back at most 500 characters. */
function enclosingList(text: string, at: number): number | undefined {
  let depth = 0;
  for (let i = at - 1; i >= Math.max(0, at - 500); i--) {
    const c = text[i];
    if (c === ']' || c === ')') depth++;
    else if (c === '[' || c === '(') {
      if (depth === 0) return c === '[' ? i : undefined;
      depth--;
    }
  }
  return undefined;
}

/** The f2py invocations of a Python build script (a wrapper run by meson, `setup.py`). */
export function pythonF2pyScript(text: string): F2pyScript {
  const steps: F2pyStep[] = [];
  const taken: Array<[number, number]> = [];
  const add = (start: number, end: number, open: number, via: string): void => {
    if (taken.some(([s, e]) => start < e && s < end)) return;
    taken.push([start, end]);
    steps.push({ start, end: open, via, declared: choice.test(text.slice(start, end)) || choice.test(tail(text, end)) });
  };
  for (const m of text.matchAll(f2pyElement)) {
    const open = enclosingList(text, m.index);
    if (open === undefined) continue;
    const end = closeOf(text, open + 1);
    // `[…, 'numpy.f2py', '-v']` asks for the version and builds nothing.
    if (end !== undefined && !/(["'])(?:-v|--version|-h|--help)\1/.test(text.slice(open, end))) add(open, end, open + 1, m[2] ?? 'f2py');
  }
  for (const m of text.matchAll(f2pyShell)) add(m.index, m.index + m[0].length, m.index + m[0].length, (m[2] ?? '').includes('numpy.f2py') ? 'numpy.f2py' : 'f2py');
  for (const m of text.matchAll(runMain)) {
    const end = closeOf(text, m.index + m[0].length);
    if (end !== undefined) add(m.index, end, m.index + m[0].length, m[0].replace(/\s*\($/, ''));
  }
  // A script that names the flag anywhere (`cmd.append('--freethreading-compatible')`) has made its choice.
  const namesFlag = /--(?:no-)?freethreading-compatible/.test(text);
  steps.sort((a, b) => a.start - b.start);
  return { steps: steps.map((s) => ({ ...s, declared: s.declared || namesFlag })), declaresAlways: namesFlag && !freeThreadingOption.test(text) };
}
