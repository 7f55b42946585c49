import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

export default defineRule({
  meta: {
    id: 'FT018',
    name: 'refcnt-uniqueness-check',
    title: 'Reference count compared to test for sole ownership',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['Py_REFCNT'],
    messages: {
      unique: '`{{test}}` does not prove sole ownership in the free-threaded build, where other threads hold references without a visible count',
    },
    help: {
      unique: 'Use `PyUnstable_Object_IsUniquelyReferenced(obj)` (3.14+, or pythoncapi-compat)',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      const call = hit.node === undefined ? undefined : callOf(hit.node);
      let node = call;
      while (node?.parent?.type === 'parenthesized_expression') node = node.parent;
      const comparison = node?.parent;
      if (call === undefined || comparison === null || comparison === undefined || comparison.type !== 'binary_expression') continue;
      const op = comparison.childForFieldName('operator')?.text ?? '';
      const other = comparison.childForFieldName('left')?.id === node?.id ? comparison.childForFieldName('right') : comparison.childForFieldName('left');
      const value = other?.text ?? '';
      const isUniqueTest = ((op === '==' || op === '!=') && value === '1') || ((op === '<=' || op === '>') && value === '1') || (op === '<' && value === '2');
      if (!isUniqueTest) continue;
      ctx.report({ node: comparison, messageId: 'unique', data: { test: comparison.text.replace(/\s+/g, ' ').slice(0, 60) } });
    }
  },
});
