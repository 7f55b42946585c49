import { defineRule, type RuleTarget } from '../engine/define-rule.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import { afterHashOnLine, argumentsAfter } from '../parsing/source-text.js';

/**
 * One build step that runs SWIG for Python, with where to add `-nogil` when that is safe; or, with
 * `wrapper`, one that compiles a wrapper SWIG generated elsewhere (a Makefile, a release script),
 * where the declaration is the `SWIGPYTHON_NOGIL` macro and `insert` adds it to `define_macros`.
 */
export type SwigStep = { start: number; end: number; via: string; insert?: { at: number; text: string }; wrapper?: string };

/**
 * A source named like the wrapper SWIG writes for a Python module: `<name>_wrap.c`, or for C++
 * `<name>_wrap.cxx` (`.cpp` and `.cc` when the build chose the output name with `-o`).
 */
const wrapperSource = /['"]((?:[^'"\n]*\/)?([^'"\n/]+_wrap\.(?:c|cxx|cpp|cc)))['"]/;

/**
 * The file asks SWIG for the `Py_mod_gil` slot somewhere: the `-nogil` flag (SWIG 4.4 and later)
 * or the `SWIGPYTHON_NOGIL` macro (SWIG's development tree before 4.4). A build that sets either
 * conditionally (only for a free-threaded interpreter) has made its choice too.
 */
const declares = /(?:^|[\s'"[,(])-nogil\b|\bSWIGPYTHON_NOGIL\b/;

/** `Extension(...)` calls of a `setup.py` that run SWIG: a `.i` source or a `swig_opts` argument. */
function setupPySteps(text: string): SwigStep[] {
  const steps: SwigStep[] = [];
  for (const m of text.matchAll(/\bExtension\s*\(/g)) {
    const call = argumentsAfter(text, m.index + 'Extension'.length);
    if (call === undefined) continue;
    const { args, open, close } = call;
    const opts = /\bswig_opts\s*=\s*/.exec(args);
    const interfaceSource = /['"][^'"\n]+\.i['"]/.test(args);
    if (opts === null && !interfaceSource) {
      const wrapper = wrapperSource.exec(args);
      if (wrapper !== null) steps.push(wrapperStep(text, open, args, wrapper));
      continue;
    }
    if (opts === null) {
      steps.push({ start: m.index, end: close + 1, via: '`Extension(...)` with a `.i` source' });
      continue;
    }
    const at = open + 1 + opts.index;
    // `['-c++']` → `['-c++', '-nogil']`.
    const insert = appendToLiteralList(args, open, opts, (quote) => `${quote}-nogil${quote}`);
    steps.push({ start: at, end: at + 'swig_opts'.length, via: '`swig_opts`', ...(insert === undefined ? {} : { insert }) });
  }
  // `options={'build_ext': {'swig_opts': ...}}`: the same options given to `build_ext` for every
  // extension (the `Extension` then names its `.i` source through a variable).
  for (const m of text.matchAll(/(['"])swig_opts\1\s*:/g)) {
    if (afterHashOnLine(text, m.index)) continue;
    steps.push({ start: m.index + 1, end: m.index + 1 + 'swig_opts'.length, via: 'the `build_ext` option `swig_opts`' });
  }
  return steps;
}

/**
 * The edit that appends an entry to the literal list a keyword argument takes (`keyword`, matched
 * in `args`, the arguments after the `(` at `open`): after its last entry, in the quotes the list
 * already uses (`entry` is given the quote). Undefined when the value is not a literal list.
 */
function appendToLiteralList(args: string, open: number, keyword: RegExpExecArray, entry: (quote: string) => string): SwigStep['insert'] {
  const list = /^\[([^\]]*)\]/.exec(args.slice(keyword.index + keyword[0].length));
  if (list === null) return undefined;
  const inner = list[1] ?? '';
  const listEnd = open + 1 + keyword.index + keyword[0].length + list[0].length - 1;
  const trimmed = inner.replace(/[\s,]*$/, '');
  const quote = /"/.test(inner) && !/'/.test(inner) ? '"' : "'";
  return { at: listEnd - (inner.length - trimmed.length), text: trimmed.length === 0 ? entry(quote) : `, ${entry(quote)}` };
}

/**
 * An `Extension(...)` (arguments `args` after the `(` at `open`) that compiles the pre-generated
 * wrapper `wrapper` found in them: reported at its `define_macros=` argument, where the macro goes
 * (with an edit that appends it to a literal list), or at the wrapper source when it has none.
 */
function wrapperStep(text: string, open: number, args: string, wrapper: RegExpExecArray): SwigStep {
  const name = wrapper[2] ?? '';
  const macros = /\bdefine_macros\s*=\s*/.exec(args);
  if (macros === null) {
    const at = open + 1 + wrapper.index + 1;
    return { start: at, end: at + (wrapper[1]?.length ?? 0), via: `\`Extension(...)\` compiling \`${name}\``, wrapper: name };
  }
  const at = open + 1 + macros.index;
  // `[('NDEBUG', None)]` → `[('NDEBUG', None), ('SWIGPYTHON_NOGIL', None)]`.
  const insert = appendToLiteralList(args, open, macros, (quote) => `(${quote}SWIGPYTHON_NOGIL${quote}, None)`);
  return { start: at, end: at + 'define_macros'.length, via: `\`Extension(...)\` compiling \`${name}\``, wrapper: name, ...(insert === undefined ? {} : { insert }) };
}

/**
 * Where a `setup.py` tells free-threaded interpreters apart (`sysconfig.get_config_var(
 * "Py_GIL_DISABLED")`, `sys._is_gil_enabled()`), outside comments: a build that already does so
 * is one that targets them, and the place to define the SWIG macro under the same test.
 */
function freeThreadedTest(text: string): { start: number; end: number } | undefined {
  for (const m of text.matchAll(/\bPy_GIL_DISABLED\b|\b_is_gil_enabled\b/g)) {
    if (!afterHashOnLine(text, m.index)) return { start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/** `swig_add_library(name LANGUAGE python ...)` and the older `swig_add_module(name python ...)`. */
function cmakeSteps(text: string): SwigStep[] {
  const steps: SwigStep[] = [];
  for (const m of text.matchAll(/\b(swig_add_library|swig_add_module)\s*\(/gi)) {
    if (afterHashOnLine(text, m.index)) continue;
    const name = m[1] ?? '';
    const call = argumentsAfter(text, m.index + name.length);
    if (call === undefined) continue;
    const python = name.toLowerCase() === 'swig_add_library' ? /\bLANGUAGE\s+"?python"?(?=[\s)"])/i.test(call.args + ' ') : /^\s*\S+\s+"?python"?\b/i.test(call.args);
    if (!python) continue;
    steps.push({ start: m.index, end: call.close + 1, via: `\`${name}\`` });
  }
  return steps;
}

/** A Make or configure variable named for the GIL flag: `$(SWIG_PYTHON_GIL_FLAG)`, `${NOGIL_FLAG}`, `@SWIG_NOGIL@`. */
const chosenGilFlag = /\$[({]\w*GIL\w*[)}]|@\w*GIL\w*@/;

/** A `swig ... -python ...` command line of a Makefile (`swig`, `$(SWIG)`, `${SWIG}`). */
function makefileSteps(text: string): SwigStep[] {
  const steps: SwigStep[] = [];
  for (const m of text.matchAll(/^[ \t]*[^#\n]*?(?:\bswig(?:\.exe)?|\$[({]SWIG[)}])[ \t][^\n]*?(-python)\b[^\n]*/gim)) {
    if (/^\s*#/.test(m[0])) continue;
    // A flag the configure step chooses (`-python $(SWIG_PYTHON_GIL_FLAG)`, `@SWIG_NOGIL@`): the
    // build decides `-nogil` elsewhere, under its own test.
    if (chosenGilFlag.test(m[0])) continue;
    const flag = m.index + m[0].indexOf('-python', m[0].search(/swig|\$[({]SWIG/i));
    steps.push({ start: flag, end: flag + '-python'.length, via: 'the `swig -python` command', insert: { at: flag + '-python'.length, text: ' -nogil' } });
  }
  return steps;
}

/** A meson `command: [swig, '-python', ...]` list (a `custom_target` that generates the wrapper). */
function mesonSteps(text: string): SwigStep[] {
  const steps: SwigStep[] = [];
  for (const m of text.matchAll(/\bcommand\s*:\s*\[([^\]]*)\]/g)) {
    const body = m[1] ?? '';
    if (!/(?:^|[\s,[])(?:swig\w*|'swig(?:\.exe)?')\s*,/i.test(body)) continue;
    const flag = /'-python'/.exec(body);
    if (flag === null) continue;
    const at = m.index + m[0].indexOf('[') + 1 + flag.index;
    steps.push({ start: at, end: at + flag[0].length, via: 'the `swig -python` command', insert: { at: at + flag[0].length, text: ", '-nogil'" } });
  }
  return steps;
}

/** Every step of one build file that runs SWIG for Python. */
export function swigPythonSteps(text: string, target: RuleTarget): SwigStep[] {
  if (target === 'setup-py') return setupPySteps(text);
  if (target === 'cmake') return cmakeSteps(text);
  if (target === 'makefile') return makefileSteps(text);
  if (target === 'meson') return mesonSteps(text);
  return [];
}

/** The project says it builds or tests for free-threaded Python: a CI job, or a trove classifier. */
function targetsFreeThreaded(project: ProjectFacts): boolean {
  return project.ciTestsFreeThreaded || project.classifiers.some((c) => /::\s*Free Threading\b/i.test(c));
}

/**
 * SWIG writes each module's init code, so a SWIG-generated module declares that it runs without
 * the GIL only when SWIG is asked to: `-nogil` on its command line, or `SWIGPYTHON_NOGIL` defined
 * when the wrapper is compiled. Reported only in projects that build or test for free-threaded
 * Python: elsewhere not declaring is the right default for a wrapped library that is not
 * thread-safe.
 */
export default defineRule({
  meta: {
    id: 'FT057',
    name: 'swig-nogil-undeclared',
    title: 'SWIG build step for Python without `-nogil`',
    category: 'module-declaration',
    why: 'A module that SWIG generates without `-nogil` makes the free-threaded interpreter turn the GIL back on at import.',
    targets: ['setup-py', 'cmake', 'makefile', 'meson'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'unsafe',
    preview: false,
    triggers: [],
    messages: {
      missing: 'This SWIG step ({{via}}) generates a Python module without `-nogil`, so importing it re-enables the GIL',
      wrapperMissing: 'This `Extension(...)` compiles the SWIG-generated wrapper `{{wrapper}}` without `SWIGPYTHON_NOGIL`, so importing the module re-enables the GIL',
    },
    help: {
      missing: 'Pass `-nogil` to SWIG (4.4 or later; with older SWIG, define `SWIGPYTHON_NOGIL`) once the wrapped library is thread-safe',
      wrapperMissing: 'Define `SWIGPYTHON_NOGIL` when compiling the wrapper (`define_macros=[(\'SWIGPYTHON_NOGIL\', None)]`, or generate it with `swig -nogil`) once the wrapped library is thread-safe',
    },
  },
  needsTree: false,
  prefilter: (text) => (/swig|_wrap\.c/i.test(text) ? [0] : []),
  check(ctx) {
    // A `setup.py` that tests for a free-threaded interpreter itself targets one too.
    const test = ctx.target === 'setup-py' ? freeThreadedTest(ctx.text) : undefined;
    if (!targetsFreeThreaded(ctx.project) && test === undefined) return;
    if (declares.test(ctx.text)) return;
    for (const step of swigPythonSteps(ctx.text, ctx.target)) {
      ctx.report({
        start: step.start,
        end: step.end,
        messageId: step.wrapper === undefined ? 'missing' : 'wrapperMissing',
        symbol: '<build>',
        data: step.wrapper === undefined ? { via: step.via } : { wrapper: step.wrapper },
        ...(step.insert === undefined ? {} : { fix: { edits: [{ start: step.insert.at, end: step.insert.at, text: step.insert.text }] } }),
        ...(test === undefined ? {} : { related: [{ start: test.start, message: 'this build already tells free-threaded interpreters apart here: the SWIG declaration can be made under the same test' }] }),
      });
    }
  },
});
