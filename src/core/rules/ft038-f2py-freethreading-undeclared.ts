import { defineRule } from '../engine/define-rule.js';

/**
 * The start of a meson command list (`command: [`, `arguments: [`) or of a `generator(` call.
 * Matched line by line; the list itself is found by bracket counting, bounded below.
 */
const opener = /\b(command|arguments)\s*:\s*\[|\bgenerator\s*\(/g;

/** Longest command list read, in characters: meson command lists are a few lines long. */
const maxSpan = 2000;

/** The end (exclusive) of the bracketed list or call that opens just before `from`, or undefined. */
function closeOf(text: string, from: number): number | undefined {
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

/** An identifier or string naming f2py: `f2py`, `'numpy.f2py'`, a wrapper such as `generate_f2pymod`. */
const namesF2py = /\w*f2py\w*/i;

export default defineRule({
  meta: {
    id: 'FT038',
    name: 'f2py-freethreading-undeclared',
    title: 'f2py build step without `--freethreading-compatible`',
    category: 'module-declaration',
    why: 'Modules that f2py generates without `--freethreading-compatible` make the free-threaded interpreter turn the GIL back on at import.',
    targets: ['meson'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: [],
    messages: {
      missing: 'This f2py step ({{via}}) generates modules without `--freethreading-compatible`, so each re-enables the GIL on import',
    },
    help: {
      missing: 'Pass `--freethreading-compatible` to f2py (NumPy 2.1 or later) once the wrapped Fortran code is thread-safe',
    },
  },
  prefilter: (text) => (/f2py/i.test(text) ? [0] : []),
  check(ctx) {
    const text = ctx.text;
    let lastEnd = 0;
    for (const m of text.matchAll(opener)) {
      const start = m.index;
      if (start < lastEnd) continue;
      const end = closeOf(text, start + m[0].length);
      if (end === undefined) continue;
      const body = text.slice(start, end);
      // `run_command([f2py, '-v'])` and `find_program('f2py')` are not module builds.
      if (m[1] === undefined && !/^generator\s*\(\s*\w*f2py/i.test(body)) continue;
      const name = namesF2py.exec(body)?.[0];
      if (name === undefined) continue;
      lastEnd = end;
      // Declared, declined (`--no-freethreading-compatible`) or passed through a variable
      // (`f2py_freethreading_arg`): the project has made its choice.
      if (/freethread|nogil|gil_not_used/i.test(body)) continue;
      ctx.report({ start, end: start + m[0].length, messageId: 'missing', symbol: '<build>', data: { via: `\`${name}\`` } });
    }
  },
});
