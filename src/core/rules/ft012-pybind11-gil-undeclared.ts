import { defineRule } from '../engine/define-rule.js';

/** Offset of the `)` closing the parenthesis that opens at `open`, or -1. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === '"' || c === "'") {
      // Skip a string or character literal (module names and docstrings can hold parentheses).
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    }
  }
  return -1;
}

export default defineRule({
  meta: {
    id: 'FT012',
    name: 'pybind11-gil-undeclared',
    title: 'pybind11 module without `py::mod_gil_not_used()`',
    targets: ['cpp', 'c'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['PYBIND11_MODULE'],
    messages: {
      missing: '`PYBIND11_MODULE({{name}}, …)` does not pass `py::mod_gil_not_used()`, so importing it re-enables the GIL',
    },
    help: {
      missing: 'Pass `py::mod_gil_not_used()` as the third argument (needs pybind11 2.13 or later)',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      // Skip the macro's own definition and mentions that are not a module definition.
      const lineStart = ctx.text.lastIndexOf('\n', hit.index) + 1;
      if (/^\s*#/.test(ctx.text.slice(lineStart, hit.index))) continue;
      const open = ctx.text.indexOf('(', hit.index);
      if (open < 0 || /\S/.test(ctx.text.slice(hit.index + hit.name.length, open))) continue;
      const close = matchingParen(ctx.text, open);
      if (close < 0) continue;
      const args = ctx.text.slice(open + 1, close);
      if (/\bmod_gil_not_used\b/.test(args)) continue;
      const name = args.split(',')[0]?.trim() ?? 'module';
      const spelling = /\bnamespace\s+py\s*=\s*pybind11\b/.test(ctx.text) ? 'py' : 'pybind11';
      ctx.report({
        start: hit.index,
        end: close + 1,
        messageId: 'missing',
        data: { name },
        fix: { edits: [{ start: close, end: close, text: `, ${spelling}::mod_gil_not_used()` }] },
      });
    }
  },
});
