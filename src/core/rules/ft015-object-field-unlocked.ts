import { sharedStateOf } from '../analysis/shared-state/index.js';
import { defineRule } from '../engine/define-rule.js';

/**
 * Unprotected writes to the fields of the object a method runs on, in C/C++ methods named in
 * method, getset and slot tables (and the helpers they hand the object to), and in `def`
 * methods of Cython `cdef class`es. One finding per method, at its first write.
 */
export default defineRule({
  meta: {
    id: 'FT015',
    name: 'object-field-unlocked',
    title: 'Object field mutated in a method without a critical section',
    category: 'shared-state',
    why: 'Two threads calling methods on the same object can interleave these field updates and leave it half-changed.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: [],
    messages: {
      unlocked: '`{{field}}`{{more}} written in `{{function}}` without a critical section; two threads calling {{reach}} on one object race',
      handedOff: 'C state `{{field}}` is handed to `{{callee}}` in `{{function}}` without a critical section; two threads calling {{reach}} on one object race',
    },
    help: {
      unlocked: 'Wrap the read-modify-write in `Py_BEGIN_CRITICAL_SECTION(self)` … `Py_END_CRITICAL_SECTION()` (Cython: `with cython.critical_section(self):`)',
      handedOff: 'Hold `with cython.critical_section(self):` (or a lock the object owns) around the use, unless the C library documents `{{callee}}` as thread-safe on one handle',
    },
  },
  // `check` reads the analysis, not the tree: one offset gets it run.
  needsTree: false,
  prefilter: (text, target) => (sharedStateOf(text, target).fields.length > 0 ? [0] : []),
  check(ctx) {
    for (const f of sharedStateOf(ctx.text, ctx.target).fields) {
      const rest = f.fields.length - 1;
      const more = rest === 0 ? '' : ` and ${rest} more field${rest === 1 ? '' : 's'}`;
      const reach = `\`${f.reason.entry}\``;
      ctx.report({
        start: f.at,
        end: f.end,
        messageId: f.callee === undefined ? 'unlocked' : 'handedOff',
        symbol: f.function,
        data: { field: f.path, more, function: f.function, reach, callee: f.callee ?? '' },
        related: f.related.map((r) => ({ start: r.at, message: r.message })),
      });
    }
  },
});
