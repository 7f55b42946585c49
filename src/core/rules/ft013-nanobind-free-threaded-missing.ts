import { defineRule } from '../engine/define-rule.js';
import { afterHashOnLine, argumentsAfter } from '../parsing/source-text.js';

export default defineRule({
  meta: {
    id: 'FT013',
    name: 'nanobind-free-threaded-missing',
    title: 'nanobind module built without `FREE_THREADED`',
    category: 'module-declaration',
    why: 'A nanobind module built without `FREE_THREADED` makes the free-threaded interpreter turn the GIL back on at import.',
    targets: ['cmake'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['nanobind_add_module'],
    messages: {
      missing: '`nanobind_add_module({{name}} …)` does not pass `FREE_THREADED`, so importing the module re-enables the GIL',
    },
    help: {
      missing: 'Add the `FREE_THREADED` keyword after the target name (nanobind 2.2 or later)',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      // Skip commented-out calls: CMake comments run from `#` to the end of the line.
      if (afterHashOnLine(ctx.text, hit.index)) continue;
      const call = argumentsAfter(ctx.text, hit.index + hit.name.length);
      if (call === undefined) continue;
      const { open, close, args } = call;
      if (/\bFREE_THREADED\b/.test(args)) continue;
      const first = /^\s*(\S+)/.exec(args);
      if (first === null) continue;
      const after = open + 1 + first[0].length;
      ctx.report({
        start: hit.index,
        end: close + 1,
        messageId: 'missing',
        data: { name: first[1] ?? '' },
        fix: { edits: [{ start: after, end: after, text: ' FREE_THREADED' }] },
      });
    }
  },
});
