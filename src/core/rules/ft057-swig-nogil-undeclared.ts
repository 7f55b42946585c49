import { defineRule, type RuleTarget } from '../engine/define-rule.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import { afterHashOnLine, argumentsAfter } from '../parsing/source-text.js';

/** One build step that runs SWIG for Python, with where to add `-nogil` when that is safe. */
export type SwigStep = { start: number; end: number; via: string; insert?: { at: number; text: string } };

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
    if (opts === null && !interfaceSource) continue;
    if (opts === null) {
      steps.push({ start: m.index, end: close + 1, via: '`Extension(...)` with a `.i` source' });
      continue;
    }
    const at = open + 1 + opts.index;
    const list = /^\[([^\]]*)\]/.exec(args.slice(opts.index + opts[0].length));
    let insert: SwigStep['insert'];
    if (list !== null) {
      // Append to a literal list: `['-c++']` → `['-c++', '-nogil']`.
      const inner = list[1] ?? '';
      const listEnd = open + 1 + opts.index + opts[0].length + list[0].length - 1;
      const trimmed = inner.replace(/[\s,]*$/, '');
      const quote = /"/.test(inner) && !/'/.test(inner) ? '"' : "'";
      insert = { at: listEnd - (inner.length - trimmed.length), text: trimmed.length === 0 ? `${quote}-nogil${quote}` : `, ${quote}-nogil${quote}` };
    }
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

/** A `swig ... -python ...` command line of a Makefile (`swig`, `$(SWIG)`, `${SWIG}`). */
function makefileSteps(text: string): SwigStep[] {
  const steps: SwigStep[] = [];
  for (const m of text.matchAll(/^[ \t]*[^#\n]*?(?:\bswig(?:\.exe)?|\$[({]SWIG[)}])[ \t][^\n]*?(-python)\b[^\n]*/gim)) {
    if (/^\s*#/.test(m[0])) continue;
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
    },
    help: {
      missing: 'Pass `-nogil` to SWIG (4.4 or later; with older SWIG, define `SWIGPYTHON_NOGIL`) once the wrapped library is thread-safe',
    },
  },
  needsTree: false,
  prefilter: (text) => (/swig/i.test(text) ? [0] : []),
  check(ctx) {
    if (!targetsFreeThreaded(ctx.project)) return;
    if (declares.test(ctx.text)) return;
    for (const step of swigPythonSteps(ctx.text, ctx.target)) {
      ctx.report({
        start: step.start,
        end: step.end,
        messageId: 'missing',
        symbol: '<build>',
        data: { via: step.via },
        ...(step.insert === undefined ? {} : { fix: { edits: [{ start: step.insert.at, end: step.insert.at, text: step.insert.text }] } }),
      });
    }
  },
});
