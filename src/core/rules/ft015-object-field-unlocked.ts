import { defineRule } from '../engine/define-rule.js';
import { enclosingFunction, functionFacts, functionName, isLockHeld } from '../parsing/syntax.js';

// `self->field = …`, `self->n += …`, `Py_XSETREF(self->f, …)`, `Py_CLEAR(self->f)`.
const fieldWrite = /\bself\s*->\s*\w+\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|\b(?:Py_X?SETREF|Py_CLEAR)\s*\(\s*self\s*->/g;

// Object set-up and tear-down run before the object is shared or after it can no longer be.
// Matched as a whole word at the end of the name (`Widget_new`, `buffer_dealloc`, `tp_init`), so
// `Widget_renew` or `set_model` are still methods.
const lifecycle = /(^|_)(tp_)?(new|init|setup|alloc|dealloc|finalize|traverse|clear|free|del)$/i;

/**
 * Names of functions Python code can call on an object, as registered in this file's method,
 * getset and type-slot tables:
 *
 *   {"add", (PyCFunction)Counter_add, METH_O, NULL}      → Counter_add
 *   {"hits", (getter)Counter_get_hits, (setter)Counter_set_hits, NULL, NULL} → both
 *   {Py_tp_iternext, Counter_next}  /  .tp_iternext = Counter_next  → Counter_next
 *
 * Internal helpers are left out: their callers often hold a lock the rule cannot see.
 */
export function exposedFunctions(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\{\s*"[^"\n]*"\s*,([^{}]*)\}/g)) {
    for (const part of (m[1] ?? '').replace(/\([^()]*\)/g, ' ').split(',')) {
      const name = part.trim();
      if (/^[A-Za-z_]\w*$/.test(name) && !/^(NULL|METH_\w+|READONLY|T_\w+|Py_T_\w+|0)$/.test(name)) names.add(name);
    }
  }
  for (const m of text.matchAll(/\{\s*Py_(?:tp|nb|sq|mp|am|bf)_\w+\s*,\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\}/g)) names.add(m[1] ?? '');
  for (const m of text.matchAll(/\.tp_\w+\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)/g)) names.add(m[1] ?? '');
  return names;
}

export default defineRule({
  meta: {
    id: 'FT015',
    name: 'object-field-unlocked',
    title: 'Object field mutated in a method without a critical section',
    category: 'shared-state',
    why: 'Two threads calling methods on the same object can interleave these field updates and leave it half-changed.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      unlocked: '`{{field}}`{{more}} written in `{{function}}` without `Py_BEGIN_CRITICAL_SECTION(self)`; two threads calling methods on one object race',
    },
    help: {
      unlocked: 'Wrap the read-modify-write in `Py_BEGIN_CRITICAL_SECTION(self)` … `Py_END_CRITICAL_SECTION()`',
    },
  },
  prefilter: (text) => {
    if (!text.includes('self')) return [];
    const exposed = exposedFunctions(text);
    return exposed.size === 0 ? [] : [...text.matchAll(fieldWrite)].map((m) => m.index);
  },
  check(ctx) {
    const root = ctx.root;
    if (root === undefined) return;
    // One finding per method, at its first unlocked write, naming how many fields it writes.
    const byFunction = new Map<string, { at: number; fields: Set<string> }>();
    const exposed = exposedFunctions(ctx.text);
    for (const m of ctx.text.matchAll(fieldWrite)) {
      const at = ctx.text.indexOf('self', m.index);
      const node = root.descendantForIndex(at, at + 4);
      if (node === null || node.type !== 'identifier' || node.text !== 'self') continue;
      const fn = enclosingFunction(node);
      const name = fn === undefined ? undefined : functionName(fn);
      if (fn === undefined || name === undefined || lifecycle.test(name) || !exposed.has(name)) continue;
      if (!functionFacts(fn).parameters.includes('self') || isLockHeld(node, ctx.text)) continue;
      const field = /self\s*->\s*(\w+)/.exec(ctx.text.slice(at, at + 80))?.[1] ?? 'field';
      const entry = byFunction.get(name) ?? { at, fields: new Set<string>() };
      entry.fields.add(field);
      byFunction.set(name, entry);
    }
    for (const [name, { at, fields }] of byFunction) {
      const [first = 'field', ...rest] = [...fields];
      const more = rest.length === 0 ? '' : ` and ${rest.length} more field${rest.length === 1 ? '' : 's'}`;
      ctx.report({ start: at, end: at + 6 + first.length, messageId: 'unlocked', symbol: name, data: { field: `self->${first}`, more, function: name } });
    }
  },
});
