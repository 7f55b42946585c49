import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

const uniquenessTest = /\bPy_REFCNT\s*\((?:[^()]|\([^()]*\))*\)\s*(?:==|!=|<=|>=|<|>)\s*[12]\b|\b[12]\s*(?:==|!=)\s*Py_REFCNT\b/g;

export default defineRule({
  meta: {
    id: 'FT018',
    name: 'refcnt-uniqueness-check',
    title: 'Reference count compared to test for sole ownership',
    category: 'shared-state',
    why: 'Reference counts are not a reliable uniqueness test when other threads can take or drop references concurrently.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: [],
    messages: {
      unique: '`{{test}}` does not prove sole ownership in the free-threaded build, where other threads hold references without a visible count',
    },
    help: {
      unique: 'Use `PyUnstable_Object_IsUniquelyReferenced(obj)` (3.14+, or pythoncapi-compat)',
    },
  },
  // Py_REFCNT is common; only comparisons with 1 or 2 are worth a parse:
  //   `Py_REFCNT(self) == 1` / `1 == Py_REFCNT(o)` / `Py_REFCNT(x) > 1` → offset of `Py_REFCNT`.
  prefilter: (text) => {
    if (!text.includes('Py_REFCNT')) return [];
    return [...text.matchAll(uniquenessTest)].map((m) => m.index + m[0].indexOf('Py_REFCNT'));
  },
  check(ctx) {
    const hits = ctx.prefiltered.map((index) => ({ index, node: ctx.root?.descendantForIndex(index, index + 9) ?? undefined }));
    for (const hit of hits) {
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
