import type { Node } from 'web-tree-sitter';

/**
 * Small, named queries over tree-sitter-c / tree-sitter-cpp trees that several rules share.
 * Each guards one edge case, named in its comment.
 */

/** The `call_expression` whose callee is exactly `identifier`, if any (not `f` in `f + 1`, not a declaration). */
export function callOf(identifier: Node): Node | undefined {
  const parent = identifier.parent;
  if (parent === null) return undefined;
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === identifier.id) return parent;
  // Python (Cython via tree-sitter-python): `call` with field `function`.
  if (parent.type === 'call' && parent.childForFieldName('function')?.id === identifier.id) return parent;
  return undefined;
}

/** The named argument nodes of a call, comments dropped. */
export function callArguments(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (args === null) return [];
  return args.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
}

/** The innermost enclosing function definition, or undefined at file scope. */
export function enclosingFunction(node: Node): Node | undefined {
  let current: Node | null = node.parent;
  while (current !== null) {
    if (current.type === 'function_definition') return current;
    current = current.parent;
  }
  return undefined;
}

/** The declared name of a function definition (`f` in `static PyObject *f(PyObject *a)`). */
export function functionName(fn: Node): string | undefined {
  let declarator: Node | null = fn.childForFieldName('declarator');
  // Edge case: pointer return types wrap the function declarator (`PyObject *f(...)`).
  while (declarator !== null && declarator.type !== 'function_declarator') {
    declarator = declarator.childForFieldName('declarator');
  }
  const name = declarator?.childForFieldName('declarator');
  return name?.text;
}

/** Parameter names of a function definition, in order. */
export function parameterNames(fn: Node): string[] {
  let declarator: Node | null = fn.childForFieldName('declarator');
  while (declarator !== null && declarator.type !== 'function_declarator') {
    declarator = declarator.childForFieldName('declarator');
  }
  const params = declarator?.childForFieldName('parameters');
  if (params === null || params === undefined) return [];
  const names: string[] = [];
  for (const param of params.namedChildren) {
    if (param === null) continue;
    const id = innermostIdentifier(param.childForFieldName('declarator'));
    if (id !== undefined) names.push(id);
  }
  return names;
}

/** Follows `declarator` fields (pointers, arrays, init declarators) to the declared identifier. */
export function innermostIdentifier(node: Node | null | undefined): string | undefined {
  let current: Node | null | undefined = node;
  while (current !== null && current !== undefined) {
    if (current.type === 'identifier' || current.type === 'field_identifier') return current.text;
    current = current.childForFieldName('declarator');
  }
  return undefined;
}

/** Strips casts and parentheses: `((PyObject *)d)` → `d`. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    if (current.type === 'parenthesized_expression' || current.type === 'cast_expression') {
      const inner = current.type === 'cast_expression' ? current.childForFieldName('value') : current.namedChildren.find((c) => c?.type !== 'comment');
      if (inner === null || inner === undefined) return current;
      current = inner;
      continue;
    }
    return current;
  }
}

/** Every node of `type` below `root`, in document order (iterative; trees can be deep). */
export function descendantsOfType(root: Node, types: string | string[]): Node[] {
  return root.descendantsOfType(types).filter((n): n is Node => n !== null);
}

/** What one function declares, assigns and calls, gathered in one walk and reused by every rule. */
export type FunctionFacts = {
  parameters: string[];
  /** Right-hand sides by variable name, in document order (`T *x = v;` and `x = v;`). */
  values: Map<string, Node[]>;
  /** Local (non-static) declarations by name. */
  locals: Set<string>;
  /** Function-scope `static` declarations by name. */
  staticLocals: Set<string>;
  /** Every call expression in the body, in document order. */
  calls: Node[];
};

// Facts per function, per tree. Keyed weakly by the tree so nothing outlives a scan of one file.
const factsByTree = new WeakMap<object, Map<number, FunctionFacts>>();

/**
 * Facts about `fn`, computed once per function. Rules ask about locals and assignments for every
 * hit; walking a 2,000-line function once per hit made large generated files (CPython's
 * `Python-ast.c`) quadratic.
 */
export function functionFacts(fn: Node): FunctionFacts {
  let perTree = factsByTree.get(fn.tree);
  if (perTree === undefined) {
    perTree = new Map();
    factsByTree.set(fn.tree, perTree);
  }
  const cached = perTree.get(fn.id);
  if (cached !== undefined) return cached;
  const facts: FunctionFacts = { parameters: parameterNames(fn), values: new Map(), locals: new Set(), staticLocals: new Set(), calls: [] };
  const addValue = (name: string, value: Node): void => {
    const list = facts.values.get(name);
    if (list === undefined) facts.values.set(name, [value]);
    else list.push(value);
  };
  const body = fn.childForFieldName('body');
  if (body !== null) {
    for (const node of body.descendantsOfType(['declaration', 'init_declarator', 'assignment_expression', 'call_expression'])) {
      if (node === null) continue;
      if (node.type === 'call_expression') facts.calls.push(node);
      else if (node.type === 'init_declarator') {
        const name = innermostIdentifier(node.childForFieldName('declarator'));
        const value = node.childForFieldName('value');
        if (name !== undefined && value !== null) addValue(name, value);
      } else if (node.type === 'assignment_expression') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right !== null) addValue(left.text, right);
      } else {
        // A declaration without the word in its text has no `static` specifier: its children are not read.
        const isStatic = node.text.includes('static') && node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
        for (const d of node.childrenForFieldName('declarator')) {
          const name = d === null ? undefined : innermostIdentifier(d);
          if (name !== undefined) (isStatic ? facts.staticLocals : facts.locals).add(name);
        }
      }
    }
  }
  perTree.set(fn.id, facts);
  return facts;
}

/**
 * How assignments in `fn` give a value to the local variable `name`: each right-hand side, from
 * `T *name = rhs;` declarations and `name = rhs;` assignments.
 */
export function assignedValues(fn: Node, name: string): Node[] {
  return functionFacts(fn).values.get(name) ?? [];
}

/** True when `name` is declared as a local variable somewhere in `fn`'s body. */
export function declaresLocal(fn: Node, name: string): boolean {
  const facts = functionFacts(fn);
  return facts.locals.has(name) || facts.staticLocals.has(name);
}

const lockOpen =
  /\b(\w*BEGIN_CRITICAL_SECTION\w*|PyMutex_Lock|PyThread_acquire_lock(_timed)?|PyCriticalSection2?_Begin(Mutex)?|pthread_mutex_lock|EnterCriticalSection|AcquireSRWLockExclusive)\s*\(/g;
const lockClose =
  /\b(\w*END_CRITICAL_SECTION\w*|PyMutex_Unlock|PyThread_release_lock|PyCriticalSection2?_End|pthread_mutex_unlock|LeaveCriticalSection|ReleaseSRWLockExclusive)\s*\(/g;
// C++ RAII guards hold until the end of their scope: pybind11's scoped_critical_section,
// std::lock_guard / unique_lock / scoped_lock, nanobind's ft_lock_guard.
const scopedGuard = /\b(scoped_critical_section|lock_guard|unique_lock|scoped_lock|ft_lock_guard)\b/;

/**
 * True when `node` runs with a lock held: a critical section (including project wrappers such as
 * NumPy's `NPY_BEGIN_CRITICAL_SECTION_SEQUENCE_FAST`), a `PyMutex` or a C++ scoped guard
 * is open before it in the enclosing function. Counted over the function's text up to the node,
 * which tolerates the `Py_BEGIN_CRITICAL_SECTION(op)` macro that tree-sitter sees as a call.
 *
 * Worked example: `Py_BEGIN_CRITICAL_SECTION(d); while (PyDict_Next(d, …))` → one open, zero
 * closes before the hit → locked.
 */
export function isLockHeld(node: Node, text: string): boolean {
  // One walk up, for the innermost function definition (`enclosingFunction`) and, in Cython
  // (tree-sitter-python), `with cython.critical_section(d):` / `with lock:` blocks inside it. It
  // ends at a function whose body is a Python `block`, or a C `compound_statement`: the C and C++
  // grammars have no `with_statement` to find further up.
  let fn: Node | undefined;
  for (let a = node.parent; a !== null; a = a.parent) {
    if (a.type === 'with_statement' && /critical_section|lock|mutex/i.test(a.child(1)?.text ?? '')) return true;
    if (a.type === 'function_definition') {
      fn ??= a;
      const body = a.childForFieldName('body')?.type;
      if (body === 'block' || body === 'compound_statement') break;
    }
  }
  if (fn === undefined) {
    const before = text.slice(Math.max(0, node.startIndex - 4000), node.startIndex);
    const opens = before.match(lockOpen)?.length ?? 0;
    const closes = before.match(lockClose)?.length ?? 0;
    if (opens > closes) return true;
    return scopedGuard.test(before);
  }
  // The same counts as over the text from the function's start to the node, from one pass over
  // the function (rules ask for every hit; a long function with many hits was searched per hit).
  const locks = functionLocks(fn, text);
  const cut = node.startIndex;
  if (countAtMost(locks.opens, cut) > countAtMost(locks.closes, cut)) return true;
  return locks.firstGuardEnd <= cut;
}

/** Where lock calls end in one function: sorted end offsets of opens and closes, and the first scoped guard's end. */
type FunctionLocks = { text: string; opens: number[]; closes: number[]; firstGuardEnd: number };

const locksByTree = new WeakMap<object, Map<number, FunctionLocks>>();

function functionLocks(fn: Node, text: string): FunctionLocks {
  let perTree = locksByTree.get(fn.tree);
  if (perTree === undefined) {
    perTree = new Map();
    locksByTree.set(fn.tree, perTree);
  }
  const cached = perTree.get(fn.id);
  if (cached !== undefined && cached.text === text) return cached;
  const start = fn.startIndex;
  const body = text.slice(start, fn.endIndex);
  const ends = (pattern: RegExp): number[] => [...body.matchAll(pattern)].map((m) => start + m.index + m[0].length);
  const guard = scopedGuard.exec(body);
  const locks = { text, opens: ends(lockOpen), closes: ends(lockClose), firstGuardEnd: guard === null ? Number.POSITIVE_INFINITY : start + guard.index + guard[0].length };
  perTree.set(fn.id, locks);
  return locks;
}

/** How many of the sorted `values` are at most `limit`. */
function countAtMost(values: readonly number[], limit: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The UTF-16 offset where each line of `text` starts (`[0, …]`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line holding `offset`, by binary search over `lineStarts(text)`. */
export function lineOfOffset(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Converts a UTF-16 offset to a 1-based line and column, with a per-text index built once. */
export function createLineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = lineStarts(text);
  return (offset: number) => {
    const line = lineOfOffset(starts, offset);
    return { line, column: offset - (starts[line - 1] as number) + 1 };
  };
}
