/**
 * The deterministic rewrites for C/C++ findings: borrowed lookups to `*Ref` APIs with the release
 * on every path, and `PyDict_Next` loops into a critical section. Each returns a whole-line edit
 * or the reason it cannot rewrite the shape it found (then the drafter explains instead).
 */
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../diagnostics.js';
import { applyEdits } from '../report/edit-positions.js';
import { callArguments, callOf, enclosingFunction, innermostIdentifier, unwrapExpression } from '../parsing/syntax.js';
import { replacementsOfShape } from '../rules/strong-replacements.js';
import { isNullTest, isReturnLike, mentions, RELEASES, runsOnlyWhenNull } from './c-ownership.js';
import { lineOfOffset, lineStarts } from '../parsing/syntax.js';
import type { LineEdit } from './types.js';

export type TemplateName = 'dict-get-item-ref' | 'list-get-item-ref' | 'weakref-get-ref' | 'dict-next-critical-section';

export type Rewrite = { ok: true; template: TemplateName; api: string; replacementApi: string; edit: LineEdit } | { ok: false; template?: TemplateName; api?: string; reason: string };

/** Lookups returning `-1`/`0`/`1` with an out-parameter: API → replacement. */
const OUT_PARAM_APIS = replacementsOfShape('out-param');

/** Borrowed getters with a same-shaped strong twin (NULL with an exception on failure). */
const RETURNING_APIS = replacementsOfShape('returns');

/** APIs whose old form could not fail, so the rewrite adds a NULL check. */
const NEEDS_NULL_CHECK = new Set(['PyList_GET_ITEM']);

export const REWRITABLE_APIS: ReadonlySet<string> = new Set([...Object.keys(OUT_PARAM_APIS), ...Object.keys(RETURNING_APIS), 'PyDict_Next']);

function templateOf(api: string): TemplateName {
  if (api === 'PyDict_Next') return 'dict-next-critical-section';
  if (api.startsWith('PyWeakref_')) return 'weakref-get-ref';
  if (api in OUT_PARAM_APIS) return 'dict-get-item-ref';
  return 'list-get-item-ref';
}

/** Leading whitespace of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** True when only whitespace precedes `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(start, offset));
}

function unitOf(indent: string): string {
  return indent.startsWith('\t') ? '\t' : '    ';
}

/**
 * Finds the rewritable call a finding points at: the call at the finding's column, or (for FT004,
 * which flags the `Py_NewRef` around it) a rewritable call inside the same statement.
 */
export function findTargetCall(root: Node, offset: number): Node | undefined {
  const node = root.descendantForIndex(offset, offset + 1);
  if (node === null) return undefined;
  if (REWRITABLE_APIS.has(node.text)) {
    const call = callOf(node);
    if (call !== undefined) return call;
  }
  let stmt: Node | null = node;
  while (stmt !== null && !/(_statement|declaration)$/.test(stmt.type)) stmt = stmt.parent;
  if (stmt === null) return undefined;
  const calls = stmt.descendantsOfType('call_expression').filter((c): c is Node => c !== null && REWRITABLE_APIS.has(c.childForFieldName('function')?.text ?? ''));
  return calls.find((c) => c.startIndex >= offset) ?? calls[0];
}

/**
 * Rewrites the call at `offset` in `text` (parsed as `root`) with its template.
 *
 * @example
 *   // spam.c line 18: `PyObject *value = PyDict_GetItem(registry, key);` … `return Py_NewRef(value);`
 *   rewriteAt({ path: 'spam.c', text, root, offset })
 *   // → { ok: true, template: 'dict-get-item-ref', edit: { startLine: 18, endLine: 22, replacement:
 *   //      'PyObject *value;\nif (PyDict_GetItemRef(registry, key, &value) < 0) {\n    return NULL;\n}…return value;' } }
 */
export function rewriteAt(params: { path: string; text: string; root: Node; offset: number }): Rewrite {
  const call = findTargetCall(params.root, params.offset);
  if (call === undefined) return { ok: false, reason: 'no call to a rewritable API at the finding' };
  const api = call.childForFieldName('function')?.text ?? '';
  const template = templateOf(api);
  const result = template === 'dict-next-critical-section' ? rewriteDictNext({ ...params, call }) : rewriteBorrowed({ ...params, call, api, template });
  if (typeof result === 'string') return { ok: false, template, api, reason: result };
  return { ok: true, template, api, replacementApi: api === 'PyDict_Next' ? 'Py_BEGIN_CRITICAL_SECTION' : (OUT_PARAM_APIS[api] ?? RETURNING_APIS[api] ?? api), edit: result };
}

/** Builds the whole-line edit from offset edits inside `[from, to)`. */
function regionEdit(path: string, text: string, from: number, to: number, edits: TextEdit[]): LineEdit {
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => lineOfOffset(starts, offset);
  const startLine = lineOf(from);
  const endLine = lineOf(Math.max(from, to - 1));
  const regionStart = starts[startLine - 1] ?? 0;
  const next = starts[endLine];
  const regionEnd = next === undefined ? text.length : next - 1;
  const shifted = edits.map((e) => ({ start: e.start - regionStart, end: e.end - regionStart, text: e.text }));
  return { path, startLine, endLine, replacement: applyEdits(text.slice(regionStart, regionEnd), shifted).replace(/\r$/, '') };
}

/** The return statement that ends the function with an error: `return NULL;` or `return -1;`, by return type. */
function errorReturn(fn: Node): string | undefined {
  let declarator: Node | null = fn.childForFieldName('declarator');
  let pointer = false;
  while (declarator !== null && declarator.type !== 'function_declarator') {
    if (declarator.type === 'pointer_declarator') pointer = true;
    declarator = declarator.childForFieldName('declarator');
  }
  if (pointer) return 'return NULL;';
  const type = fn.childForFieldName('type')?.text ?? '';
  if (/^(int|long|Py_ssize_t|ssize_t)$/.test(type)) return 'return -1;';
  return undefined;
}

/**
 * What to do when the new API reports an error (`-1`): `goto <label>;` when the function already
 * jumps to a cleanup label after this point, else release the references the function owns here
 * (assigned from a call before, released after) and return the error value.
 */
function errorExit(fn: Node, stmt: Node, name: string): string[] | undefined {
  const body = fn.childForFieldName('body');
  if (body === null) return undefined;
  const labels = new Set(body.descendantsOfType('labeled_statement').filter((l): l is Node => l !== null && l.startIndex > stmt.endIndex).map((l) => l.childForFieldName('label')?.text ?? ''));
  for (const g of body.descendantsOfType('goto_statement')) {
    const label = g?.childForFieldName('label')?.text;
    if (g !== null && g.startIndex > stmt.endIndex && label !== undefined && labels.has(label)) return [`goto ${label};`];
  }
  const ret = errorReturn(fn);
  if (ret === undefined) return undefined;
  const owned: string[] = [];
  for (const node of body.descendantsOfType(['init_declarator', 'assignment_expression'])) {
    if (node === null || node.endIndex > stmt.startIndex) continue;
    const left = node.type === 'init_declarator' ? innermostIdentifier(node.childForFieldName('declarator')) : node.childForFieldName('left')?.text;
    const right = node.childForFieldName(node.type === 'init_declarator' ? 'value' : 'right');
    if (left === undefined || left === name || right === null || unwrapExpression(right).type !== 'call_expression') continue;
    const callee = unwrapExpression(right).childForFieldName('function')?.text ?? '';
    if (REWRITABLE_APIS.has(callee) || owned.includes(left)) continue;
    const releasedLater = body.descendantsOfType('call_expression').some((c) => {
      if (c === null || c.startIndex < stmt.endIndex || !RELEASES.has(c.childForFieldName('function')?.text ?? '')) return false;
      return callArguments(c).some((a) => a.text === left);
    });
    if (releasedLater) owned.push(left);
  }
  return [...owned.map((o) => `Py_XDECREF(${o});`), ret];
}

/** Picks a local name not used in `fn`: `base`, `base_1`, … */
function freshName(fn: Node, base: string): string {
  const used = new Set(fn.descendantsOfType('identifier').map((n) => n?.text));
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
  return name;
}

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);

/** The borrowed-lookup templates (`dict-get-item-ref`, `list-get-item-ref`, `weakref-get-ref`). */
function rewriteBorrowed(params: { path: string; text: string; call: Node; api: string; template: TemplateName }): LineEdit | string {
  const { path, text, call, api, template } = params;
  const fn = enclosingFunction(call);
  if (fn === undefined) return 'the call is not inside a function';
  const args = callArguments(call).map((a) => a.text);
  const expected = api === 'PyDict_SetDefault' ? 3 : api.startsWith('PyWeakref') || api === 'PyImport_AddModule' ? 1 : 2;
  if (args.length !== expected) return `\`${api}\` has ${args.length} arguments here`;

  // 1. `return Py_NewRef(PyList_GetItem(l, i));` → `return PyList_GetItemRef(l, i);`
  let outer: Node = call;
  while (outer.parent !== null && (outer.parent.type === 'parenthesized_expression' || outer.parent.type === 'cast_expression')) outer = outer.parent;
  const wrapper = outer.parent?.type === 'argument_list' ? outer.parent.parent : null;
  const wrapperName = wrapper?.childForFieldName('function')?.text;
  if (wrapper !== null && wrapper !== undefined && (wrapperName === 'Py_NewRef' || wrapperName === 'Py_XNewRef')) {
    const ret = wrapper.parent;
    if (ret?.type !== 'return_statement') return `\`${wrapperName}(${api}(…))\` is used outside a \`return\``;
    if (api in RETURNING_APIS) {
      return regionEdit(path, text, wrapper.startIndex, wrapper.endIndex, [{ start: wrapper.startIndex, end: wrapper.endIndex, text: `${RETURNING_APIS[api] ?? api}(${args.join(', ')})` }]);
    }
    // 1b. `return Py_XNewRef(PyDict_GetItem(d, k));` → a local filled by `PyDict_GetItemRef`, returned.
    if (ret.parent?.type !== 'compound_statement' || !startsLine(text, ret.startIndex)) return 'the `return` shares its line with other code';
    const exit = errorExit(fn, ret, '');
    if (exit === undefined) return 'the function returns neither a pointer nor an int, so the error result has nowhere to go';
    const indent = indentAt(text, ret.startIndex);
    const unit = unitOf(indent);
    const local = freshName(fn, api.startsWith('PyWeakref') ? 'obj' : 'value');
    const lines = [`PyObject *${local};`, `if (${OUT_PARAM_APIS[api] ?? api}(${[...args, `&${local}`].join(', ')}) < 0) {`, ...exit.map((l) => `${unit}${l}`), '}'];
    if (api.startsWith('PyWeakref')) lines.push(`if (${local} == NULL) {`, `${unit}${local} = Py_NewRef(Py_None);`, '}');
    lines.push(`return ${local};`);
    return regionEdit(path, text, ret.startIndex, ret.endIndex, [{ start: ret.startIndex, end: ret.endIndex, text: lines.join(`\n${indent}`) }]);
  }

  // 2. Find the variable that receives the reference and the statement doing it.
  let name: string | undefined;
  let stmt: Node | undefined;
  let declaration = false;
  const holder = outer.parent;
  if (holder?.type === 'init_declarator' && holder.parent?.type === 'declaration') {
    if (holder.parent.childrenForFieldName('declarator').length !== 1) return 'the declaration declares more than one variable';
    name = innermostIdentifier(holder.childForFieldName('declarator'));
    stmt = holder.parent;
    declaration = true;
  } else if (holder?.type === 'assignment_expression' && holder.childForFieldName('operator')?.text === '=' && holder.parent?.type === 'expression_statement') {
    const left = holder.childForFieldName('left');
    if (left?.type !== 'identifier') return 'the result is stored in something other than a local variable';
    name = left.text;
    stmt = holder.parent;
  }
  if (name === undefined || stmt === undefined) return `the result of \`${api}\` is not stored in a variable`;
  const block = stmt.parent;
  if (block === null || block.type !== 'compound_statement') return 'the statement is not inside a block';
  if (!declaration && block.id !== fn.childForFieldName('body')?.id) return 'the variable is assigned inside a nested block';
  if (!startsLine(text, stmt.startIndex)) return 'the statement shares its line with other code';

  // 3. The region: from the statement to the end of its block.
  const rest = block.namedChildren.filter((n): n is Node => n !== null && n.startIndex >= stmt.endIndex && n.type !== 'comment');
  const last = rest[rest.length - 1] ?? stmt;
  const indent = indentAt(text, stmt.startIndex);
  const unit = unitOf(indent);
  const edits: TextEdit[] = [];

  // 4. The new statement(s).
  const replacementApi = OUT_PARAM_APIS[api] ?? RETURNING_APIS[api] ?? api;
  let newText: string;
  if (api in OUT_PARAM_APIS) {
    const exit = errorExit(fn, stmt, name);
    if (exit === undefined) return 'the function returns neither a pointer nor an int, so the error result has nowhere to go';
    const head = declaration ? declarationWithoutInit(stmt, outer) : undefined;
    const lines = [
      ...(head === undefined ? [] : [head]),
      `if (${replacementApi}(${[...args, `&${name}`].join(', ')}) < 0) {`,
      ...exit.map((l) => `${unit}${l}`),
      '}',
    ];
    if (template === 'weakref-get-ref') lines.push(`if (${name} == NULL) {`, `${unit}${name} = Py_NewRef(Py_None);`, '}');
    newText = lines.join(`\n${indent}`);
  } else {
    const fnNode = call.childForFieldName('function');
    if (fnNode === null) return 'the call has no callee';
    newText = text.slice(stmt.startIndex, fnNode.startIndex) + replacementApi + text.slice(fnNode.endIndex, stmt.endIndex);
    if (NEEDS_NULL_CHECK.has(api)) {
      const next = rest[0];
      const checked = next?.type === 'if_statement' && next.childForFieldName('condition') !== null && isNullTest(next.childForFieldName('condition') as Node, name);
      if (!checked) {
        const exit = errorExit(fn, stmt, name);
        if (exit === undefined) return 'the function returns neither a pointer nor an int, so the new NULL result has nowhere to go';
        newText += [``, `if (${name} == NULL) {`, ...exit.map((l) => `${unit}${l}`), '}'].join(`\n${indent}`);
      }
    }
  }
  edits.push({ start: stmt.startIndex, end: stmt.endIndex, text: newText });

  // 5. Release the reference on every way out of the region after the statement.
  const resultNames = new Set<string>();
  for (const node of rest) {
    for (const label of node.descendantsOfType('labeled_statement')) if (label !== null) return 'a label inside the region can be jumped to from elsewhere';
    for (const assign of [node, ...node.descendantsOfType('assignment_expression').filter((n): n is Node => n !== null)]) {
      if (assign.type === 'assignment_expression' && assign.childForFieldName('left')?.text === name) return `\`${name}\` is assigned again later`;
    }
  }
  // `descendantsOfType` includes the node itself when it matches: deduplicate by id.
  const exitsById = new Map<number, Node>();
  for (const node of rest) {
    for (const n of [node, ...node.descendantsOfType(['return_statement', 'expression_statement', 'goto_statement', 'break_statement', 'continue_statement'])]) {
      if (n !== null) exitsById.set(n.id, n);
    }
  }
  const exits = [...exitsById.values()].sort((a, b) => a.startIndex - b.startIndex);
  for (const exit of exits) {
    const isExit =
      isReturnLike(exit) || exit.type === 'goto_statement' || ((exit.type === 'break_statement' || exit.type === 'continue_statement') && escapes(exit, block));
    if (!isExit) continue;
    if (runsOnlyWhenNull({ exit, name, stop: block, resultNames, call: undefined })) continue;
    if (exit.type === 'return_statement') {
      const value = exit.namedChildren.find((n) => n !== null && n.type !== 'comment');
      if (value !== undefined && value !== null) {
        const v = unwrapExpression(value);
        if (v.type === 'identifier' && v.text === name) {
          // `Py_INCREF(v); return v;` → `return v;`: the reference is already ours.
          const prev = exit.previousNamedSibling;
          if (prev !== null && prev.type === 'expression_statement' && /^Py_X?INCREF\s*\(\s*\w+\s*\)\s*;$/.test(prev.text) && prev.text.includes(`(${name})`)) {
            edits.push(removeStatement(text, prev));
          }
          continue;
        }
        const callee = v.type === 'call_expression' ? v.childForFieldName('function')?.text : undefined;
        if ((callee === 'Py_NewRef' || callee === 'Py_XNewRef') && callArguments(v)[0]?.text === name) {
          edits.push({ start: v.startIndex, end: v.endIndex, text: name });
          continue;
        }
        if (mentions(value, name)) return `a \`return\` uses \`${name}\` in an expression; release it after computing the result`;
      }
    }
    edits.push(releaseBefore(text, exit, name));
  }
  // 6. Falling off the end of the block also ends the reference.
  if (!(isReturnLike(last) || last.type === 'goto_statement' || last.type === 'break_statement' || last.type === 'continue_statement')) {
    if (last.id === stmt.id) return `\`${name}\` is never used after the lookup`;
    edits.push({ start: last.endIndex, end: last.endIndex, text: `\n${indentAt(text, last.startIndex)}Py_XDECREF(${name});` });
  }
  return regionEdit(path, text, stmt.startIndex, Math.max(stmt.endIndex, last.endIndex), edits);
}

/** `PyObject *v = PyDict_GetItem(d, k);` → `PyObject *v;` */
function declarationWithoutInit(decl: Node, value: Node): string {
  const init = value.parent;
  if (init === null) return decl.text;
  const declarator = init.childForFieldName('declarator');
  return decl.text.slice(0, init.startIndex - decl.startIndex) + (declarator?.text ?? '') + decl.text.slice(init.endIndex - decl.startIndex);
}

/** True when a `break`/`continue` leaves `block` (no loop or switch between them). */
function escapes(exit: Node, block: Node): boolean {
  for (let a = exit.parent; a !== null && a.id !== block.id; a = a.parent) {
    if (LOOPS.has(a.type)) return false;
    if (exit.type === 'break_statement' && a.type === 'switch_statement') return false;
  }
  return true;
}

/** Deletes a statement and, when it stands alone on its line, the line. */
function removeStatement(text: string, stmt: Node): TextEdit {
  const lineStart = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', stmt.endIndex);
  if (/^[ \t]*$/.test(text.slice(lineStart, stmt.startIndex)) && /^[ \t]*\r?$/.test(text.slice(stmt.endIndex, lineEnd < 0 ? text.length : lineEnd))) {
    return { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, text: '' };
  }
  return { start: stmt.startIndex, end: stmt.endIndex, text: '' };
}

/** `Py_XDECREF(v);` before an exit: on its own line, inline, or with braces around an unbraced body. */
function releaseBefore(text: string, exit: Node, name: string): TextEdit {
  const release = `Py_XDECREF(${name});`;
  if (exit.parent?.type === 'compound_statement' || exit.parent?.type === 'case_statement' || exit.parent?.type === 'labeled_statement') {
    if (startsLine(text, exit.startIndex)) return { start: exit.startIndex, end: exit.startIndex, text: `${release}\n${indentAt(text, exit.startIndex)}` };
    return { start: exit.startIndex, end: exit.startIndex, text: `${release} ` };
  }
  return { start: exit.startIndex, end: exit.endIndex, text: `{ ${release} ${exit.text} }` };
}

/** The `dict-next-critical-section` template. */
function rewriteDictNext(params: { path: string; text: string; call: Node }): LineEdit | string {
  const { path, text, call } = params;
  const fn = enclosingFunction(call);
  if (fn === undefined) return 'the loop is not inside a function';
  let loop: Node | null = call.parent;
  while (loop !== null && !LOOPS.has(loop.type)) loop = loop.parent;
  if (loop === null) return '`PyDict_Next` is not the condition of a loop';
  const condition = loop.childForFieldName('condition');
  if (condition === null || call.startIndex < condition.startIndex || call.endIndex > condition.endIndex) return '`PyDict_Next` is not the condition of a loop';
  if (loop.parent?.type !== 'compound_statement' || !startsLine(text, loop.startIndex)) return 'the loop is not a statement of its own';
  const dict = callArguments(call)[0]?.text;
  if (dict === undefined) return '`PyDict_Next` has no arguments';
  const body = loop.childForFieldName('body');
  if (body === null) return 'the loop has no body';

  const exits = body.descendantsOfType(['return_statement', 'expression_statement', 'goto_statement']).filter((n): n is Node => n !== null && (isReturnLike(n) || n.type === 'goto_statement'));
  const deferred = new Set<string>();
  for (const exit of exits) {
    if (exit.type === 'goto_statement') return 'a `goto` leaves the loop';
    for (let a = exit.parent; a !== null && a.id !== loop.id; a = a.parent) {
      if (LOOPS.has(a.type) || a.type === 'switch_statement') return 'a `return` inside a nested loop or switch cannot break out to the end of the section';
    }
    deferred.add(exit.text.replace(/\s+/g, ' '));
  }
  if (deferred.size > 1) return 'the loop returns different values; store the result and break instead';
  const indent = indentAt(text, loop.startIndex);
  const unit = unitOf(indent);
  const [deferredExit] = [...deferred];
  const flag = freshName(fn, deferredExit !== undefined && /^return (NULL|-1)\s*;$/.test(deferredExit) ? 'failed' : 'early_exit');
  const inner: TextEdit[] = exits.map((exit) => {
    const local = exit.startIndex - loop.startIndex;
    const replacement =
      exit.parent?.type === 'compound_statement' && startsLine(text, exit.startIndex)
        ? `${flag} = 1;\n${indentAt(text, exit.startIndex)}break;`
        : `{ ${flag} = 1; break; }`;
    return { start: local, end: local + exit.text.length, text: replacement };
  });
  const loopText = applyEdits(text.slice(loop.startIndex, loop.endIndex), inner);
  const lines: string[] = [];
  if (deferredExit !== undefined) lines.push(`int ${flag} = 0;`);
  lines.push(`Py_BEGIN_CRITICAL_SECTION(${dict});`, loopText, 'Py_END_CRITICAL_SECTION();');
  if (deferredExit !== undefined) lines.push(`if (${flag}) {`, `${unit}${deferredExit}`, '}');
  return regionEdit(path, text, loop.startIndex, loop.endIndex, [{ start: loop.startIndex, end: loop.endIndex, text: lines.join(`\n${indent}`) }]);
}
