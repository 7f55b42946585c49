import type { Confidence } from '../diagnostics.js';
import { defineRule } from '../engine/define-rule.js';
import { isPresenceTestOnly } from '../parsing/container-origin.js';
import { callOf } from '../parsing/syntax.js';

/** Other APIs that return borrowed references to objects another thread can replace. */
const apis: Record<string, { replacement: string; confidence: Confidence }> = {
  PyImport_AddModule: { replacement: '`PyImport_AddModuleRef` (3.13+, or pythoncapi-compat)', confidence: 'medium' },
  PyImport_AddModuleObject: { replacement: '`PyImport_GetModule` or `PyImport_AddModuleRef`', confidence: 'medium' },
  PyEval_GetGlobals: { replacement: '`PyEval_GetFrameGlobals` (3.13+), which returns a strong reference', confidence: 'medium' },
  PyEval_GetLocals: { replacement: '`PyEval_GetFrameLocals` (3.13+), which returns a strong reference', confidence: 'medium' },
  PyEval_GetBuiltins: { replacement: '`PyEval_GetFrameBuiltins` (3.13+), which returns a strong reference', confidence: 'medium' },
  PySys_GetObject: { replacement: '`PySys_GetOptionalAttrString` (3.15+, or pythoncapi-compat)', confidence: 'medium' },
  PyCell_GET: { replacement: '`PyCell_Get`, which returns a strong reference', confidence: 'medium' },
  PyFunction_GetDefaults: { replacement: 'a strong reference read under a critical section on the function', confidence: 'low' },
  PyFunction_GetClosure: { replacement: 'a strong reference read under a critical section on the function', confidence: 'low' },
  PyFunction_GetModule: { replacement: 'a strong reference read under a critical section on the function', confidence: 'low' },
};

export default defineRule({
  meta: {
    id: 'FT017',
    name: 'borrowed-ref-api',
    title: 'Borrowed reference from a shared interpreter object',
    category: 'borrowed-reference',
    why: 'The API returns a borrowed reference that another thread can invalidate before this code is done with it.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: Object.keys(apis),
    messages: {
      borrowed: '`{{api}}` returns a borrowed reference that another thread can replace or free',
    },
    help: {
      borrowed: 'Use {{replacement}}',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      if (hit.node === undefined) continue;
      const call = callOf(hit.node);
      if (call === undefined || isPresenceTestOnly(call)) continue;
      const api = apis[hit.name];
      if (api === undefined) continue;
      ctx.report({ node: hit.node, messageId: 'borrowed', confidence: api.confidence, data: { api: hit.name, replacement: api.replacement } });
    }
  },
});
