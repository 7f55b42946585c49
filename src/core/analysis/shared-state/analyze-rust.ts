import type { Node } from 'web-tree-sitter';

/**
 * The shared-state analysis of one PyO3 (or raw `pyo3-ffi`) source file, over its tree-sitter-rust
 * tree. Rust's type system rules out most data races, so what is left is what PyO3 itself hands
 * out or what `unsafe` opts out of:
 *
 * - process-wide statics: `static mut` (every access is `unsafe` and unsynchronised), and
 *   `GILOnceCell` / `GILProtected` statics, whose safety rested on the GIL;
 * - per-object state: a `#[pyclass]` that is not `frozen` is borrow-checked at run time, so two
 *   threads calling a `&mut self` method (or one of those and a `&self` method) on one object get
 *   a borrow error instead of waiting.
 *
 * One walk over the tree collects the items; a second looks only at the identifiers that name a
 * collected static. Both are linear in the size of the tree. Offsets are UTF-16 code units.
 */

export type RustStaticKind = 'static-mut' | 'gil-once-cell' | 'gil-protected';

export type RustStatic = { name: string; kind: RustStaticKind; at: number; end: number };

/** How Python reaches the function that holds an access. */
export type RustReach = 'entry' | 'init' | 'other';

export type RustStaticAccess = {
  variable: RustStatic;
  /** `init`: `get_or_init`-style call on a once cell; `write`/`read`: access to a `static mut`. */
  kind: 'init' | 'write' | 'read';
  at: number;
  end: number;
  /** The enclosing function (`<file scope>` outside any). */
  function: string;
  reach: RustReach;
  /** For a helper that Python reaches through a caller in this file: that caller's name. */
  via?: string;
  /** The closure of a `Once::call_once`-style call runs once: an access inside it is ordered. */
  once: boolean;
};

/** A mention of `GILOnceCell` / `GILProtected` outside a static's declaration. */
export type RustCellMention = {
  type: 'GILOnceCell' | 'GILProtected';
  where: 'import' | 'field' | 'parameter' | 'expression';
  at: number;
  end: number;
  function: string;
};

export type RustMutMethod = {
  className: string;
  method: string;
  /** The `&mut self` (or `PyRefMut<Self>`) parameter. */
  at: number;
  end: number;
  /** Fields of `self` the method writes or calls methods on, in order, each once. */
  fields: string[];
  /** A `#[setter]`: Python's attribute assignment. */
  setter: boolean;
};

export type RustSharedRead = {
  className: string;
  method: string;
  field: string;
  /** The first `self.<field>` in the method. */
  at: number;
  end: number;
  /** The `&mut self` methods that write `field`; a generated `#[pyo3(set)]` setter is listed as `set_<field>`. */
  writers: string[];
};

export type RustPyclass = { name: string; at: number; end: number; frozen: boolean; unsendable: boolean; mutMethods: string[] };

export type RustCellType = 'UnsafeCell' | 'SyncUnsafeCell' | 'Cell' | 'RefCell';

/**
 * A cell that lets shared references mutate with nothing ordering the threads: a struct field of
 * type `UnsafeCell<T>` / `SyncUnsafeCell<T>` (any struct), or `Cell<T>` / `RefCell<T>` in a struct
 * the file declares `unsafe impl Sync` for; or a `static` of one of those types.
 */
export type RustCell = {
  /** The struct that holds the field (`Cache`), or `''` for a `static`. */
  owner: string;
  /** The field (`inner`, `0` in a tuple struct) or the static's name. */
  name: string;
  type: RustCellType;
  /** The type inside the cell, as written (`usize`, `Option<TzPtr>`). */
  inner: string;
  /** The owner is a `#[pyclass]`: its state belongs to one Python object. */
  pyclass: boolean;
  /** The field's or static's name (the type, for a tuple-struct field). */
  at: number;
  end: number;
};

/** The first use of a cell's interior in one function (`self.inner.get()`, `COUNT.set(n)`). */
export type RustCellAccess = {
  cell: RustCell;
  /** The call on the cell, from the receiver to the method name. */
  at: number;
  end: number;
  function: string;
  reach: RustReach;
  via?: string;
};

export type RustSharedState = {
  statics: RustStatic[];
  accesses: RustStaticAccess[];
  mentions: RustCellMention[];
  mutMethods: RustMutMethod[];
  sharedReads: RustSharedRead[];
  /** `#[pyclass]` types declared in this file that have `&mut self` methods in this file. */
  mutableClasses: RustPyclass[];
  /** Unsynchronised cells (empty unless the file names PyO3 or the C API: see `cellsOf`). */
  cells: RustCell[];
  /** One per cell and function that uses it through a shared reference, in file order. */
  cellAccesses: RustCellAccess[];
};

const cellTypes = new Set(['GILOnceCell', 'GILProtected']);
/** The once-cell methods that may run the initialiser (and so race without the GIL). */
const cellInitMethods = new Set(['get_or_init', 'get_or_try_init', 'get_or_try_init_type_ref', 'import', 'set']);
/**
 * `&mut self` methods that alone do not make a class shared mutable state: they run before an
 * object is shared or after its use ends, or advance an iterator (which, like Python's own
 * iterators, is not meant to be shared between threads).
 */
const lifecycleMethods = new Set(['__setstate__', '__enter__', '__exit__', '__aenter__', '__aexit__', '__clear__', '__del__', '__next__', '__anext__']);
/** Calls whose closure argument runs once however many threads call (a once-lock). */
const onceCalls = new Set(['call_once', 'call_once_force', 'get_or_init', 'get_or_try_init', 'get_or_init_py_attached', 'call_once_py_attached']);

/** The attribute names on the item (`pyclass`, `pymethods`, `getter`), with their argument text. */
function attributesOf(item: Node): Array<{ name: string; args: string }> {
  const out: Array<{ name: string; args: string }> = [];
  for (let s = item.previousNamedSibling; s !== null; s = s.previousNamedSibling) {
    if (s.type === 'line_comment' || s.type === 'block_comment') continue;
    if (s.type !== 'attribute_item') break;
    const attribute = s.namedChildren.find((c) => c?.type === 'attribute');
    const path = attribute?.namedChild(0);
    if (attribute === undefined || attribute === null || path === null || path === undefined) continue;
    // `#[pyo3::pyclass]` → `pyclass`; `#[cfg_attr(cond, pyclass(frozen))]` keeps its name `cfg_attr`.
    const name = path.type === 'scoped_identifier' ? (path.childForFieldName('name')?.text ?? '') : path.text;
    out.push({ name, args: attribute.childForFieldName('arguments')?.text ?? '' });
  }
  return out;
}

/** Words of an attribute's argument text (`(frozen, name = "X")` → frozen, name, X). */
function words(args: string): Set<string> {
  return new Set(args.split(/[^A-Za-z0-9_]+/).filter((w) => w !== ''));
}

/** The last path segment of a type (`pyo3::sync::GILOnceCell<T>` → `GILOnceCell`). */
function baseTypeName(type: Node | null): string {
  if (type === null) return '';
  if (type.type === 'generic_type') return baseTypeName(type.childForFieldName('type'));
  if (type.type === 'scoped_type_identifier') return type.childForFieldName('name')?.text ?? '';
  return type.type === 'type_identifier' ? type.text : '';
}

function enclosing(node: Node, type: string): Node | undefined {
  for (let p = node.parent; p !== null; p = p.parent) if (p.type === type) return p;
  return undefined;
}

/** Pre-order walk of every node below `root` (explicit stack: deep trees do not overflow). */
/** `visit` returns `false` to skip the node's children. */
function walk(root: Node, visit: (n: Node) => boolean | undefined): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (visit(n) === false) continue;
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c !== null) stack.push(c);
    }
  }
}

type FunctionFacts = { name: string; reach: RustReach };

/**
 * Which functions Python reaches: `#[pyfunction]`, methods of `#[pymethods]` impls and
 * `extern "C"` functions (raw FFI callbacks) are entry points; `#[pymodule]` functions, their
 * `#[pymodule_init]` and `PyInit_*` run once at import.
 */
function functionFacts(fn: Node): FunctionFacts {
  const name = fn.childForFieldName('name')?.text ?? '<anonymous>';
  const attrs = attributesOf(fn).map((a) => a.name);
  if (attrs.includes('pymodule') || attrs.includes('pymodule_init') || name.startsWith('PyInit_')) return { name, reach: 'init' };
  if (attrs.includes('pyfunction')) return { name, reach: 'entry' };
  const impl = enclosing(fn, 'impl_item');
  if (impl !== undefined && attributesOf(impl).some((a) => a.name === 'pymethods')) return { name, reach: 'entry' };
  // A raw-FFI module's exec function, written inside its `Py_mod_exec` slot, runs at import.
  if (inExecSlot(fn)) return { name, reach: 'init' };
  const modifiers = fn.namedChildren.find((c) => c?.type === 'function_modifiers');
  if (modifiers?.namedChildren.some((c) => c?.type === 'extern_modifier') === true) return { name, reach: 'entry' };
  return { name, reach: 'other' };
}

/**
 * `true` inside the `value` of a `PyModuleDef_Slot { slot: Py_mod_exec, value: … }` initialiser:
 * the function there runs when the module is imported, once per module object.
 */
function inExecSlot(node: Node): boolean {
  for (let p: Node | null = node; p !== null; p = p.parent) {
    if (p.type !== 'field_initializer' || p.childForFieldName('field')?.text !== 'value') continue;
    const slot = p.parent?.namedChildren.find((c) => c?.type === 'field_initializer' && c.childForFieldName('field')?.text === 'slot');
    if (slot?.childForFieldName('value')?.text.endsWith('Py_mod_exec') === true) return true;
  }
  return false;
}

type CallSite = { caller: Node | undefined; once: boolean };

/** `functionFacts` computed once per function node; file-scope code is `<file scope>`. */
function memoizedFunctionFacts(): (fn: Node | undefined) => FunctionFacts {
  const facts = new Map<number, FunctionFacts>();
  return (fn) => {
    if (fn === undefined) return { name: '<file scope>', reach: 'other' };
    let f = facts.get(fn.id);
    if (f === undefined) facts.set(fn.id, (f = functionFacts(fn)));
    return f;
  };
}

/**
 * How Python reaches each function of the file, following calls within the file: an attributed
 * function keeps its own reach; a helper is an entry point when any caller is (not inside a
 * once-closure), and init-only when it has callers and every call runs at module init or once
 * (`INIT.call_once(|| setup())`, or passed by name: `INIT.get_or_init(setup)`). A helper with no
 * caller in the file stays `other`. Calls are matched by the last segment of the callee's path, so
 * functions of one name share their calls; method calls (`x.f()`) are not followed. Recursion
 * counts as no caller.
 */
function callerReach(root: Node, factsOf: (fn: Node | undefined) => FunctionFacts): (fn: Node | undefined) => { reach: RustReach; via?: string } {
  const sites = new Map<string, CallSite[]>();
  const execNames = new Set<string>();
  const addSite = (name: string, at: Node, once: boolean): void => {
    const caller = enclosing(at, 'function_item');
    const list = sites.get(name) ?? [];
    list.push({ caller, once: once || insideOnce(at, caller) });
    sites.set(name, list);
  };
  const pathName = (n: Node | null): string | undefined =>
    n?.type === 'identifier' ? n.text : n?.type === 'scoped_identifier' ? n.childForFieldName('name')?.text : undefined;
  walk(root, (n): undefined => {
    // A function named as a `Py_mod_exec` slot's value (`exec_module as *mut c_void`) runs at import.
    if (n.type === 'field_initializer' && n.childForFieldName('field')?.text === 'value' && inExecSlot(n)) {
      let value = n.childForFieldName('value');
      while (value?.type === 'type_cast_expression' || value?.type === 'parenthesized_expression') value = value.type === 'type_cast_expression' ? value.childForFieldName('value') : value.namedChild(0);
      const passed = pathName(value ?? null);
      if (passed !== undefined) execNames.add(passed);
      return;
    }
    if (n.type !== 'call_expression') return;
    const callee = n.childForFieldName('function');
    const direct = pathName(callee);
    if (direct !== undefined) addSite(direct, n, false);
    // A function handed by name to a once-call runs once: `INIT.get_or_init(init_impl)`.
    if (callee?.type === 'field_expression' && onceCalls.has(callee.childForFieldName('field')?.text ?? '')) {
      for (const arg of n.childForFieldName('arguments')?.namedChildren ?? []) {
        const passed = pathName(arg);
        if (passed !== undefined) addSite(passed, arg, true);
      }
    }
    return;
  });
  const memo = new Map<number, { reach: RustReach; via?: string }>();
  const reachOf = (fn: Node | undefined): { reach: RustReach; via?: string } => {
    if (fn === undefined) return { reach: 'other' };
    const known = memo.get(fn.id);
    if (known !== undefined) return known;
    const own = factsOf(fn);
    // An `extern "C"` exec function is a callback, but CPython calls it only at import.
    if (execNames.has(own.name)) return { reach: 'init' };
    if (own.reach !== 'other') return { reach: own.reach };
    memo.set(fn.id, { reach: 'other' }); // a cycle adds nothing
    const calls = (sites.get(own.name) ?? []).filter((c) => c.caller?.id !== fn.id);
    let result: { reach: RustReach; via?: string } = { reach: 'other' };
    // Several functions of one name (`#[cfg]` variants, methods of different impls) share their calls.
    if (calls.length > 0) {
      const from = calls.map((c) => (c.once ? { reach: 'init' as const, name: '' } : { ...reachOf(c.caller), name: factsOf(c.caller).name }));
      const entry = from.find((f) => f.reach === 'entry');
      if (entry !== undefined) result = { reach: 'entry', via: entry.via ?? entry.name };
      else if (from.every((f) => f.reach === 'init')) result = { reach: 'init' };
    }
    memo.set(fn.id, result);
    return result;
  };
  return reachOf;
}

/** `true` when `node` sits in the closure argument of a once-call (`INIT.call_once(|| …)`). */
function insideOnce(node: Node, stop: Node | undefined): boolean {
  for (let p = node.parent; p !== null && p.id !== stop?.id; p = p.parent) {
    if (p.type !== 'closure_expression') continue;
    const call = p.parent?.parent;
    const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
    if (callee?.type === 'field_expression' && onceCalls.has(callee.childForFieldName('field')?.text ?? '')) return true;
  }
  return false;
}

/**
 * The outermost place expression that starts with `node` (`self.a` in `self.a.b[i]`), and how it
 * is used: written (assigned, compound-assigned, `&mut` taken, a method called on it) or read.
 */
function placeUse(node: Node): 'write' | 'read' {
  let top = node;
  for (let p = top.parent; p !== null; p = p.parent) {
    if ((p.type === 'field_expression' && p.childForFieldName('value')?.id === top.id) || (p.type === 'index_expression' && p.namedChild(0)?.id === top.id)) {
      // A method call on the place: `self.items.push(x)` (the callee is `self.items.push`).
      if (p.type === 'field_expression' && p.parent?.type === 'call_expression' && p.parent.childForFieldName('function')?.id === p.id) return 'write';
      top = p;
      continue;
    }
    break;
  }
  const parent = top.parent;
  if (parent === null) return 'read';
  if ((parent.type === 'assignment_expression' || parent.type === 'compound_assignment_expr') && parent.childForFieldName('left')?.id === top.id) return 'write';
  if (parent.type === 'reference_expression' && parent.namedChildren.some((c) => c?.type === 'mutable_specifier')) return 'write';
  return 'read';
}

/** The receiver of a `#[pymethods]` function: exclusive (`&mut self`, `PyRefMut<Self>`), shared, or none. */
function receiverOf(fn: Node, className: string): { kind: 'mut' | 'shared'; node: Node; name: string } | undefined {
  const params = fn.childForFieldName('parameters');
  const first = params?.namedChildren.find((c) => c !== null && c.type !== 'attribute_item' && c.type !== 'line_comment' && c.type !== 'block_comment');
  if (first === undefined || first === null) return undefined;
  if (first.type === 'self_parameter') {
    const text = first.text;
    if (!text.startsWith('&')) return undefined; // `self` by value does not exist on pyclasses
    return { kind: first.namedChildren.some((c) => c?.type === 'mutable_specifier') ? 'mut' : 'shared', node: first, name: 'self' };
  }
  if (first.type !== 'parameter') return undefined;
  const type = first.childForFieldName('type');
  const base = baseTypeName(type);
  if (base !== 'PyRefMut' && base !== 'PyRef') return undefined;
  const args = type?.childForFieldName('type_arguments');
  const target = args?.namedChildren.filter((c) => c !== null && c.type !== 'lifetime').at(-1)?.text;
  if (target !== 'Self' && target !== className) return undefined;
  const pattern = first.childForFieldName('pattern');
  return { kind: base === 'PyRefMut' ? 'mut' : 'shared', node: first, name: pattern?.text ?? 'slf' };
}

type FieldAccess = { field: string; node: Node; at: number; end: number };

/**
 * Every `<receiver>.<field>` in the method body, in file order. Inside a macro's token tree
 * (`format!("{}", self.name)`) the tokens `self`, `.`, `name` count as a read.
 */
function fieldAccesses(body: Node, receiver: string): FieldAccess[] {
  const out: FieldAccess[] = [];
  walk(body, (n) => {
    // A nested function or impl has its own `self`.
    if (n.id !== body.id && (n.type === 'function_item' || n.type === 'impl_item')) return false;
    if (n.type === 'token_tree') {
      for (let i = 0; i + 2 < n.childCount; i++) {
        const [value, dot, field] = [n.child(i), n.child(i + 1), n.child(i + 2)];
        if (value?.text !== receiver || dot?.type !== '.' || field?.type !== 'identifier') continue;
        out.push({ field: field.text, node: value, at: value.startIndex, end: field.endIndex });
      }
      return true;
    }
    if (n.type !== 'field_expression') return true;
    const value = n.childForFieldName('value');
    const field = n.childForFieldName('field');
    if (value === null || field === null || value.text !== receiver || field.type !== 'field_identifier') return true;
    out.push({ field: field.text, node: n, at: n.startIndex, end: n.endIndex });
    return true;
  });
  return out.sort((a, b) => a.at - b.at);
}

function analyzeStatics(root: Node, statics: RustStatic[], mentions: RustCellMention[]): RustStaticAccess[] {
  const byName = new Map<string, RustStatic>();
  for (const s of statics) if (!byName.has(s.name)) byName.set(s.name, s);
  const accesses: RustStaticAccess[] = [];
  if (byName.size === 0 && mentions.length === 0) return accesses;
  const factsOf = memoizedFunctionFacts();
  for (const m of mentions) m.function = factsOf(enclosingFunctionItem(root, m.at)).name;
  if (byName.size === 0) return accesses;
  const reachOf = callerReach(root, factsOf);
  walk(root, (n) => {
    if (n.type !== 'identifier') return;
    const variable = byName.get(n.text);
    if (variable === undefined || n.startIndex === variable.at) return;
    // `Self::NAME` / `module::NAME` paths end in the name; other path positions are not the static.
    const parent = n.parent;
    if (parent?.type === 'scoped_identifier' && parent.childForFieldName('name')?.id !== n.id) return;
    const target = parent?.type === 'scoped_identifier' ? parent : n;
    const fn = enclosing(n, 'function_item');
    const { name } = factsOf(fn);
    // Outside any function the access is in a static's or const's initialiser, which the compiler
    // evaluates: `m_methods: METHODS.as_mut_ptr()` in a `PyModuleDef` runs before any thread does.
    const { reach, via } = fn === undefined ? { reach: 'init' as const, via: undefined } : reachOf(fn);
    const once = insideOnce(n, fn);
    if (variable.kind === 'static-mut') {
      // Inside a macro (`addr_of_mut!(X)`, `println!("{}", X)`) the tree is a token tree.
      const macro = enclosing(n, 'macro_invocation');
      const macroName = macro?.childForFieldName('macro')?.text ?? '';
      const kind = macro !== undefined && parent?.type === 'token_tree' ? (/addr_of_mut|write/.test(macroName) ? 'write' : 'read') : placeUse(target);
      accesses.push({ variable, kind, at: target.startIndex, end: target.endIndex, function: name, reach, ...(via === undefined ? {} : { via }), once });
      return;
    }
    // A once cell: only the calls that may run an initialiser.
    const callee = target.parent;
    if (callee?.type !== 'field_expression' || callee.childForFieldName('value')?.id !== target.id) return;
    const method = callee.childForFieldName('field')?.text ?? '';
    if (!cellInitMethods.has(method) || callee.parent?.type !== 'call_expression') return;
    accesses.push({ variable, kind: 'init', at: target.startIndex, end: callee.endIndex, function: name, reach, ...(via === undefined ? {} : { via }), once });
    return true;
  });
  return accesses;
}

function enclosingFunctionItem(root: Node, at: number): Node | undefined {
  const node = root.descendantForIndex(at);
  if (node === null) return undefined;
  return node.type === 'function_item' ? node : enclosing(node, 'function_item');
}

/** Where a mention of a cell type sits, for the message. */
function mentionWhere(n: Node): RustCellMention['where'] {
  for (let p = n.parent; p !== null; p = p.parent) {
    if (p.type === 'use_declaration') return 'import';
    if (p.type === 'field_declaration' || p.type === 'ordered_field_declaration_list') return 'field';
    if (p.type === 'parameter') return 'parameter';
    if (p.type === 'function_item' || p.type === 'block') return 'expression';
  }
  return 'expression';
}

function analyzeClasses(
  classDecls: Map<string, RustPyclass>,
  setFields: Map<string, Set<string>>,
  impls: Node[],
): { mutMethods: RustMutMethod[]; sharedReads: RustSharedRead[]; mutableClasses: RustPyclass[] } {
  let mutMethods: RustMutMethod[] = [];
  const readers: Array<{ className: string; method: string; accesses: FieldAccess[] }> = [];
  const writtenBy = new Map<string, Map<string, string[]>>();
  for (const impl of impls) {
    const className = baseTypeName(impl.childForFieldName('type'));
    const decl = classDecls.get(className);
    // `frozen` classes cannot take `&mut self`; `unsendable` ones raise on any other thread anyway.
    if (decl?.frozen === true || decl?.unsendable === true) continue;
    const body = impl.childForFieldName('body');
    for (const fn of body?.namedChildren ?? []) {
      if (fn?.type !== 'function_item') continue;
      const receiver = receiverOf(fn, className);
      const fnBody = fn.childForFieldName('body');
      if (receiver === undefined || fnBody === null) continue;
      const method = fn.childForFieldName('name')?.text ?? '<anonymous>';
      const accesses = fieldAccesses(fnBody, receiver.name);
      if (receiver.kind === 'shared') {
        readers.push({ className, method, accesses });
        continue;
      }
      const fields: string[] = [];
      const setter = attributesOf(fn).some((a) => a.name === 'setter');
      mutMethods.push({ className, method, at: receiver.node.startIndex, end: receiver.node.endIndex, fields, setter });
      // Unpickling fills a fresh object that no other thread holds yet: not a writer readers meet.
      if (method === '__setstate__') continue;
      let written = writtenBy.get(className);
      if (written === undefined) writtenBy.set(className, (written = new Map<string, string[]>()));
      for (const a of accesses) {
        if (placeUse(a.node) !== 'write' || fields.includes(a.field)) continue;
        fields.push(a.field);
        const list = written.get(a.field) ?? [];
        if (!list.includes(method)) list.push(method);
        written.set(a.field, list);
      }
    }
  }
  // A class is reported when a `&mut self` method other than a lifecycle hook or a property setter
  // borrows it: unpickling fills a fresh object, `__exit__` ends its use, and a setter only assigns
  // (like a `#[pyo3(set)]` field, which is not reported either). With such a method, the hooks and
  // setters are reported too, since making the class frozen changes them as well.
  const mutated = new Set(mutMethods.filter((m) => !lifecycleMethods.has(m.method) && !m.setter).map((m) => m.className));
  mutMethods = mutMethods.filter((m) => mutated.has(m.className));
  const sharedReads: RustSharedRead[] = [];
  for (const r of readers) {
    if (!mutated.has(r.className)) continue;
    const written = writtenBy.get(r.className);
    const setters = setFields.get(r.className);
    for (const a of r.accesses) {
      const writers = [...(written?.get(a.field) ?? []), ...(setters?.has(a.field) === true ? [`set_${a.field}`] : [])];
      if (writers.length === 0) continue;
      sharedReads.push({ className: r.className, method: r.method, field: a.field, at: a.at, end: a.end, writers });
      break;
    }
  }
  const mutableClasses: RustPyclass[] = [];
  for (const [name, decl] of classDecls) {
    const methods = mutMethods.filter((m) => m.className === name).map((m) => m.method);
    if (methods.length > 0) mutableClasses.push({ ...decl, mutMethods: methods });
  }
  mutableClasses.sort((a, b) => a.at - b.at);
  return { mutMethods, sharedReads, mutableClasses };
}

/** Cells that mutate through `&self` whatever the struct: the author opted out of `Sync` checks. */
const unsafeCells = new Set<RustCellType>(['UnsafeCell', 'SyncUnsafeCell']);
/** Methods that reach a cell's interior through a shared reference (`get_mut` needs `&mut` and is fine). */
const cellMethods: Record<RustCellType, ReadonlySet<string>> = {
  UnsafeCell: new Set(['get']),
  SyncUnsafeCell: new Set(['get']),
  Cell: new Set(['get', 'set', 'replace', 'take', 'swap', 'update']),
  RefCell: new Set(['borrow', 'borrow_mut', 'try_borrow', 'try_borrow_mut', 'replace', 'replace_with', 'take', 'swap']),
};
/**
 * Field types that make a struct its own lock or once-cell: beside one of them, an `UnsafeCell` is
 * what it guards (`{ once: Once, ptr: UnsafeCell<*mut T> }` filled inside `call_once`).
 */
const lockField = /\b(?:Atomic\w*|Mutex|RwLock|ReentrantMutex|RawMutex|PyMutex|Condvar|Semaphore|Spin[Ll]ock|Once)\b/;
/** A file that faces Python: it names PyO3, its FFI crate, CPython's object type or a PyO3 attribute. */
const pythonFacing = /\bpyo3(?:_ffi)?\b|\bPyObject\b|#\[py(?:class|methods|function|module)\b/;
/** `cfg(not(Py_GIL_DISABLED))`, also inside `all(…)` or as `not(any(…, Py_GIL_DISABLED))`: compiled for the GIL build only. */
const gilOnlyCfg = /\bnot\s*\(\s*(?:any\s*\([^)]*)?Py_GIL_DISABLED\b/;
const cfgScoped = new Set(['struct_item', 'enum_item', 'field_declaration', 'function_item', 'impl_item', 'mod_item', 'static_item']);

/** `true` when the node, or an item around it, is compiled only without `Py_GIL_DISABLED`. */
function gilBuildOnly(node: Node): boolean {
  for (let p: Node | null = node; p !== null; p = p.parent) {
    if (cfgScoped.has(p.type) && attributesOf(p).some((a) => a.name === 'cfg' && gilOnlyCfg.test(a.args))) return true;
  }
  return false;
}

function cellTypeOf(type: Node | null): { type: RustCellType; inner: string } | undefined {
  const base = baseTypeName(type);
  if (base !== 'UnsafeCell' && base !== 'SyncUnsafeCell' && base !== 'Cell' && base !== 'RefCell') return undefined;
  const inner = type?.childForFieldName('type_arguments')?.namedChildren.find((c) => c !== null && c.type !== 'lifetime')?.text ?? '';
  return { type: base, inner };
}

/** The fields of a struct with their names (`0`, `1`, … in a tuple struct) and types. */
function fieldsOf(struct: Node): Array<{ name: string; nameNode: Node; type: Node | null; decl: Node }> {
  const body = struct.childForFieldName('body');
  if (body === null) return [];
  if (body.type === 'field_declaration_list') {
    return body.namedChildren.flatMap((f) => {
      const name = f?.type === 'field_declaration' ? f.childForFieldName('name') : null;
      return f === null || name === null ? [] : [{ name: name.text, nameNode: name, type: f.childForFieldName('type'), decl: f }];
    });
  }
  const types = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'visibility_modifier' && c.type !== 'attribute_item' && !c.type.endsWith('comment'));
  return types.map((t, i) => ({ name: String(i), nameNode: t, type: t, decl: t }));
}

/** `&mut self` (or `self: &mut Self`): the method holds the only reference, so its cell uses cannot race. */
function exclusiveSelf(fn: Node): boolean {
  const first = fn.childForFieldName('parameters')?.namedChildren.find((c) => c?.type === 'self_parameter' || c?.type === 'parameter');
  if (first?.type === 'self_parameter') return first.namedChildren.some((c) => c?.type === 'mutable_specifier');
  return first?.type === 'parameter' && first.childForFieldName('pattern')?.text === 'self' && /^&\s*(?:'\w+\s+)?mut\b/.test(first.childForFieldName('type')?.text ?? '');
}

/**
 * The unsynchronised cells of a Python-facing file and the functions that use them through a
 * shared reference. Skipped: cells in items compiled only for the GIL build, `UnsafeCell`s beside a
 * lock or atomic field in the same struct (a hand-made lock), uses in `&mut self` methods and
 * `Drop::drop` (exclusive access), in module init, and outside functions. A field is matched by name
 * (`x.inner.get()`); a name that some struct of the file also gives a field of another type, and a
 * tuple-struct field (`self.0`), count only on `self` inside an `impl` of the owner.
 */
function analyzeCells(root: Node, text: string): { cells: RustCell[]; cellAccesses: RustCellAccess[] } {
  const none = { cells: [], cellAccesses: [] };
  if (!/\b(?:Sync)?(?:Unsafe|Ref)?Cell\b/.test(text) || !pythonFacing.test(text)) return none;
  const structs: Node[] = [];
  const syncTypes = new Set<string>();
  const cells: RustCell[] = [];
  const otherFieldNames = new Set<string>();
  walk(root, (n) => {
    if (n.type === 'struct_item') structs.push(n);
    else if (n.type === 'impl_item' && n.child(0)?.type === 'unsafe' && baseTypeName(n.childForFieldName('trait')) === 'Sync') syncTypes.add(baseTypeName(n.childForFieldName('type')));
    else if (n.type === 'static_item' && !gilBuildOnly(n)) {
      const cell = cellTypeOf(n.childForFieldName('type'));
      const name = n.childForFieldName('name');
      if (cell !== undefined && name !== null) cells.push({ owner: '', name: name.text, ...cell, pyclass: false, at: name.startIndex, end: name.endIndex });
    }
    return n.type !== 'function_item' || undefined;
  });
  for (const struct of structs) {
    const owner = struct.childForFieldName('name')?.text ?? '';
    const fields = fieldsOf(struct);
    const pyclass = attributesOf(struct).find((a) => a.name === 'pyclass');
    if (gilBuildOnly(struct) || (pyclass !== undefined && words(pyclass.args).has('unsendable'))) {
      for (const f of fields) otherFieldNames.add(f.name);
      continue;
    }
    const selfLocking = fields.some((f) => lockField.test(f.type?.text ?? ''));
    for (const f of fields) {
      const cell = cellTypeOf(f.type);
      const counts = cell !== undefined && !gilBuildOnly(f.decl) && (unsafeCells.has(cell.type) ? !selfLocking : syncTypes.has(owner));
      if (cell === undefined || !counts) {
        otherFieldNames.add(f.name);
        continue;
      }
      cells.push({ owner, name: f.name, ...cell, pyclass: pyclass !== undefined, at: f.nameNode.startIndex, end: f.nameNode.endIndex });
    }
  }
  if (cells.length === 0) return none;
  const statics = new Map(cells.filter((c) => c.owner === '').map((c) => [c.name, c]));
  const byField = new Map<string, RustCell[]>();
  for (const c of cells) if (c.owner !== '') byField.set(c.name, [...(byField.get(c.name) ?? []), c]);
  const factsOf = memoizedFunctionFacts();
  const reachOf = callerReach(root, factsOf);
  const cellAccesses: RustCellAccess[] = [];
  const seen = new Set<string>();
  walk(root, (n): undefined => {
    if (n.type !== 'call_expression') return;
    const callee = n.childForFieldName('function');
    const receiver = callee?.type === 'field_expression' ? callee.childForFieldName('value') : null;
    if (callee === null || receiver === null || receiver === undefined) return;
    let cell: RustCell | undefined;
    const fn = enclosing(n, 'function_item');
    if (receiver.type === 'identifier' || receiver.type === 'scoped_identifier') {
      cell = statics.get(receiver.type === 'identifier' ? receiver.text : (receiver.childForFieldName('name')?.text ?? ''));
    } else if (receiver.type === 'field_expression') {
      const field = receiver.childForFieldName('field')?.text ?? '';
      const candidates = byField.get(field) ?? [];
      const implType = fn === undefined ? '' : baseTypeName(enclosing(fn, 'impl_item')?.childForFieldName('type') ?? null);
      const onSelf = receiver.childForFieldName('value')?.text === 'self';
      const own = onSelf ? candidates.find((c) => c.owner === implType) : undefined;
      cell = own ?? (otherFieldNames.has(field) || /^\d+$/.test(field) ? undefined : candidates[0]);
    }
    if (cell === undefined || fn === undefined) return;
    const method = callee.childForFieldName('field')?.text ?? '';
    if (!cellMethods[cell.type].has(method)) return;
    if (method === 'get' && (n.childForFieldName('arguments')?.namedChildCount ?? 0) > 0) return;
    const impl = enclosing(fn, 'impl_item');
    if (exclusiveSelf(fn) || baseTypeName(impl?.childForFieldName('trait') ?? null) === 'Drop' || gilBuildOnly(n)) return;
    const { reach, via } = reachOf(fn);
    if (reach === 'init' || insideOnce(n, fn)) return;
    const key = `${cell.owner}.${cell.name}@${fn.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    cellAccesses.push({ cell, at: receiver.startIndex, end: callee.endIndex, function: factsOf(fn).name, reach, ...(via === undefined ? {} : { via }) });
    return;
  });
  const used = new Set(cellAccesses.map((a) => a.cell));
  return { cells: cells.filter((c) => used.has(c)).sort((a, b) => a.at - b.at), cellAccesses: cellAccesses.sort((a, b) => a.at - b.at) };
}

let cachedText: string | undefined;
let cachedResult: RustSharedState | undefined;

/**
 * The shared-state facts of one Rust file (cached for the last text, so the rules that read it
 * share one run).
 *
 * Worked example: `static CACHE: GILOnceCell<Py<PyModule>>` and `CACHE.get_or_init(py, …)` in a
 * `#[pyfunction]` give one static (`gil-once-cell`) and one access (`init`, reach `entry`); a
 * `#[pymethods]` impl of a non-frozen class with `fn set_x(&mut self, v: i32) { self.x = v }` and
 * `fn x(&self) -> i32 { self.x }` gives one mutable method (`set_x`, fields `x`) and one shared
 * read (`x` reads `x`, written by `set_x`).
 */
export function analyzeRustSharedState(root: Node, text: string): RustSharedState {
  if (cachedText === text && cachedResult !== undefined) return cachedResult;
  const statics: RustStatic[] = [];
  const mentions: RustCellMention[] = [];
  const classDecls = new Map<string, RustPyclass>();
  const setFields = new Map<string, Set<string>>();
  const impls: Node[] = [];
  const mentionLines = new Set<number>();
  walk(root, (n) => {
    switch (n.type) {
      case 'static_item': {
        const name = n.childForFieldName('name');
        if (name === null) return;
        // A `static mut` in an `extern` block is CPython's own object (`PyBytes_Type`): taking its
        // address with `addr_of_mut!` writes nothing.
        const mutable = n.namedChildren.some((c) => c?.type === 'mutable_specifier') && enclosing(n, 'foreign_mod_item') === undefined;
        const base = baseTypeName(n.childForFieldName('type'));
        const kind: RustStaticKind | undefined = mutable ? 'static-mut' : base === 'GILOnceCell' ? 'gil-once-cell' : base === 'GILProtected' ? 'gil-protected' : undefined;
        if (kind !== undefined) statics.push({ name: name.text, kind, at: name.startIndex, end: name.endIndex });
        // The declaration's own type and initialiser are not separate mentions.
        if (kind !== undefined && kind !== 'static-mut') return false;
        return;
      }
      case 'struct_item':
      case 'enum_item': {
        const attrs = attributesOf(n);
        const pyclass = attrs.find((a) => a.name === 'pyclass');
        if (pyclass === undefined) return;
        const name = n.childForFieldName('name');
        if (name === null) return;
        const w = words(pyclass.args);
        classDecls.set(name.text, { name: name.text, at: name.startIndex, end: name.endIndex, frozen: w.has('frozen'), unsendable: w.has('unsendable'), mutMethods: [] });
        const fields = new Set<string>();
        for (const field of n.childForFieldName('body')?.namedChildren ?? []) {
          if (field?.type !== 'field_declaration') continue;
          if (attributesOf(field).some((a) => a.name === 'pyo3' && words(a.args).has('set'))) fields.add(field.childForFieldName('name')?.text ?? '');
        }
        if (w.has('set_all')) for (const field of n.childForFieldName('body')?.namedChildren ?? []) if (field?.type === 'field_declaration') fields.add(field.childForFieldName('name')?.text ?? '');
        if (fields.size > 0) setFields.set(name.text, fields);
        return;
      }
      case 'impl_item':
        if (attributesOf(n).some((a) => a.name === 'pymethods')) impls.push(n);
        return;
      case 'type_identifier':
      case 'identifier': {
        if (!cellTypes.has(n.text)) return;
        const line = n.startPosition.row;
        if (mentionLines.has(line)) return;
        mentionLines.add(line);
        mentions.push({ type: n.text as RustCellMention['type'], where: mentionWhere(n), at: n.startIndex, end: n.endIndex, function: '' });
        return;
      }
      default:
        return;
    }
  });
  const accesses = analyzeStatics(root, statics, mentions);
  const classes = analyzeClasses(classDecls, setFields, impls);
  const result: RustSharedState = { statics, accesses, mentions, ...classes, ...analyzeCells(root, text) };
  cachedText = text;
  cachedResult = result;
  return result;
}
