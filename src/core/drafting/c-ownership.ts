/**
 * Tree queries about reference ownership in C functions, shared by the templates that write
 * `*Ref` rewrites and by the check that verifies them.
 */
import type { Node } from 'web-tree-sitter';
import { callArguments, unwrapExpression } from '../parsing/syntax.js';

/** `Py_RETURN_NONE;` and friends: macros that return a new reference. */
export const RETURN_MACRO = /^Py_RETURN_[A-Z_]+$/;

/** Calls that give up (or drop) a reference passed as an argument. */
export const RELEASES = new Set(['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR']);
const STEALS = new Set(['PyList_SET_ITEM', 'PyTuple_SET_ITEM', 'PyList_SetItem', 'PyTuple_SetItem', 'PyModule_Add', 'Py_SETREF', 'Py_XSETREF']);

/** True for `return …;`, `Py_RETURN_NONE;`, `Py_RETURN_RICHCOMPARE(…);`. */
export function isReturnLike(node: Node): boolean {
  if (node.type === 'return_statement') return true;
  if (node.type !== 'expression_statement') return false;
  const expr = node.namedChildren[0];
  if (expr === null || expr === undefined) return false;
  const name = expr.type === 'call_expression' ? (expr.childForFieldName('function')?.text ?? '') : expr.text;
  return RETURN_MACRO.test(name);
}

/** The condition of an `if`, without its parentheses and casts. */
function conditionOf(ifNode: Node): Node | undefined {
  const cond = ifNode.childForFieldName('condition');
  if (cond === null) return undefined;
  return unwrapExpression(cond);
}

/** `v <op> NULL` or `NULL <op> v` (also `0`, `nullptr`), for `op` `==` or `!=`. */
function comparesWithNull(e: Node, name: string, op: '==' | '!='): boolean {
  if (e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== op) return false;
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  if (l === null || r === null) return false;
  const nil = (n: Node): boolean => /^(NULL|0|nullptr)$/.test(unwrapExpression(n).text);
  return (unwrapExpression(l).text === name && nil(r)) || (unwrapExpression(r).text === name && nil(l));
}

/** `v == NULL`, `NULL == v`, `v == 0`, `!v`. */
export function isNullTest(expr: Node, name: string): boolean {
  const e = unwrapExpression(expr);
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') {
    const arg = e.childForFieldName('argument');
    return arg !== null && unwrapExpression(arg).text === name;
  }
  return comparesWithNull(e, name, '==');
}

/** `v != NULL`, `v`. */
function isNonNullTest(expr: Node, name: string): boolean {
  const e = unwrapExpression(expr);
  if (e.type === 'identifier') return e.text === name;
  return comparesWithNull(e, name, '!=');
}

/** `PyDict_GetItemRef(…) < 0`, `rc < 0` or `rc == -1` where `rc` holds the call's result. */
export function isErrorTest(expr: Node, resultNames: ReadonlySet<string>, call: Node | undefined): boolean {
  const e = unwrapExpression(expr);
  if (e.type !== 'binary_expression') return false;
  const op = e.childForFieldName('operator')?.text;
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  if (l === null || r === null) return false;
  const left = unwrapExpression(l);
  const isResult = (n: Node): boolean => (call !== undefined && n.id === call.id) || (n.type === 'identifier' && resultNames.has(n.text));
  return isResult(left) && ((op === '<' && r.text === '0') || (op === '==' && r.text === '-1'));
}

/** `rc == 0` or `!rc` where `rc` holds the `-1`/`0`/`1` result (0: missing, the variable is NULL). */
function isMissingTest(expr: Node, resultNames: ReadonlySet<string>, call: Node | undefined): boolean {
  const e = unwrapExpression(expr);
  const isResult = (n: Node): boolean => {
    const u = unwrapExpression(n);
    return (call !== undefined && u.id === call.id) || (u.type === 'identifier' && resultNames.has(u.text));
  };
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') {
    const arg = e.childForFieldName('argument');
    return arg !== null && isResult(arg);
  }
  if (e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '==') return false;
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  return l !== null && r !== null && ((isResult(l) && r.text === '0') || (isResult(r) && l.text === '0'));
}

/**
 * True when `exit` runs only while `name` holds NULL: inside the then-branch of `if (name == NULL)`
 * or `if (!name)`, inside the else-branch of `if (name)`, or inside the branch of an error test of
 * the call that filled it (`if (PyDict_GetItemRef(d, k, &name) < 0)`), up to `stop`.
 */
export function runsOnlyWhenNull(params: { exit: Node; name: string; stop: Node; resultNames: ReadonlySet<string>; call: Node | undefined }): boolean {
  const { exit, name, stop, resultNames, call } = params;
  let child: Node = exit;
  for (let a = exit.parent; a !== null && a.id !== stop.id; a = a.parent) {
    if (a.type === 'if_statement') {
      const cond = conditionOf(a);
      const consequence = a.childForFieldName('consequence');
      const inThen = consequence !== null && consequence.id === child.id;
      if (cond !== undefined && inThen && (isNullTest(cond, name) || isErrorTest(cond, resultNames, call) || isMissingTest(cond, resultNames, call))) return true;
      if (cond !== undefined && !inThen && child.type === 'else_clause' && isNonNullTest(cond, name)) return true;
    }
    child = a;
  }
  return false;
}

/** True when `node` mentions the identifier `name`. */
export function mentions(node: Node, name: string): boolean {
  if (node.type === 'identifier' && node.text === name) return true;
  return node.descendantsOfType('identifier').some((n) => n?.text === name);
}

/** True when the statement `stmt` releases or hands off `name` (`Py_DECREF(name)`, `PyList_SET_ITEM(l, i, name)`, …). */
export function releasesVariable(stmt: Node, name: string): boolean {
  const calls = stmt.type === 'call_expression' ? [stmt] : stmt.descendantsOfType('call_expression').filter((n): n is Node => n !== null);
  for (const call of calls) {
    const callee = call.childForFieldName('function')?.text ?? '';
    if (!RELEASES.has(callee) && !STEALS.has(callee)) continue;
    if (callArguments(call).some((arg) => unwrapExpression(arg).text === name)) return true;
  }
  return false;
}
