import { defineRule } from '../engine/define-rule.js';
import { argumentsAfter } from '../parsing/source-text.js';

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
      const call = argumentsAfter(ctx.text, hit.index + hit.name.length);
      if (call === undefined) continue;
      const { close, args } = call;
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
