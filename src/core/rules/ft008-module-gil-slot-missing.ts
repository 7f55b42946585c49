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

/**
 * The start of the `const LEN: usize = …;` items that size a Rust slot array typed
 * `[PyModuleDef_Slot; LEN]` in `statement`, with the `#[cfg(…)]` lines above the first of them:
 * adding a slot grows that length too, so the finding covers it. Undefined when the length is a
 * literal or its constant is not defined above the array in this file.
 */
function lengthConstStart(text: string, statement: Node): number | undefined {
  const type = /\[\s*PyModuleDef_Slot\s*;\s*([A-Za-z_]\w{0,100})\s*\]/.exec(text.slice(statement.startIndex, Math.min(statement.endIndex, statement.startIndex + 400)));
  const name = type?.[1];
  if (name === undefined) return undefined;
  let found = -1;
  for (let at = text.indexOf('const ', Math.max(0, statement.startIndex - 20_000)); at >= 0 && at < statement.startIndex; at = text.indexOf('const ', at + 6)) {
    let i = at + 6;
    while (text[i] === ' ') i++;
    if (text.startsWith(name, i) && !/\w/.test(text[i + name.length] ?? '') && (at === 0 || !/\w/.test(text[at - 1] ?? ''))) {
      found = at;
      break;
    }
  }
  if (found < 0) return undefined;
  let start = text.lastIndexOf('\n', found) + 1;
  // Attribute lines (`#[cfg(Py_3_12)]`) right above belong to the item.
  for (let guard = 0; guard < 5 && start > 0; guard++) {
    const prev = text.lastIndexOf('\n', start - 2) + 1;
    if (!text.slice(prev, start).trimStart().startsWith('#[')) break;
    start = prev;
  }
  return start;
}

export default defineRule({
  meta: {
    id: 'FT008',
    name: 'module-gil-slot-missing',
    title: 'Multi-phase module init without a `Py_mod_gil` slot',
    category: 'module-declaration',
    why: 'An extension that does not declare `Py_mod_gil` makes the free-threaded interpreter turn the GIL back on at import.',
    targets: ['c', 'cpp', 'rust'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['PyModuleDef_Slot', 'Py_MOD_GIL_USED'],
    messages: {
      missing: 'Module slots `{{name}}` declare no `Py_mod_gil`, so importing the module re-enables the GIL',
      used: 'The `Py_mod_gil` slot says `Py_MOD_GIL_USED`, so importing the module re-enables the GIL',
      rustMissing: 'Hand-written module slots declare no `Py_mod_gil`, so importing the module re-enables the GIL',
      rustMissingSized: 'Hand-written module slots, sized by the constant here, declare no `Py_mod_gil`, so importing the module re-enables the GIL',
    },
    help: {
      missing: 'Add `{Py_mod_gil, Py_MOD_GIL_NOT_USED}` once the module is thread-safe',
      used: 'Use `Py_MOD_GIL_NOT_USED` once the module is thread-safe',
      rustMissing: 'Add a `PyModuleDef_Slot { slot: Py_mod_gil, value: Py_MOD_GIL_NOT_USED }` entry (and grow the array) once the module is thread-safe',
      rustMissingSized: 'Add a `PyModuleDef_Slot { slot: Py_mod_gil, value: Py_MOD_GIL_NOT_USED }` entry and grow the length constant by one (for 3.13+) once the module is thread-safe',
    },
  },
  check(ctx) {
    // An explicit `{Py_mod_gil, Py_MOD_GIL_USED}` entry keeps the GIL on: reported as a choice.
    for (const hit of ctx.hits) {
      if (hit.name !== 'Py_MOD_GIL_USED' || hit.context !== 'code') continue;
      const lineStart = ctx.text.lastIndexOf('\n', hit.index) + 1;
      const around = ctx.text.slice(Math.max(0, lineStart - 200), hit.index);
      if (!/\bPy_mod_gil\b[\s,:]*(?:value\s*:\s*)?$/.test(around.slice(-120))) continue;
      ctx.report({ start: hit.index, end: hit.index + hit.name.length, messageId: 'used', severity: 'info', symbol: '<module>' });
    }
    // A file that mentions Py_mod_gil anywhere declares it (possibly through a macro): trust it.
    if (/\bPy_mod_gil\b/.test(ctx.text) && /\bPy_mod_gil\b/.test(withoutComments(ctx.text))) return;
    if (ctx.target === 'rust') {
      // Hand-written slot arrays in Rust (`[PyModuleDef_Slot { slot: Py_mod_exec, … }, …]`): one
      // finding per array, spanning it; no fix, since the array's length is part of its type.
      const seen = new Set<number>();
      for (const hit of ctx.hits) {
        let array = hit.node?.parent ?? null;
        while (array !== null && array.type !== 'array_expression' && array.type !== 'function_item') array = array.parent;
        if (array === null || array.type !== 'array_expression' || seen.has(array.startIndex)) continue;
        seen.add(array.startIndex);
        const statement = array.parent?.parent?.type === 'let_declaration' ? array.parent.parent : array.parent?.type === 'let_declaration' || array.parent?.type === 'static_item' ? array.parent : array;
        // `let slots: Box<[PyModuleDef_Slot; LEN]> = Box::new([…])`: the declaration holds the type.
        let typed: Node | null = array;
        for (let up = 0; up < 4 && typed !== null && typed.type !== 'let_declaration' && typed.type !== 'static_item' && typed.type !== 'const_item'; up++) typed = typed.parent;
        const lengthAt = typed === null ? undefined : lengthConstStart(ctx.text, typed);
        ctx.report({
          start: lengthAt ?? statement.startIndex,
          end: array.endIndex,
          messageId: lengthAt === undefined ? 'rustMissing' : 'rustMissingSized',
          symbol: '<module>',
          ...(lengthAt === undefined ? {} : { related: [{ start: array.startIndex, message: 'the slot array' }] }),
        });
      }
      return;
    }
    // Limited-API modules (abi3) cannot load on free-threaded 3.13/3.14 at all; FT030 covers them.
    if (targetsLimitedApi(ctx.text)) return;
    for (const hit of ctx.hits) {
      // `PyModuleDef_Slot slots[] = …` or `struct PyModuleDef_Slot slots[] = …` (C++ sources often spell the tag).
      let decl = hit.node?.parent;
      if (decl?.type === 'struct_specifier') decl = decl.parent;
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
