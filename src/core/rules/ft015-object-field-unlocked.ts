import { defineRule } from '../engine/define-rule.js';
import { enclosingFunction, functionName, isLockHeld, parameterNames } from '../parsing/syntax.js';

// `self->field = …`, `self->n += …`, `Py_XSETREF(self->f, …)`, `Py_CLEAR(self->f)`.
const fieldWrite = /\bself\s*->\s*\w+\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|\b(?:Py_X?SETREF|Py_CLEAR)\s*\(\s*self\s*->/g;

// Object set-up and tear-down run before the object is shared or after it can no longer be.
const lifecycle = /(new|init|alloc|dealloc|finalize|traverse|clear|free|del)$/i;

export default defineRule({
  meta: {
    id: 'FT015',
    name: 'object-field-unlocked',
    title: 'Object field mutated in a method without a critical section',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      unlocked: '`{{field}}` is written in `{{function}}` without `Py_BEGIN_CRITICAL_SECTION(self)`; two threads calling methods on one object race',
    },
    help: {
      unlocked: 'Wrap the read-modify-write in `Py_BEGIN_CRITICAL_SECTION(self)` … `Py_END_CRITICAL_SECTION()`',
    },
  },
  prefilter: (text) => (text.includes('self') ? [...text.matchAll(fieldWrite)].map((m) => m.index) : []),
  check(ctx) {
    const root = ctx.root;
    if (root === undefined) return;
    for (const m of ctx.text.matchAll(fieldWrite)) {
      const at = ctx.text.indexOf('self', m.index);
      const node = root.descendantForIndex(at, at + 4);
      if (node === null || node.type !== 'identifier' || node.text !== 'self') continue;
      const fn = enclosingFunction(node);
      const name = fn === undefined ? undefined : functionName(fn);
      if (fn === undefined || name === undefined || lifecycle.test(name)) continue;
      if (!parameterNames(fn).includes('self') || isLockHeld(node, ctx.text)) continue;
      const field = /self\s*->\s*(\w+)/.exec(ctx.text.slice(at, at + 80))?.[1] ?? 'field';
      ctx.report({ start: at, end: at + 6 + field.length, messageId: 'unlocked', symbol: name, data: { field: `self->${field}`, function: name } });
    }
  },
});
