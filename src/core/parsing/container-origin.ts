import type { Node } from 'web-tree-sitter';
import type { Confidence } from '../diagnostics.js';
import { assignedValues, callOf, declaresLocal, enclosingFunction, functionFacts, unwrapExpression } from './syntax.js';

/**
 * Where the container passed to a borrowed-reference API comes from, which decides whether another
 * thread can change it while the borrowed item is in use:
 *
 * - `fresh`: created in this function (`PyList_New`, `PyDict_Copy`, `PySequence_List` …) and so
 *   invisible to other threads until published, or the calling thread's own dict
 *   (`PyThreadState_GetDict`), which no other thread reads. Not reported.
 * - `kwargs`: the keyword-arguments dict of a call, private to the call (the CPython HOWTO's own
 *   example of a safe borrowed use). Not reported.
 * - `argument`: a parameter; the caller may share it. Reported, medium confidence.
 * - `shared`: a global, a struct field (`self->cache`, `state->registry`) or the result of an API
 *   that returns shared state (`PyModule_GetDict`, `PyEval_GetBuiltins`). Reported, high confidence.
 * - `unknown`: a local filled from some other call. Reported, low confidence.
 */
export type ContainerOrigin = 'fresh' | 'kwargs' | 'argument' | 'shared' | 'unknown';

const freshConstructors = new Set([
  'PyList_New',
  'PyDict_New',
  'PyTuple_New',
  'PySet_New',
  'PyList_GetSlice',
  'PySequence_List',
  'PySequence_Tuple',
  'PyDict_Copy',
  'PyDict_Keys',
  'PyDict_Values',
  'PyDict_Items',
  'PyMapping_Keys',
  'PyMapping_Values',
  'PyMapping_Items',
  'PyList_AsTuple',
  'PyObject_Dir',
  'Py_BuildValue',
  '_PyDict_NewPresized',
  'PyDict_FromKeys',
  // str methods that return a new list of new strings.
  'PyUnicode_Split',
  'PyUnicode_RSplit',
  'PyUnicode_Splitlines',
]);

const sharedGetters = new Set([
  'PyModule_GetDict',
  'PyImport_GetModuleDict',
  'PyEval_GetBuiltins',
  'PyEval_GetGlobals',
  'PyEval_GetLocals',
  'PyEval_GetFrameBuiltins',
  'PyEval_GetFrameGlobals',
  'PySys_GetObject',
  'PyObject_GenericGetDict',
  'PyType_GetDict',
  'PyState_FindModule',
]);

const kwargsNames = new Set(['kwargs', 'kwds', 'kw', 'kwdict', 'keywords']);

/** Classifies the container expression `arg` of a borrowed-reference call. */
export function containerOrigin(arg: Node): ContainerOrigin {
  const expr = unwrapExpression(arg);
  if (expr.type === 'field_expression') return 'shared';
  // `*out` and `items[i]` are usually out-parameters or slots of something being built: unknown.
  if (expr.type === 'subscript_expression' || expr.type === 'pointer_expression') return 'unknown';
  if (expr.type === 'call_expression') return originOfCall(expr);
  if (expr.type !== 'identifier') return 'unknown';
  const name = expr.text;
  const fn = enclosingFunction(expr);
  if (fn === undefined) return 'unknown';
  if (functionFacts(fn).parameters.includes(name)) {
    if (kwargsNames.has(name)) return 'kwargs';
    return 'argument';
  }
  if (!declaresLocal(fn, name)) return 'shared';
  // A function-scope `static` outlives the call and is seen by every thread that calls it,
  // whatever fills it (`static PyObject *cache = NULL; … cache = PyDict_New();`).
  if (functionFacts(fn).staticLocals.has(name) && !functionFacts(fn).locals.has(name)) return 'shared';
  const values = withoutNullInitialisers(fn, name, assignedValues(fn, name).map(unwrapExpression));
  if (values.length === 0) return 'unknown';
  const origins = values.map((v) => (v.type === 'call_expression' ? originOfCall(v) : v.type === 'field_expression' ? 'shared' : 'unknown'));
  if (origins.every((o) => o === 'fresh')) return 'fresh';
  if (origins.includes('shared')) return 'shared';
  return 'unknown';
}

const nullConstants = new Set(['NULL', 'nullptr', '0']);

/**
 * The values of `name` without null constants (`PyObject *keys = NULL;` before `keys =
 * PyDict_Keys(d);`): a variable that holds NULL holds no container, so the rest decide where the
 * container comes from. Kept when the function takes `&name`, since a call may then fill it
 * (`PyArg_ParseTuple(args, "O", &d)`) with an object nobody sees assigned.
 */
function withoutNullInitialisers(fn: Node, name: string, values: Node[]): Node[] {
  if (!values.some((v) => nullConstants.has(v.text))) return values;
  const body = fn.childForFieldName('body')?.text ?? '';
  if (new RegExp(`&\\s*${name}\\b`).test(body)) return values;
  return values.filter((v) => !nullConstants.has(v.text));
}

function originOfCall(call: Node): ContainerOrigin {
  const callee = call.childForFieldName('function')?.text ?? '';
  if (freshConstructors.has(callee) || callee === 'PyThreadState_GetDict') return 'fresh';
  if (sharedGetters.has(callee)) return 'shared';
  return 'unknown';
}

/** The confidence to report a borrowed use with, or undefined when it is not worth reporting. */
export function confidenceForOrigin(origin: ContainerOrigin): Confidence | undefined {
  switch (origin) {
    case 'fresh':
    case 'kwargs':
      return undefined;
    case 'shared':
      return 'high';
    case 'argument':
      return 'medium';
    case 'unknown':
      return 'low';
  }
}

/**
 * True when the borrowed result is only tested for presence (`if (PyDict_GetItem(d, k))`,
 * `PyDict_GetItem(d, k) != NULL`) and never used as an object, so no reference outlives the call.
 */
export function isPresenceTestOnly(call: Node): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (parent === null) return false;
  if (parent.type === 'binary_expression') {
    const op = parent.childForFieldName('operator')?.text;
    const other = parent.childForFieldName('left')?.id === node.id ? parent.childForFieldName('right') : parent.childForFieldName('left');
    return (op === '==' || op === '!=') && (other?.text === 'NULL' || other?.text === '0' || other?.text === 'nullptr');
  }
  if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '!') return true;
  // `if (call)` / `while (call)`: the condition field holds a parenthesized expression.
  if ((parent.type === 'if_statement' || parent.type === 'while_statement') && parent.childForFieldName('condition')?.id === node.id) {
    return true;
  }
  return false;
}

/** The call expression of a resolved hit whose node is the callee, else undefined. */
export function hitCall(node: Node | undefined): Node | undefined {
  return node === undefined ? undefined : callOf(node);
}
