import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { targetsLimitedApi, withoutComments } from '../parsing/source-text.js';
import { descendantsOfType } from '../parsing/syntax.js';

/** The `{0, NULL}` / `{0}` sentinel that ends a slot array, if the last entry is one. */
function sentinelOf(list: Node): Node | undefined {
  const entries = list.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  const last = entries[entries.length - 1];
  if (last === undefined || last.type !== 'initializer_list') return undefined;
  return /^\{\s*0\s*(,\s*(NULL|0|nullptr)\s*)?,?\s*\}$/.test(last.text) ? last : undefined;
}

/**
 * Inserts the guarded `Py_mod_gil` entry before the sentinel at `at`. Preprocessor lines must start
 * their own line: when the sentinel begins its line the block goes above it at column 1, otherwise
 * (`{Py_mod_exec, f}, {0}};` on one line) it goes on new lines before the sentinel.
 */
function slotEdit(text: string, at: number): { start: number; end: number; text: string } {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  const entry = (indent: string): string => `#if PY_VERSION_HEX >= 0x030D0000\n${indent}{Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n`;
  if (/^[ \t]*$/.test(before)) return { start: lineStart, end: lineStart, text: entry(before) };
  const indent = /^[ \t]*/.exec(before)?.[0] ?? '';
  const spaces = /[ \t]*$/.exec(before)?.[0].length ?? 0;
  return { start: at - spaces, end: at, text: `\n${entry(`${indent}    `)}${indent}    ` };
}

export default defineRule({
  meta: {
    id: 'FT008',
    name: 'module-gil-slot-missing',
    title: 'Multi-phase module init without a `Py_mod_gil` slot',
    category: 'module-declaration',
    why: 'An extension that does not declare `Py_mod_gil` makes the free-threaded interpreter turn the GIL back on at import.',
    targets: ['c', 'cpp'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
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
    if (/\bPy_mod_gil\b/.test(ctx.text) && /\bPy_mod_gil\b/.test(withoutComments(ctx.text))) return;
    // Limited-API modules (abi3) cannot load on free-threaded 3.13/3.14 at all; FT030 covers them.
    if (targetsLimitedApi(ctx.text)) return;
    for (const hit of ctx.hits) {
      const decl = hit.node?.parent;
      if (decl === undefined || decl === null || decl.type !== 'declaration') continue;
      for (const init of descendantsOfType(decl, 'init_declarator')) {
        const list = init.childForFieldName('value');
        if (list === null || list.type !== 'initializer_list') continue;
        const name = init.childForFieldName('declarator')?.text.replace(/\[.*$/, '') ?? 'slots';
        const sentinel = sentinelOf(list);
        const fix = sentinel === undefined ? undefined : { edits: [slotEdit(ctx.text, sentinel.startIndex)] };
        ctx.report({ node: init, messageId: 'missing', data: { name }, ...(fix === undefined ? {} : { fix }) });
      }
    }
  },
});
