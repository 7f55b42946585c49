import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

// Element types that are never Python objects.
const plainType = /^(unsigned\s+|signed\s+)?(char|short|int|long|long\s+long|float|double|size_t|Py_ssize_t|Py_UCS[124]|Py_UNICODE|wchar_t|u?int\d+_t|Py_hash_t|npy_\w+|bool|_Bool|uint8_t)$/;

/** The element type a call's result is stored as: the cast's type or the declared variable's type. */
function storedType(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type === 'cast_expression') {
    const type = parent.childForFieldName('type');
    return type?.childForFieldName('type')?.text ?? (type === null || type === undefined ? undefined : withoutTrailingStars(type.text));
  }
  if (parent?.type === 'init_declarator') {
    const declaration = parent.parent;
    return declaration?.childForFieldName('type')?.text;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'FT020',
    name: 'object-malloc-buffer',
    title: '`PyObject_Malloc` used for a buffer that is not a Python object',
    category: 'shared-state',
    why: 'The free-threaded build reserves the object allocator for Python objects; plain buffers belong with `PyMem_Malloc`.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: ['PyObject_Malloc', 'PyObject_Calloc', 'PyObject_Realloc'],
    messages: {
      plain: '`{{api}}` allocates a `{{type}}` buffer from the object allocator, which the free-threaded build reserves for Python objects',
    },
    help: {
      plain: 'Use `PyMem_{{kind}}` and free it with `PyMem_Free`',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      const call = hit.node === undefined ? undefined : callOf(hit.node);
      if (call === undefined || hit.node === undefined) continue;
      const type = storedType(call);
      if (type === undefined || !plainType.test(type.replace(/\bconst\s+/, '').trim())) continue;
      ctx.report({ node: hit.node, messageId: 'plain', data: { api: hit.name, type, kind: hit.name.replace('PyObject_', '') } });
    }
  },
});

/** `char *` → `char`: blanks, then stars, then blanks, removed from the end in one backward scan. */
function withoutTrailingStars(text: string): string {
  let end = text.length;
  const blank = (): void => {
    while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  };
  blank();
  const beforeStars = end;
  while (end > 0 && text[end - 1] === '*') end--;
  if (end === beforeStars) return text;
  blank();
  return text.slice(0, end);
}
