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

/** True for `PyInit_<name>` and functions declared `PyMODINIT_FUNC`. */
function isModuleInitFunction(fn: Node | undefined, text: string): boolean {
  if (fn === undefined) return false;
  if (functionName(fn)?.startsWith('PyInit_')) return true;
  return /\bPyMODINIT_FUNC\b/.test(text.slice(fn.startIndex, fn.childForFieldName('body')?.startIndex ?? fn.startIndex));
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
    triggers: ['PyModule_Create', 'PyModule_Create2'],
    messages: {
      missing: 'Module created with `{{api}}` never calls `PyUnstable_Module_SetGIL`, so importing it re-enables the GIL',
    },
    help: {
      missing: 'Call `PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED)` under `#ifdef Py_GIL_DISABLED` after creating the module',
    },
  },
  check(ctx) {
    const declares = /\b(PyUnstable_Module_SetGIL|PyModule_ExperimentalSetGIL)\b/;
    if (declares.test(ctx.text) && declares.test(withoutComments(ctx.text))) return;
    // Limited-API modules cannot call PyUnstable_Module_SetGIL; FT030 covers those builds.
    if (targetsLimitedApi(ctx.text)) return;
    for (const hit of ctx.hits) {
      const call = hit.node === undefined ? undefined : callOf(hit.node);
      if (call === undefined || hit.node === undefined) continue;
      // Only the module an import returns is checked for a GIL declaration: a submodule built by
      // a helper (numpy's `simd_create_module`) or a C++ wrapper class is not.
      if (!isModuleInitFunction(enclosingFunction(hit.node), ctx.text)) continue;
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
      ctx.report({ node: hit.node, messageId: 'missing', data: { api: hit.name }, ...(fix === undefined ? {} : { fix }) });
    }
  },
});
