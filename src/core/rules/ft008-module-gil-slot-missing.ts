import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { descendantsOfType } from '../parsing/syntax.js';

/** The `{0, NULL}` / `{0}` sentinel that ends a slot array, if the last entry is one. */
function sentinelOf(list: Node): Node | undefined {
  const entries = list.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  const last = entries[entries.length - 1];
  if (last === undefined || last.type !== 'initializer_list') return undefined;
  return /^\{\s*0\s*(,\s*(NULL|0|nullptr)\s*)?,?\s*\}$/.test(last.text) ? last : undefined;
}

export default defineRule({
  meta: {
    id: 'FT008',
    name: 'module-gil-slot-missing',
    title: 'Multi-phase module init without a `Py_mod_gil` slot',
    targets: ['c', 'cpp'],
    severity: 'error',
    confidence: 'high',
    fix: 'safe',
    preview: false,
    triggers: ['PyModuleDef_Slot'],
    messages: {
      missing: 'Module slots `{{name}}` declare no `Py_mod_gil`, so importing the module re-enables the GIL',
    },
    help: {
      missing: 'Add `{Py_mod_gil, Py_MOD_GIL_NOT_USED}` once the module is thread-safe',
    },
  },
  check(ctx) {
    // A file that mentions Py_mod_gil anywhere declares it (possibly through a macro): trust it.
    if (/\bPy_mod_gil\b/.test(ctx.text)) return;
    for (const hit of ctx.hits) {
      const decl = hit.node?.parent;
      if (decl === undefined || decl === null || decl.type !== 'declaration') continue;
      for (const init of descendantsOfType(decl, 'init_declarator')) {
        const list = init.childForFieldName('value');
        if (list === null || list.type !== 'initializer_list') continue;
        const name = init.childForFieldName('declarator')?.text.replace(/\[.*$/, '') ?? 'slots';
        const sentinel = sentinelOf(list);
        const indent = sentinel === undefined ? '    ' : (/[ \t]*$/.exec(ctx.text.slice(ctx.text.lastIndexOf('\n', sentinel.startIndex) + 1, sentinel.startIndex))?.[0] ?? '    ');
        const fix =
          sentinel === undefined
            ? undefined
            : {
                edits: [
                  {
                    start: sentinel.startIndex,
                    end: sentinel.startIndex,
                    text: `#if PY_VERSION_HEX >= 0x030D0000\n${indent}{Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n${indent}`,
                  },
                ],
              };
        ctx.report({ node: init, messageId: 'missing', data: { name }, ...(fix === undefined ? {} : { fix }) });
      }
    }
  },
});
