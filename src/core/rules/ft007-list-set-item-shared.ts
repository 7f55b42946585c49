import { defineRule } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin } from '../parsing/container-origin.js';
import { callArguments, callOf, enclosingFunction, functionName, isLockHeld } from '../parsing/syntax.js';

export default defineRule({
  meta: {
    id: 'FT007',
    name: 'list-set-item-shared',
    title: '`PyList_SET_ITEM` on a list that other threads can see',
    category: 'unlocked-iteration',
    why: 'Writing into a list other threads can see races with their reads and leaks or frees the old item twice.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['PyList_SET_ITEM'],
    messages: {
      shared: '`PyList_SET_ITEM` writes into `{{list}}` without locking; it is only safe on a list this function just created',
    },
    help: {
      shared: 'Use `PyList_SetItem`, which locks the list, or fill a fresh list and publish it afterwards',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      if (hit.node === undefined) continue;
      const call = callOf(hit.node);
      const list = call === undefined ? undefined : callArguments(call)[0];
      if (list === undefined || isLockHeld(hit.node, ctx.text)) continue;
      // `self->items` filled in tp_new / tp_init is still private to the thread creating the object.
      const fnName = enclosingFunction(hit.node);
      if (/^self\s*->/.test(list.text) && fnName !== undefined && /(^|_)(tp_)?(new|init|alloc)$/i.test(functionName(fnName) ?? '')) continue;
      const confidence = confidenceForOrigin(containerOrigin(list, ctx.text));
      // Lists of unknown origin are nearly always fresh results (`PyObject_CallMethod(...)`): stay quiet.
      if (confidence === undefined || confidence === 'low') continue;
      ctx.report({ node: hit.node, messageId: 'shared', confidence, data: { list: list.text.slice(0, 60) } });
    }
  },
});
