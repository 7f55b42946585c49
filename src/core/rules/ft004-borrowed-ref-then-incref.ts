import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin } from '../parsing/container-origin.js';
import { assignedValues, callArguments, callOf, enclosingFunction, functionFacts, innermostIdentifier, isLockHeld, unwrapExpression } from '../parsing/syntax.js';
import { strongReplacements } from './strong-replacements.js';

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
function borrowedCallee(expr: Node, text: string): string | undefined {
  const inner = unwrapExpression(expr);
  if (inner.type !== 'call_expression') return undefined;
  const callee = inner.childForFieldName('function')?.text ?? '';
  if (!borrowedApis.has(callee)) return undefined;
  const container = callArguments(inner)[0];
  const containerApis = callee.startsWith('PyList_') || callee.startsWith('PyDict_');
  if (containerApis && container !== undefined && confidenceForOrigin(containerOrigin(container, text)) === undefined) return undefined;
  return callee;
}

/** `Py_INCREF(x)` / `Py_NewRef(x)` … applied to the local `name` in `fn` after offset `after`. */
function increfOfLocal(fn: Node, name: string, after: number): Node | undefined {
  for (const call of functionFacts(fn).calls) {
    if (call.startIndex <= after) continue;
    const callee = call.childForFieldName('function')?.text ?? '';
    if (!increfs.includes(callee)) continue;
    const arg = callArguments(call)[0];
    if (arg !== undefined && unwrapExpression(arg).text === name) return call;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'FT004',
    name: 'borrowed-ref-then-incref',
    title: 'Strong reference taken from a borrowed one too late',
    category: 'borrowed-reference',
    why: 'The object can be freed between the borrowed lookup and the increment, so the new reference may point at freed memory.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    // Triggered by the borrowed APIs, not by Py_INCREF: increfs are everywhere in C-API code,
    // borrowed calls are rare, so this keeps the prefilter selective.
    triggers: [...borrowedApis],
    // The borrowed call these rules flag is the one this rule reports: one finding, this one's words.
    subsumes: ['FT001', 'FT002', 'FT017'],
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
      if (call === undefined || borrowedCallee(call, ctx.text) === undefined) continue;
      // Under a critical section on the container, taking the strong reference there is the fix.
      if (isLockHeld(hit.node, ctx.text)) continue;
      // Direct: Py_NewRef(PyList_GetItem(l, 0)), possibly through a cast or parentheses.
      let outer = call.parent;
      while (outer !== null && (outer.type === 'parenthesized_expression' || outer.type === 'cast_expression')) outer = outer.parent;
      const wrapper = outer?.type === 'argument_list' ? outer.parent : null;
      const wrapperName = wrapper?.childForFieldName('function')?.text ?? '';
      if (wrapper !== null && wrapper !== undefined && increfs.includes(wrapperName)) {
        ctx.report({ node: wrapper, messageId: 'direct', data: { incref: wrapperName, api: hit.name, replacement: replacementFor(hit.name) } });
        continue;
      }
      // Via a local: item = PyList_GetItem(l, i); … Py_INCREF(item);
      const fn = enclosingFunction(hit.node);
      const parent = outer;
      let name: string | undefined;
      if (parent?.type === 'init_declarator') name = innermostIdentifier(parent.childForFieldName('declarator'));
      else if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.type === 'identifier') name = parent.childForFieldName('left')?.text;
      if (fn === undefined || name === undefined) continue;
      const incref = increfOfLocal(fn, name, call.endIndex);
      if (incref === undefined) continue;
      // Only when the borrowed call is the last value given to the local before the incref.
      const values = assignedValues(fn, name).filter((v) => v.startIndex < incref.startIndex);
      if (values[values.length - 1]?.id !== call.id && unwrapExpression(values[values.length - 1] ?? call).id !== call.id) continue;
      const increfName = incref.childForFieldName('function')?.text ?? 'Py_INCREF';
      // Reported at the borrowed call, where annotations such as NumPy's `noqa: borrowed-ref OK` sit.
      ctx.report({
        node: hit.node,
        messageId: 'viaLocal',
        confidence: 'medium',
        data: { incref: increfName, name, api: hit.name, replacement: replacementFor(hit.name) },
      });
    }
  },
});

function replacementFor(api: string): string {
  return strongReplacements[api]?.replacement ?? 'PyCell_Get';
}
