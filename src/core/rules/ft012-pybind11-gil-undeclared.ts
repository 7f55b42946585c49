import { defineRule } from '../engine/define-rule.js';
import { argumentsAfter } from '../parsing/source-text.js';

/**
 * The preprocessor directive that holds `offset`, following `\` line continuations back to its
 * `#`: where it starts, or undefined when `offset` is ordinary code.
 *
 * Worked example: for a `#define M(v)` line ending in `\` and a next line `  PYBIND11_MODULE(x, v)`,
 * the offset of `PYBIND11_MODULE` gives the start of the `#define` line.
 */
function directiveStart(text: string, offset: number): number | undefined {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  // A directive longer than this many continued lines is not a module wrapper (and the walk back
  // stays bounded on generated files).
  for (let lines = 0; lines < 200; lines++) {
    if (/^[ \t]*#/.test(text.slice(lineStart, lineStart + 200))) return lineStart;
    if (lineStart === 0) return undefined;
    // The previous line continues into this one only when it ends with `\`.
    const previousEnd = lineStart - 1;
    const previousStart = text.lastIndexOf('\n', previousEnd - 1) + 1;
    if (!/\\\r?$/.test(text.slice(previousStart, previousEnd))) return undefined;
    lineStart = previousStart;
  }
  return undefined;
}

/**
 * True when the function-like macro `name` opens a module body somewhere in `text` outside a
 * directive: a line that starts with `name(…)` followed by `{`, as in `PY_MODULE(m) {`.
 */
function wrapperUsed(text: string, name: string): boolean {
  for (const m of text.matchAll(new RegExp(`^[ \\t]*${name}\\s*\\(`, 'gm'))) {
    const call = argumentsAfter(text, m.index + m[0].lastIndexOf(name) + name.length);
    if (call !== undefined && /^\s*\{/.test(text.slice(call.close + 1, call.close + 200))) return true;
  }
  return false;
}

const moduleMacro = /\bPYBIND11_(?:EMBEDDED_)?MODULE\b/g;

export default defineRule({
  meta: {
    id: 'FT012',
    name: 'pybind11-gil-undeclared',
    title: 'pybind11 module without `py::mod_gil_not_used()`',
    category: 'module-declaration',
    why: 'A pybind11 module without `mod_gil_not_used` makes the free-threaded interpreter turn the GIL back on at import.',
    targets: ['cpp', 'c'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['PYBIND11_MODULE', 'PYBIND11_EMBEDDED_MODULE'],
    messages: {
      missing: '`PYBIND11_MODULE({{name}}, …)` does not pass `py::mod_gil_not_used()`, so importing it re-enables the GIL',
      embedded: '`PYBIND11_EMBEDDED_MODULE({{name}}, …)` does not pass `py::mod_gil_not_used()`, so importing it re-enables the GIL',
      wrapped: '`{{wrapper}}` expands to `{{macro}}({{name}}, …)` without `py::mod_gil_not_used()`, so importing the module re-enables the GIL',
    },
    help: {
      missing: 'Pass `py::mod_gil_not_used()` as the third argument (needs pybind11 2.13 or later)',
      embedded: 'Pass `py::mod_gil_not_used()` as the third argument (needs pybind11 3.0 or later)',
      wrapped: 'Pass `py::mod_gil_not_used()` in the macro definition, so every module it defines declares support',
    },
  },
  // A `#define` line between functions is not always in the parsed part of the file, so the
  // module macros inside directives are found here, as text, and read in `check`.
  prefilter: (text) => {
    const found: number[] = [];
    for (const m of text.matchAll(moduleMacro)) if (directiveStart(text, m.index) !== undefined) found.push(m.index);
    return found;
  },
  check(ctx) {
    const inCode = ctx.hits.filter((hit) => directiveStart(ctx.text, hit.index) === undefined);
    const inDirectives = ctx.prefiltered.map((index) => ({ index, name: /^PYBIND11_(?:EMBEDDED_)?MODULE\b/.exec(ctx.text.slice(index, index + 40))?.[0] ?? '' }));
    for (const hit of [...inCode, ...inDirectives]) {
      if (hit.name === '') continue;
      const call = argumentsAfter(ctx.text, hit.index + hit.name.length);
      if (call === undefined) continue;
      const { close, args } = call;
      // A project macro around the module macro (`#define PY_MODULE(m) PYBIND11_MODULE(ext, m)`)
      // is where the tag goes, when the file defines a module with it. Other directives (pybind11's
      // own `#define PYBIND11_MODULE(…)`, a `#define` that no module uses) are not modules.
      const directive = directiveStart(ctx.text, hit.index);
      let wrapper: string | undefined;
      if (directive !== undefined) {
        const define = /^[ \t]*#[ \t]*define[ \t]+(\w+)\(/.exec(ctx.text.slice(directive, hit.index));
        if (define?.[1] === undefined || define[1] === hit.name || !wrapperUsed(ctx.text, define[1])) continue;
        // Options handed through from the use (`__VA_ARGS__`) are the use's to give.
        if (/\b__VA_ARGS__\b/.test(args)) continue;
        wrapper = define[1];
      }
      if (/\bmod_gil_not_used\b/.test(args)) continue;
      const name = args.split(',')[0]?.trim() ?? 'module';
      const spelling = /\bnamespace\s+py\s*=\s*pybind11\b/.test(ctx.text) ? 'py' : 'pybind11';
      const fix = { edits: [{ start: close, end: close, text: `, ${spelling}::mod_gil_not_used()` }] };
      if (wrapper === undefined) ctx.report({ start: hit.index, end: close + 1, messageId: hit.name === 'PYBIND11_MODULE' ? 'missing' : 'embedded', data: { name }, fix });
      else ctx.report({ start: hit.index, end: close + 1, messageId: 'wrapped', data: { wrapper, macro: hit.name, name }, fix });
    }
  },
});
