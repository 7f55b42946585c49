import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { targetsLimitedApi, withoutComments } from '../parsing/source-text.js';
import { callOf, enclosingFunction, functionName, innermostIdentifier } from '../parsing/syntax.js';

/** The variable a `PyModule_Create` result is stored in: `m = PyModule_Create(...)` or `PyObject *m = ...`. */
function resultVariable(call: Node): { name: string; statement: Node } | undefined {
  const parent = call.parent;
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.type === 'identifier') {
    const statement = parent.parent;
    if (statement?.type === 'expression_statement') return { name: parent.childForFieldName('left')?.text ?? '', statement };
  }
  if (parent?.type === 'init_declarator') {
    const name = innermostIdentifier(parent.childForFieldName('declarator'));
    const statement = parent.parent;
    if (name !== undefined && statement?.type === 'declaration') return { name, statement };
  }
  return undefined;
}

/** The `if (m == NULL) …` / `if (!m) …` statement right after `statement`, when there is one. */
function nullCheckAfter(statement: Node, name: string): Node | undefined {
  let next = statement.nextNamedSibling;
  while (next?.type === 'comment') next = next.nextNamedSibling;
  if (next?.type !== 'if_statement') return undefined;
  const condition = next.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
  const tests = [`(${name}==NULL)`, `(!${name})`, `(NULL==${name})`, `(${name}==nullptr)`];
  return tests.includes(condition) && next.childForFieldName('alternative') === null ? next : undefined;
}

/**
 * A function whose whole header is one macro call, such as `MODINIT_DEFINE(controller) { … }` with
 * `#define MODINIT_DEFINE(name) PyMODINIT_FUNC PyInit_##name(void)` in a header: tree-sitter reads
 * the macro as the return type and `(controller)` as the declarator. Only upper-case macro names
 * that speak of a module or an init (`MOD_INIT`, `MODINIT_DEFINE`, `INIT_MODULE`) count.
 */
function isMacroMadeInit(fn: Node): boolean {
  const type = fn.childForFieldName('type');
  const declarator = fn.childForFieldName('declarator');
  return type?.type === 'type_identifier' && /^[A-Z][A-Z0-9_]*$/.test(type.text) && /INIT|MOD/.test(type.text) && declarator?.type === 'parenthesized_declarator';
}

/**
 * True for `PyInit_<name>`, functions declared `PyMODINIT_FUNC`, and macro-made init functions.
 * The header's text is read too: an unknown macro before the return type (`extern "C"
 * EXPORT_SYMBOL PyObject *PyInit__ext()`) makes tree-sitter read the macro as the type and the
 * rest as a broken declarator with no name, but the header still says `PyInit_…(`.
 */
function isModuleInitFunction(fn: Node, text: string): boolean {
  if (functionName(fn)?.startsWith('PyInit_') || isMacroMadeInit(fn)) return true;
  const header = text.slice(fn.startIndex, fn.childForFieldName('body')?.startIndex ?? fn.startIndex);
  return /\bPyMODINIT_FUNC\b|\bPyInit_\w+\s*\(/.test(header);
}

/**
 * For `return PyModule_Create(&def);` near the top of an init function, the start of the
 * `PyModuleDef def` definition when it sits in the same file at most 40 lines above the function. No variable holds
 * the module, so the fix reworks the definition and the init together (a variable and
 * `PyUnstable_Module_SetGIL`, or multi-phase init with slots): the finding spans both.
 */
function returnedDefStart(call: Node, fn: Node | undefined, text: string): number | undefined {
  if (fn === undefined || call.parent?.type !== 'return_statement') return undefined;
  // Only a short init function (the return within its first 10 lines) makes one unit with the definition.
  if (call.startPosition.row - fn.startPosition.row > 10) return undefined;
  const arg = call.childForFieldName('arguments')?.namedChildren[0];
  if (arg?.type !== 'pointer_expression') return undefined;
  const name = arg.childForFieldName('argument');
  if (name?.type !== 'identifier') return undefined;
  const windowStart = Math.max(0, fn.startIndex - 4000);
  const window = text.slice(windowStart, fn.startIndex);
  let found = -1;
  for (let at = window.indexOf('PyModuleDef'); at >= 0; at = window.indexOf('PyModuleDef', at + 11)) {
    let i = at + 11;
    while (i < window.length && /\s/.test(window[i] ?? '')) i++;
    if (window.startsWith(name.text, i) && !/\w/.test(window[i + name.text.length] ?? '')) found = at;
  }
  if (found < 0) return undefined;
  const lineStart = window.lastIndexOf('\n', found) + 1;
  if (window.slice(lineStart).split('\n').length > 40) return undefined;
  return methodTableStart(text, windowStart + lineStart, fn.startIndex) ?? windowStart + lineStart;
}

/**
 * The start of the line that opens a `PyMethodDef <name>[] = { … };` table ending right above the
 * definition at `defStart` (blank lines between), when the definition between `defStart` and
 * `defEnd` names that table. Moving to multi-phase init adds the exec function and the slot array
 * beside the table, so the finding spans it too. Reads at most 4,000 characters back.
 */
function methodTableStart(text: string, defStart: number, defEnd: number): number | undefined {
  let end = defStart;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  if (!text.startsWith('};', end - 2)) return undefined;
  const from = Math.max(0, end - 4000);
  const at = text.lastIndexOf('PyMethodDef', end);
  if (at < from) return undefined;
  const name = wordAfter(text, at + 11);
  if (name === undefined) return undefined;
  // `[] = {` (or `[N] = {`) after the name, and the table's own `};` is the first `;` after it.
  const open = text.indexOf('{', name.end);
  if (open < 0 || open > end || !/^\s*\[\s*\w*\s*\]\s*=\s*$/.test(text.slice(name.end, open))) return undefined;
  if (text.indexOf(';', open) !== end - 1) return undefined;
  const uses = text.slice(defStart, defEnd).split(/\W+/).includes(name.word);
  return uses ? text.lastIndexOf('\n', at) + 1 : undefined;
}

/** The identifier after `at` (white space skipped, bounded) and where it ends. */
function wordAfter(text: string, at: number): { word: string; end: number } | undefined {
  let i = at;
  while (i < text.length && i - at < 100 && /\s/.test(text[i] ?? '')) i++;
  const start = i;
  while (i < text.length && i - start < 200 && /\w/.test(text[i] ?? '')) i++;
  return i === start ? undefined : { word: text.slice(start, i), end: i };
}

/**
 * Names of the functions the module init functions of a file call: `return create_module();` in
 * `PyInit__x` makes `create_module` the maker of the imported module, and `CreatedModule m(def);`
 * makes the constructor of `CreatedModule` its maker. One linear pass over the
 * init bodies (each bounded), so a large file costs one scan.
 */
function calledFromInit(text: string): Set<string> {
  const called = new Set<string>();
  let from = 0;
  for (let at = text.indexOf('PyInit_', from); at >= 0 && called.size < 1000; at = text.indexOf('PyInit_', from)) {
    from = at + 7;
    const open = text.indexOf('{', at);
    const semi = text.indexOf(';', at);
    if (open < 0 || open - at > 400 || (semi >= 0 && semi < open)) continue;
    let depth = 0;
    let end = open;
    const stop = Math.min(text.length, open + 20_000);
    for (; end < stop; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    const body = text.slice(open, end);
    for (const m of body.matchAll(/\b([A-Za-z_]\w{0,100})\s*\(/g)) called.add(m[1] ?? '');
    // C++ objects built in the init function, `CreatedModule m(def);`: their constructors run too.
    for (const m of body.matchAll(/\b([A-Za-z_]\w{0,100})[ \t]+[A-Za-z_]\w{0,100}[ \t]*[({]/g)) called.add(m[1] ?? '');
    from = end;
  }
  return called;
}

/**
 * For a hit the parser could not place (inside a macro body, or in code it failed to parse): true
 * when the text around it is a module init function. Worked example: in
 * `#define DEFINE_MODULE(n) PyMODINIT_FUNC PyInit_##n(void) { return PyModule_Create(&n##_def); }`
 * the hit's own `#define` holds `PyInit_`.
 */
function initAroundText(text: string, index: number, context: string): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  if (context === 'macro') {
    // The `#define` may continue over `\`-ended lines: read back to its first line (bounded).
    let start = lineStart;
    for (let guard = 0; guard < 30 && !/^\s*#\s*define\b/.test(text.slice(start, start + 200)) && start > 0; guard++) {
      start = text.lastIndexOf('\n', start - 2) + 1;
    }
    return /\bPyInit_|\bPyMODINIT_FUNC\b/.test(text.slice(start, index));
  }
  const before = text.slice(Math.max(0, index - 3000), index);
  const header = Math.max(before.lastIndexOf('PyInit_'), before.lastIndexOf('PyMODINIT_FUNC'));
  return header >= 0 && !/\n\}/.test(before.slice(header));
}

/**
 * True when the init function around a `PyModule_Create` also returns `PyModuleDef_Init(…)` (in
 * another preprocessor branch: pyzstd's `USE_MULTI_PHASE_INIT`, pygame's `BUILD_STATIC`) and the
 * file never declares `Py_MOD_GIL_NOT_USED`. The module's declaration then belongs to its slots:
 * FT008 reports a slot array without `Py_mod_gil`, and a `Py_MOD_GIL_USED` slot says the GIL is
 * wanted, so the single-phase branch re-enabling it is no separate finding. When the slots do say
 * `Py_MOD_GIL_NOT_USED`, the single-phase branch that forgets the call is still reported.
 */
function multiPhaseElsewhere(fn: Node, text: string): boolean {
  const body = fn.childForFieldName('body');
  if (body === null || !/\bPyModuleDef_Init\s*\(/.test(withoutComments(body.text))) return false;
  return !/\bPy_MOD_GIL_NOT_USED\b/.test(withoutComments(text));
}

export default defineRule({
  meta: {
    id: 'FT009',
    name: 'single-phase-gil-undeclared',
    title: 'Single-phase module init without `PyUnstable_Module_SetGIL`',
    category: 'module-declaration',
    why: 'A single-phase module that does not call `PyUnstable_Module_SetGIL` makes the interpreter turn the GIL back on at import.',
    targets: ['c', 'cpp'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['PyModule_Create', 'PyModule_Create2', 'Py_MOD_GIL_USED'],
    messages: {
      used: '`{{api}}` says `Py_MOD_GIL_USED`, so importing the module re-enables the GIL',
      missing: 'Module created with `{{api}}` never calls `PyUnstable_Module_SetGIL`, so importing it re-enables the GIL',
      returned: 'Module defined here and returned straight from `{{api}}` never calls `PyUnstable_Module_SetGIL`, so importing it re-enables the GIL',
    },
    help: {
      used: 'Pass `Py_MOD_GIL_NOT_USED` once the module is thread-safe',
      missing: 'Call `PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED)` under `#ifdef Py_GIL_DISABLED` after creating the module',
      returned: 'Keep the module in a variable and call `PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED)` under `#ifdef Py_GIL_DISABLED`, or move to multi-phase init with a `{Py_mod_gil, Py_MOD_GIL_NOT_USED}` slot',
    },
  },
  check(ctx) {
    // An explicit `PyUnstable_Module_SetGIL(m, Py_MOD_GIL_USED)` keeps the GIL on: reported as a
    // choice, as FT008 reports a `{Py_mod_gil, Py_MOD_GIL_USED}` slot.
    for (const hit of ctx.hits) {
      if (hit.name !== 'Py_MOD_GIL_USED' || hit.context !== 'code') continue;
      const call = /\b(PyUnstable_Module_SetGIL|PyModule_ExperimentalSetGIL)\s*\(\s*[^,()]+,\s*$/.exec(ctx.text.slice(Math.max(0, hit.index - 200), hit.index));
      if (call === null) continue;
      ctx.report({ start: hit.index, end: hit.index + hit.name.length, messageId: 'used', data: { api: call[1] ?? 'PyUnstable_Module_SetGIL' }, severity: 'info', symbol: '<module>' });
    }
    const declares = /\b(PyUnstable_Module_SetGIL|PyModule_ExperimentalSetGIL)\b/;
    if (declares.test(ctx.text) && declares.test(withoutComments(ctx.text))) return;
    // Limited-API modules cannot call PyUnstable_Module_SetGIL; FT030 covers those builds.
    if (targetsLimitedApi(ctx.text)) return;
    let fromInit: Set<string> | undefined;
    /** A module created where the text, not the tree, shows an init function around it. */
    const reportByText = (hit: { index: number; name: string; context: string }): void => {
      if (initAroundText(ctx.text, hit.index, hit.context)) {
        ctx.report({ start: hit.index, end: hit.index + hit.name.length, messageId: 'missing', data: { api: hit.name }, confidence: 'medium' });
      }
    };
    for (const hit of ctx.hits) {
      if (hit.name === 'Py_MOD_GIL_USED') continue;
      if (hit.node === undefined) {
        // Text fallback: a macro-made init, or code the parser could not follow.
        reportByText(hit);
        continue;
      }
      const call = callOf(hit.node);
      if (call === undefined) continue;
      // Only the module an import returns is checked for a GIL declaration: the init function's
      // own, or one made by a helper the init function calls. A submodule built by a helper for
      // something else (numpy's `simd_create_module`) is not.
      const fn = enclosingFunction(hit.node);
      if (fn === undefined) {
        // No function around the call: the parser lost the init function's header (an `#if` arm
        // that opens a brace, a macro it cannot read). Judge by the text, as for unplaced hits.
        reportByText(hit);
        continue;
      }
      if (!isModuleInitFunction(fn, ctx.text)) {
        // `CreatedModule::CreatedModule` (a constructor defined out of its class) counts by its last part.
        const name = functionName(fn)?.split('::').pop();
        fromInit ??= calledFromInit(ctx.text);
        if (name === undefined || !fromInit.has(name)) continue;
      }
      if (multiPhaseElsewhere(fn, ctx.text)) continue;
      const result = resultVariable(call);
      const check = result === undefined ? undefined : nullCheckAfter(result.statement, result.name);
      let fix: { edits: Array<{ start: number; end: number; text: string }> } | undefined;
      if (result !== undefined && check !== undefined) {
        const lineStart = ctx.text.lastIndexOf('\n', result.statement.startIndex) + 1;
        const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))?.[0] ?? '    ';
        const at = check.endIndex;
        fix = {
          edits: [
            { start: at, end: at, text: `\n#ifdef Py_GIL_DISABLED\n${indent}PyUnstable_Module_SetGIL(${result.name}, Py_MOD_GIL_NOT_USED);\n#endif` },
          ],
        };
      }
      const defStart = fix === undefined ? returnedDefStart(call, fn, ctx.text) : undefined;
      if (defStart !== undefined) {
        ctx.report({ start: defStart, end: call.endIndex, messageId: 'returned', data: { api: hit.name }, related: [{ start: hit.index, message: 'the module is created and returned here' }] });
        continue;
      }
      ctx.report({ node: hit.node, messageId: 'missing', data: { api: hit.name }, ...(fix === undefined ? {} : { fix }) });
    }
  },
});
