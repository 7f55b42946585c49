import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin } from '../parsing/container-origin.js';
import { assignedValues, callArguments, callOf, enclosingFunction, unwrapExpression } from '../parsing/syntax.js';

/** Borrowed-reference APIs whose result must not be turned into a strong reference after the fact. */
const borrowedApis = new Set([
  'PyList_GetItem',
  'PyList_GET_ITEM',
  'PyDict_GetItem',
  'PyDict_GetItemWithError',
  'PyDict_GetItemString',
  'PyDict_SetDefault',
  'PyWeakref_GetObject',
  'PyWeakref_GET_OBJECT',
  'PyImport_AddModule',
  'PyImport_AddModuleObject',
  'PySys_GetObject',
  'PyCell_GET',
]);

const increfs = ['Py_NewRef', 'Py_XNewRef', 'Py_INCREF', 'Py_XINCREF'];

/**
 * The borrowed API called by `expr` (`PyList_GetItem(l, 0)`), or undefined. Calls on a container
 * this function created (or on its kwargs dict) do not count: nothing else can free the item.
 */
function borrowedCallee(expr: Node): string | undefined {
  const inner = unwrapExpression(expr);
  if (inner.type !== 'call_expression') return undefined;
  const callee = inner.childForFieldName('function')?.text ?? '';
  if (!borrowedApis.has(callee)) return undefined;
  const container = callArguments(inner)[0];
  const containerApis = callee.startsWith('PyList_') || callee.startsWith('PyDict_');
  if (containerApis && container !== undefined && confidenceForOrigin(containerOrigin(container)) === undefined) return undefined;
  return callee;
}

export default defineRule({
  meta: {
    id: 'FT004',
    name: 'borrowed-ref-then-incref',
    title: 'Strong reference taken from a borrowed one too late',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: increfs,
    messages: {
      direct: '`{{incref}}` around `{{api}}` does not make the borrowed reference safe: the item can be freed before the increment',
      viaLocal: '`{{incref}}({{name}})` after `{{api}}` does not make the borrowed reference safe: the item can be freed before the increment',
    },
    help: {
      direct: 'Call `{{replacement}}` instead, which returns a strong reference atomically',
      viaLocal: 'Call `{{replacement}}` instead, which returns a strong reference atomically',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      if (hit.node === undefined) continue;
      const call = callOf(hit.node);
      const arg = call === undefined ? undefined : callArguments(call)[0];
      if (arg === undefined) continue;
      const direct = borrowedCallee(arg);
      if (direct !== undefined) {
        ctx.report({ node: hit.node, messageId: 'direct', data: { incref: hit.name, api: direct, replacement: replacementFor(direct) } });
        continue;
      }
      // `item = PyList_GetItem(l, i); Py_INCREF(item);`: a local whose only values are borrowed calls.
      const target = unwrapExpression(arg);
      const fn = enclosingFunction(hit.node);
      if (target.type !== 'identifier' || fn === undefined) continue;
      const sources = assignedValues(fn, target.text).filter((v) => v.startIndex < hit.index);
      const last = sources[sources.length - 1];
      const api = last === undefined ? undefined : borrowedCallee(last);
      if (api === undefined) continue;
      ctx.report({
        node: hit.node,
        messageId: 'viaLocal',
        confidence: 'medium',
        data: { incref: hit.name, name: target.text, api, replacement: replacementFor(api) },
      });
    }
  },
});

function replacementFor(api: string): string {
  if (api.startsWith('PyList_')) return 'PyList_GetItemRef';
  if (api === 'PyDict_GetItemString') return 'PyDict_GetItemStringRef';
  if (api === 'PyDict_SetDefault') return 'PyDict_SetDefaultRef';
  if (api.startsWith('PyDict_')) return 'PyDict_GetItemRef';
  if (api.startsWith('PyWeakref_')) return 'PyWeakref_GetRef';
  if (api.startsWith('PyImport_')) return 'PyImport_AddModuleRef';
  if (api === 'PySys_GetObject') return 'PySys_GetAttrString';
  return 'PyCell_Get';
}
