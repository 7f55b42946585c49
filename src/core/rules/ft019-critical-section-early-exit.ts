import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { enclosingFunction } from '../parsing/syntax.js';

const endFor: Record<string, RegExp> = {
  Py_BEGIN_CRITICAL_SECTION: /\bPy_END_CRITICAL_SECTION\s*\(/g,
  Py_BEGIN_CRITICAL_SECTION_MUTEX: /\bPy_END_CRITICAL_SECTION\s*\(/g,
  Py_BEGIN_CRITICAL_SECTION2: /\bPy_END_CRITICAL_SECTION2\s*\(/g,
  Py_BEGIN_CRITICAL_SECTION2_MUTEX: /\bPy_END_CRITICAL_SECTION2\s*\(/g,
};

/** Labels defined between `start` and `end` (a `goto` to one of them stays inside the section). */
function labelsWithin(fn: Node, start: number, end: number): Set<string> {
  const labels = new Set<string>();
  for (const label of fn.descendantsOfType('labeled_statement')) {
    if (label !== null && label.startIndex > start && label.startIndex < end) {
      const name = label.childForFieldName('label')?.text;
      if (name !== undefined) labels.add(name);
    }
  }
  return labels;
}

export default defineRule({
  meta: {
    id: 'FT019',
    name: 'critical-section-early-exit',
    title: '`return` or `goto` out of a critical section',
    category: 'shared-state',
    why: 'Leaving a critical section without its end macro keeps the lock held, which deadlocks the next thread that needs it.',
    targets: ['c', 'cpp'],
    severity: 'error',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: Object.keys(endFor),
    messages: {
      exit: '`{{statement}}` leaves the critical section opened by `{{begin}}` without ending it',
    },
    help: {
      exit: 'Store the result, break out to the matching `Py_END_CRITICAL_SECTION()`, and return after it',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      const fn = hit.node === undefined ? undefined : enclosingFunction(hit.node);
      if (fn === undefined) continue;
      const closing = endFor[hit.name];
      if (closing === undefined) continue;
      closing.lastIndex = hit.index;
      const end = closing.exec(ctx.text.slice(0, fn.endIndex))?.index;
      if (end === undefined) continue;
      const labels = labelsWithin(fn, hit.index, end);
      for (const exit of fn.descendantsOfType(['return_statement', 'goto_statement'])) {
        if (exit === null || exit.startIndex <= hit.index || exit.startIndex >= end) continue;
        if (exit.type === 'goto_statement' && labels.has(exit.childForFieldName('label')?.text ?? '')) continue;
        ctx.report({ node: exit, messageId: 'exit', data: { statement: exit.text.replace(/\s+/g, ' ').slice(0, 40), begin: hit.name } });
      }
    }
  },
});
