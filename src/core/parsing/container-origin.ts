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

/**
 * Classifies the container expression `arg` of a borrowed-reference call. With the file's `text`,
 * a field of a struct that only ever lives on a thread's stack and only ever holds containers
 * made for it is `fresh` (see `isPrivateBuilderField`); without it every field is `shared`.
 */
export function containerOrigin(arg: Node, text?: string): ContainerOrigin {
  const expr = unwrapExpression(arg);
  if (expr.type === 'field_expression') return text !== undefined && isPrivateBuilderField(expr, text) ? 'fresh' : 'shared';
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
 * True when `field` (`info->namespace`, `state.literals`) belongs to a struct that is only ever a
 * local of some function, and every assignment to a field of that name in the file stores a new
 * container (or NULL): a builder's scratch state, such as msgspec's `StructMetaInfo` whose
 * `namespace` is a `PyDict_Copy` made for one class creation. No other thread can reach it.
 *
 * The struct is private when the base is a local struct variable of this function (`state.x`),
 * or a pointer parameter (`T *info`) whose type `T` the file declares only as indented,
 * non-static locals, never as a global, a `static`, or with `sizeof(T)` (a heap or object
 * allocation, a module state size). Judged on the text, since the tree may hold only the
 * functions with hits; comments may make it say no, never yes.
 */
function isPrivateBuilderField(field: Node, text: string): boolean {
  const base = field.childForFieldName('argument');
  const name = field.childForFieldName('field')?.text;
  const operator = field.childForFieldName('operator')?.text;
  if (base?.type !== 'identifier' || name === undefined || !/^\w+$/.test(name)) return false;
  const fn = enclosingFunction(field);
  if (fn === undefined) return false;
  if (operator === '.') {
    const facts = functionFacts(fn);
    if (!facts.locals.has(base.text) || facts.staticLocals.has(base.text) || facts.parameters.includes(base.text)) return false;
  } else {
    const type = parameterStructType(fn, base.text);
    if (type === undefined || !onlyLocalInstances(text, type)) return false;
  }
  return onlyFreshAssignments(text, name);
}

/** The struct type name `T` of the parameter `name` declared `T *name` (or `struct T *name`), if any. */
function parameterStructType(fn: Node, name: string): string | undefined {
  let declarator: Node | null = fn.childForFieldName('declarator');
  while (declarator !== null && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  for (const param of declarator?.childForFieldName('parameters')?.namedChildren ?? []) {
    if (param?.type !== 'parameter_declaration') continue;
    const d = param.childForFieldName('declarator');
    if (d?.type !== 'pointer_declarator' || d.childForFieldName('declarator')?.text !== name) continue;
    const type = param.childForFieldName('type');
    if (type?.type === 'type_identifier') return type.text;
    if (type?.type === 'struct_specifier') return type.childForFieldName('name')?.text;
    return undefined;
  }
  return undefined;
}

// Answers per file text, for the rules that ask about many hits of one file.
let builderText: string | undefined;
const localTypes = new Map<string, boolean>();
const freshFields = new Map<string, boolean>();

function cachedFor(text: string): void {
  if (builderText === text) return;
  builderText = text;
  localTypes.clear();
  freshFields.clear();
}

/** True when every instance of the struct type `type` the text declares is an indented, non-static local. */
function onlyLocalInstances(text: string, type: string): boolean {
  cachedFor(text);
  const known = localTypes.get(type);
  if (known !== undefined) return known;
  let answer = false;
  const uses = new RegExp(`\\b${type}\\b`, 'g');
  for (let m = uses.exec(text); m !== null; m = uses.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index);
    const after = text.slice(m.index + type.length, m.index + type.length + 120);
    // `sizeof(T)`, `PyMem_New(T, n)`, `PyObject_New(T, tp)`: an instance on the heap.
    if (/\bsizeof\s*\(\s*(struct\s+)?$/.test(before) || /\w_?New\w*\s*\(\s*$/.test(before)) {
      answer = false;
      break;
    }
    // `T name = …;`, `T name;`, `T name[…]`: an instance; a local only when indented and not static.
    if (/^\s+[A-Za-z_]\w*\s*(=|;|\[|,)/.test(after)) {
      if (!/^\s/.test(before) || /\bstatic\b/.test(before) || /\b(extern|thread_local|_Thread_local)\b/.test(before)) {
        answer = false;
        break;
      }
      answer = true;
    }
  }
  localTypes.set(type, answer);
  return answer;
}

/**
 * True when every assignment to a field called `name` in the text (`x->name = …`, `x.name = …`,
 * `.name = …` in an initialiser) stores a container made there or NULL, at least one stores a
 * container, and no code takes the field's address or swaps it with `Py_SETREF`.
 */
function onlyFreshAssignments(text: string, name: string): boolean {
  cachedFor(text);
  const known = freshFields.get(name);
  if (known !== undefined) return known;
  let fresh = 0;
  let answer = true;
  const assignments = new RegExp(`(?:\\.|->)\\s*${name}\\s*=(?!=)\\s*([A-Za-z_]\\w*)?`, 'g');
  for (let m = assignments.exec(text); m !== null && answer; m = assignments.exec(text)) {
    const value = m[1];
    if (value === undefined) answer = false;
    else if (nullConstants.has(value)) continue;
    else if (freshConstructors.has(value) && /^\s*\(/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 20))) fresh += 1;
    else answer = false;
  }
  if (answer && new RegExp(`&\\s*\\(?\\s*[\\w.>-]*(?:\\.|->)${name}\\b|SETREF\\s*\\(\\s*[\\w.>-]*(?:\\.|->)${name}\\b`).test(text)) answer = false;
  answer = answer && fresh > 0;
  freshFields.set(name, answer);
  return answer;
}

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
