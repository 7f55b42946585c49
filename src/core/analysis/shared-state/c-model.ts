import { splitTopLevelSegments } from '../../parsing/c-segments.js';
import { blankText } from './blank-text.js';
import { directiveLines } from './directive-lines.js';
import { gilOnlyRanges, inRanges, type Range } from './gil-ranges.js';

/**
 * A text model of one C or C++ file for the shared-state analysis: its functions and what they
 * call, its shared variables, which functions Python can run (entry points) and which run only
 * during module init. Built from the project's segment splitter and linear scans over the text
 * with comments and strings blanked; no syntax tree, so the cost is a few regex passes per file
 * and the result does not depend on which segments the engine parsed.
 */

export type FunctionInfo = {
  name: string;
  /** Offsets of the whole definition, and of the `{` opening its body. */
  start: number;
  bodyStart: number;
  end: number;
  /** `static` functions cannot be called from other files. */
  isStatic: boolean;
  params: string[];
  /** This file's functions called in the body, or used as values (a callback handed on); read on first use. */
  readonly callees: Set<string>;
  /** Function-scope `static` variables. */
  staticLocals: Map<string, SharedVariable>;
  /** Every local and parameter name, so a local that shadows a global is not taken for it (read on first use). */
  readonly locals: Set<string>;
};

export type SharedVariable = {
  name: string;
  /** Offset of the name in its declaration. */
  at: number;
  /** `field`: an attribute of the object a method runs on (Cython `cdef class` C state). */
  kind: 'global' | 'static-global' | 'static-local' | 'static-member' | 'field';
};

export type EntryReason = {
  /** The entry point that reaches the function (itself, or a caller). */
  entry: string;
  /** How Python reaches that entry point: "method table `Foo_methods`", "slot `tp_iternext`". */
  via: string;
};

/** A region of code (a lambda in `.def(...)`) that Python runs but that has no function name. */
export type LambdaEntry = { start: number; end: number; name: string; via: string };

export type CFileModel = {
  text: string;
  clean: string;
  functions: FunctionInfo[];
  byName: Map<string, FunctionInfo>;
  shared: Map<string, SharedVariable>;
  /** Functions Python can run, with the entry point that reaches each. */
  reached: Map<string, EntryReason>;
  /** Functions run only by module init (`PyInit_*`, `Py_mod_exec`, `PYBIND11_MODULE` bodies). */
  initOnly: Set<string>;
  lambdas: LambdaEntry[];
  /** Code compiled only with the GIL (`#ifndef Py_GIL_DISABLED` arms). */
  gilOnly: Range[];
  /** Names in Python tables (methods, slots) that this file does not define: functions of other files. */
  externalEntries: Set<string>;
  /** Project macros whose definition opens or closes a lock (`#define LOCK() PyMutex_Lock(&m)`). */
  lockMacros: { open: Set<string>; close: Set<string> };
};

// Types whose variables are not shared mutable state: CPython definition tables, lock objects.
const excludedTypes =
  /\b(PyTypeObject|PyMethodDef|PyMemberDef|PyGetSetDef|PyType_Spec|PyType_Slot|PyModuleDef|PyModuleDef_Slot|PyNumberMethods|PySequenceMethods|PyMappingMethods|PyBufferProcs|PyAsyncMethods|PyStructSequence_Desc|PyStructSequence_Field|PyMutex|PyThread_type_lock|PyOnceFlag|_PyOnceFlag|pthread_mutex_t|pthread_once_t|pthread_rwlock_t|pthread_key_t|CRITICAL_SECTION|SRWLOCK|INIT_ONCE|mutex|recursive_mutex|shared_mutex|once_flag|SDL_mutex|SDL_Mutex|Py_tss_t|PyArg_Parser|_PyArg_Parser)\b/;
// A project's thread-local macro is often defined in a generated or shared header this file does
// not show (scipy's `SCIPY_TLS` in its config header): an upper-case name ending in `_TLS` or
// `_THREAD_LOCAL` is read as one.
const excludedQualifiers =
  /\b(typedef|extern|const|constexpr|constinit|_Thread_local|thread_local|__thread|_Atomic|atomic|atomic_\w+|Py_THREAD_LOCAL|_Py_thread_local|[A-Z][A-Z0-9]*_(?:TLS|THREAD_LOCAL)|using|friend|return|goto)\b|__declspec\s*\(\s*thread\s*\)|std::atomic|\boperator\b/;
const lockOpenApi =
  /\b(\w*BEGIN_CRITICAL_SECTION\w*|PyMutex_Lock|PyThread_acquire_lock(?:_timed)?|PyCriticalSection2?_Begin(?:Mutex)?|pthread_mutex_lock|pthread_rwlock_wrlock|EnterCriticalSection|AcquireSRWLockExclusive)\b/;
const lockCloseApi =
  /\b(\w*END_CRITICAL_SECTION\w*|PyMutex_Unlock|PyThread_release_lock|PyCriticalSection2?_End|pthread_mutex_unlock|pthread_rwlock_unlock|LeaveCriticalSection|ReleaseSRWLockExclusive)\b/;
const threadLocalWord = /\b(_Thread_local|thread_local|__thread|Py_THREAD_LOCAL|_Py_thread_local)\b|__declspec\s*\(\s*thread\s*\)/;
// Lifecycle slots and tables: Python reaches them, but for an object only before it is shared
// or after it no longer can be.
const initSlot = /^(Py_mod_exec|m_init)$/;

const keywords = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case', 'goto', 'break', 'continue', 'defined',
  'static', 'const', 'struct', 'union', 'enum', 'unsigned', 'signed', 'int', 'char', 'long', 'short', 'void', 'double',
  'float', 'typedef', 'extern', 'inline', 'volatile', 'register', 'auto', 'new', 'delete', 'NULL', 'true', 'false',
  'nullptr', 'this', 'template', 'typename', 'class', 'namespace', 'public', 'private', 'protected', 'virtual',
  'override', 'noexcept', 'decltype', 'alignof', '_Alignof', 'offsetof', 'bool', 'size_t',
]);

let cached: CFileModel | undefined;
let cleanCache: { text: string; clean: string } | undefined;

/**
 * `text` with comments and literals blanked (`blankText`), kept for the last text: the gate of the
 * field-write analysis reads it before the model, which then reuses it.
 */
export function cleanCode(text: string): string {
  if (cleanCache?.text !== text) cleanCache = { text, clean: blankText(text) };
  return cleanCache.clean;
}

/**
 * The model of `text`, built once per text: the shared-state rules all ask for it with the same
 * string during one file's scan.
 */
export function cFileModel(text: string): CFileModel {
  if (cached?.text === text) return cached;
  cached = buildModel(text);
  return cached;
}

/**
 * Steps:
 * 1. Blank comments and strings; split into top-level segments.
 * 2. Read `#define`s: thread-local macros and lock macros; the `Py_GIL_DISABLED` arms.
 * 3. Classify segments: function definitions (name, parameters, body), variable declarations,
 *    and initialisers (tables); collect shared variables, function-local statics included.
 * 4. Entry points: functions named in tables and slots, registered as callbacks, `.def(...)`.
 * 5. Reachability over the call graph from the entry points, and from the init roots.
 */
function buildModel(text: string): CFileModel {
  // 1.
  const clean = cleanCode(text);
  const split = splitTopLevelSegments(text);
  // 2.
  const threadLocalMacros = new Set<string>();
  const lockMacros = { open: new Set<string>(), close: new Set<string>() };
  for (const { match: m } of directiveLines(clean, /#[ \t]*define[ \t]+(\w+)((?:[^\n\\]|\\[\s\S])*)/y)) {
    const name = m[1] ?? '';
    const body = m[2] ?? '';
    if (threadLocalWord.test(body)) threadLocalMacros.add(name);
    if (lockOpenApi.test(body) || /\block\s*\(\s*\)|Lock\w*\s*\(/.test(body)) {
      if (!/[Uu]nlock|release|END_/.test(body)) lockMacros.open.add(name);
    }
    if (lockCloseApi.test(body) || /[Uu]nlock\w*\s*\(/.test(body)) lockMacros.close.add(name);
  }
  const gilOnly = gilOnlyRanges(clean);

  // 3.
  const functions: FunctionInfo[] = [];
  // Filled once every function is known; a function reads its callees against it on first use.
  const names = new FunctionNames(clean);
  const shared = new Map<string, SharedVariable>();
  const initialisers: Array<{ start: number; end: number; header: string }> = [];
  const isExcludedDecl = (declText: string): boolean => {
    if (excludedQualifiers.test(declText)) return true;
    // A definition table or a lock is not shared mutable state; a pointer to one is
    // (`static PyTypeObject *cached_type;` filled on first use).
    const type = excludedTypes.exec(declText);
    if (type !== null && !/^\s*\*/.test(declText.slice(type.index + type[0].length))) return true;
    for (const word of declText.matchAll(/\w+/g)) if (threadLocalMacros.has(word[0])) return true;
    return false;
  };
  for (const seg of split.segments) {
    const body = clean.slice(seg.start, seg.end);
    const brace = body.indexOf('{');
    const header = brace < 0 ? body : body.slice(0, brace);
    if (inRanges(gilOnly, seg.start)) continue;
    if (/^\s*#/.test(body)) continue;
    if (brace >= 0 && body.trimEnd().endsWith('}') && isFunctionHeader(header)) {
      const fn = readFunction(clean, seg.start, seg.start + brace, seg.end, header, names);
      if (fn === undefined) continue;
      for (const [name, v] of readStaticLocals(clean, fn, isExcludedDecl)) fn.staticLocals.set(name, v);
      functions.push(fn);
      continue;
    }
    if (brace >= 0 && /=\s*$/.test(header)) initialisers.push({ start: seg.start, end: seg.end, header });
    if (brace >= 0 && /^\s*(typedef|struct|union|enum|class|namespace|template)\b/.test(header)) continue;
    if (!body.trimEnd().endsWith(';') || isExcludedDecl(header)) continue;
    // `static struct { int n; } arena;` declares after the closing brace.
    const bodyEnd = brace >= 0 && !/=\s*$/.test(header) ? matchBrace(clean, seg.start + brace) : -1;
    const declared = bodyEnd > 0 ? readDeclarators(clean, bodyEnd, seg.end, /^\s*static\b/.test(header) ? 'static' : 'global') : readDeclarators(clean, seg.start, brace >= 0 ? seg.start + brace : seg.end);
    for (const v of declared) {
      if (!inRanges(gilOnly, v.at)) shared.set(v.name, v);
    }
  }
  const byName = names.byName;
  for (const fn of functions) if (!byName.has(fn.name)) byName.set(fn.name, fn);

  // 4.
  const entries = new Map<string, EntryReason>();
  const externalEntries = new Set<string>();
  const initRoots = new Set<string>();
  const addEntry = (name: string, via: string): void => {
    if (!entries.has(name)) entries.set(name, { entry: name, via });
  };
  for (const fn of functions) {
    // `PyInit_x`, `PyMODINIT_FUNC initx(void)` (Python 2), and project macros such as pygame's
    // `MODINIT_DEFINE(time)` that expand to one.
    const header = clean.slice(fn.start, fn.bodyStart);
    if (/^PyInit_\w+$|MODINIT|^(PYBIND11_MODULE|NB_MODULE|BOOST_PYTHON_MODULE)$/.test(fn.name) || /\bPyMODINIT_FUNC\b/.test(header)) initRoots.add(fn.name);
  }
  for (const init of initialisers) {
    const tableName = /(\w+)\s*(?:\[[^\]]*\]\s*)?=\s*$/.exec(init.header)?.[1] ?? 'table';
    const tableType = /\b(Py\w+|\w+Methods|\w+Procs)\b/.exec(init.header)?.[1] ?? 'table';
    const region = clean.slice(init.start, init.end);
    // `{Py_mod_exec, exec_fn}` and `.tp_iternext = fn` name the slot; other tables name the row.
    for (const m of region.matchAll(/\{\s*(Py_\w+|m_\w+)\s*,\s*(?:\([^()]*\)\s*)?&?\s*(\w+)\s*\}|\.\s*(\w+)\s*=\s*(?:\([^()]*\)\s*)?&?\s*(\w+)/g)) {
      const slot = m[1] ?? m[3] ?? '';
      const name = m[2] ?? m[4] ?? '';
      if (!byName.has(name)) continue;
      if (initSlot.test(slot)) initRoots.add(name);
      else addEntry(name, `slot \`${slot}\` of \`${tableName}\``);
    }
    if (tableType === 'PyTypeObject') {
      for (const [name, slot] of positionalTypeSlots(region)) if (byName.has(name)) addEntry(name, `slot \`${slot}\` of \`${tableName}\``);
    }
    const pythonTable = /^Py\w+|Methods$|Procs$/.test(tableType);
    for (const m of region.matchAll(/\b([A-Za-z_]\w*)\b(?!\s*[(=])/g)) {
      const name = m[1] ?? '';
      if (byName.has(name) && !initRoots.has(name)) addEntry(name, `the \`${tableType}\` table \`${tableName}\``);
      // A function another file defines (a unity build's included parts, a shared helpers file).
      else if (pythonTable && !byName.has(name) && /[a-z]/.test(name) && !keywords.has(name) && externalEntries.size < 5000) externalEntries.add(name);
    }
  }
  const lambdas: LambdaEntry[] = [];
  for (const fn of functions) {
    const fnBody = clean.slice(fn.bodyStart, fn.end);
    // pybind11 / nanobind: `.def("name", &fn)`, `.def("name", [](T &self) { … })`, `def_prop_rw`.
    for (const m of fnBody.includes('def') ? fnBody.matchAll(/\.\s*(def\w*)\s*\(/g) : []) {
      const open = fn.bodyStart + m.index + m[0].length - 1;
      const close = matchParen(clean, open);
      if (close < 0) continue;
      const label = /^\s*"([^"]*)"/.exec(text.slice(open + 1, close))?.[1] ?? '';
      const via = `\`.${m[1] ?? 'def'}("${label}")\``;
      for (const ref of clean.slice(open, close).matchAll(/&\s*(?:\w+::)*(\w+)|,\s*(\w+)\s*(?=[,)])/g)) {
        const name = ref[1] ?? ref[2] ?? '';
        if (byName.has(name)) addEntry(name, via);
      }
      for (const lam of clean.slice(open, close).matchAll(/\[[^\]]*\]\s*\([^)]*\)[^{;]*\{/g)) {
        const lamStart = open + lam.index + lam[0].length - 1;
        const lamEnd = matchBrace(clean, lamStart);
        if (lamEnd > 0) lambdas.push({ start: lamStart, end: lamEnd, name: `lambda in .${m[1] ?? 'def'}("${label}")`, via });
      }
    }
    // A function named as a value in init code is registered there (`PyCapsule_New(fn, …)`,
    // `Py_AtExit(fn)`); in other code it is a callback the caller hands on.
    if (initRoots.has(fn.name)) {
      for (const callee of fn.callees) {
        const target = byName.get(callee);
        if (target !== undefined && target !== fn && isValueUse(clean, fn, callee)) {
          addEntry(callee, `a callback registered in \`${fn.name}\``);
        }
      }
    }
  }
  for (const lam of lambdas) {
    for (const m of clean.slice(lam.start, lam.end).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      const name = m[1] ?? '';
      if (byName.has(name)) addEntry(name, lam.via);
    }
  }

  // Callbacks run through a once-flag (`pthread_once(&flag, init_tables)`) run once, under the
  // runtime's lock: init-only, whoever calls the once function. Every such name has `_once` or
  // `Once` in it: a file with neither is not searched.
  const mentionsOnce = clean.includes('_once') || clean.includes('Once');
  for (const m of mentionsOnce ? clean.matchAll(/\b(?:pthread_once|call_once|InitOnceExecuteOnce|PyUnstable_Once\w*|_PyOnceFlag_CallOnce)\s*\(/g) : []) {
    const close = matchParen(clean, m.index + m[0].length - 1);
    if (close < 0) continue;
    for (const arg of clean.slice(m.index + m[0].length, close).matchAll(/\b\w+\b/g)) {
      if (byName.has(arg[0])) initRoots.add(arg[0]);
    }
  }

  // 5.
  const reached = new Map<string, EntryReason>();
  const queue: string[] = [];
  for (const [name, reason] of entries) {
    if (initRoots.has(name)) continue;
    reached.set(name, reason);
    queue.push(name);
  }
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    const reason = reached.get(name);
    const fn = byName.get(name);
    if (fn === undefined || reason === undefined) continue;
    for (const callee of fn.callees) {
      if (!byName.has(callee) || reached.has(callee) || initRoots.has(callee)) continue;
      reached.set(callee, reason);
      queue.push(callee);
    }
  }
  const initOnly = new Set<string>();
  const initQueue = [...initRoots];
  for (const name of initQueue) initOnly.add(name);
  while (initQueue.length > 0) {
    const fn = byName.get(initQueue.shift() ?? '');
    if (fn === undefined) continue;
    for (const callee of fn.callees) {
      if (!byName.has(callee) || initOnly.has(callee) || reached.has(callee)) continue;
      initOnly.add(callee);
      initQueue.push(callee);
    }
  }
  return { text, clean, functions, byName, shared, reached, initOnly, lambdas, gilOnly, lockMacros, externalEntries };
}

/** True when `name` appears in `fn`'s body other than as a call (`Py_AtExit(cleanup)`). */
function isValueUse(clean: string, fn: FunctionInfo, name: string): boolean {
  const body = clean.slice(fn.bodyStart, fn.end);
  for (let i = body.indexOf(name); i >= 0; i = body.indexOf(name, i + name.length)) {
    const before = body[i - 1] ?? ' ';
    const after = body.slice(i + name.length).trimStart()[0] ?? '';
    if (/\w/.test(before) || /\w/.test(body[i + name.length] ?? '')) continue;
    if (after !== '(') return true;
  }
  return false;
}

/** A function definition's header has a parameter list and no `=` outside parentheses. */
function isFunctionHeader(header: string): boolean {
  if (!header.includes('(')) return false;
  if (/^\s*(typedef|struct|union|enum|class|namespace|extern\s*"C"|template\s*<[^>]*>\s*(struct|class))\b/.test(header)) return false;
  // Most headers have no `=` at all: only those are walked.
  if (!header.includes('=')) return true;
  let depth = 0;
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 61 && depth === 0) return false;
  }
  return true;
}

/** Reads a function definition: the name is the identifier before the last top-level `(…)`. */
function readFunction(clean: string, start: number, bodyStart: number, end: number, header: string, names: FunctionNames): FunctionInfo | undefined {
  // Worked example: `Py_LOCAL_INLINE(int) foo(int a, char *b) const` → groups `(int)`, `(int a, …)`
  // → name `foo`, parameters `a`, `b`.
  // Only the parentheses matter: the walk jumps from one to the next.
  let depth = 0;
  let groupStart = -1;
  let lastGroup: [number, number] | undefined;
  let nextOpen = header.indexOf('(');
  let nextClose = header.indexOf(')');
  while (nextOpen >= 0 || nextClose >= 0) {
    if (nextClose < 0 || (nextOpen >= 0 && nextOpen < nextClose)) {
      if (depth === 0) groupStart = nextOpen;
      depth++;
      nextOpen = header.indexOf('(', nextOpen + 1);
    } else {
      const i = nextClose;
      depth--;
      if (depth === 0 && groupStart >= 0 && isWordOrTildeBefore(header, groupStart)) lastGroup = [groupStart, i];
      nextClose = header.indexOf(')', i + 1);
    }
  }
  if (lastGroup === undefined) return undefined;
  const before = header.slice(0, lastGroup[0]).trimEnd();
  const name = trailingWord(before);
  if (name === undefined || keywords.has(name)) return undefined;
  const params: string[] = [];
  for (const p of splitTopLevel(header.slice(lastGroup[0] + 1, lastGroup[1]), ',')) {
    const id = trailingWord(withoutArraySuffixes(p.replace(/=.*$/s, '').trim()));
    if (id !== undefined && !keywords.has(id)) params.push(id);
  }
  const isStatic = /\bstatic\b/.test(before) || /::/.test(before) === false && /\binline\b/.test(before);
  return new CFunction(clean, name, start, bodyStart, end, isStatic, params, names);
}

/**
 * A function of the model. A class, not an object literal with a getter: V8 builds such a literal
 * through the runtime, about ten times the cost of a class instance, once per function of every file.
 */
class CFunction implements FunctionInfo {
  readonly name: string;
  readonly start: number;
  readonly bodyStart: number;
  readonly end: number;
  readonly isStatic: boolean;
  readonly params: string[];
  readonly staticLocals = new Map<string, SharedVariable>();
  readonly #clean: string;
  readonly #names: FunctionNames;
  #locals: Set<string> | undefined;
  #callees: Set<string> | undefined;

  constructor(clean: string, name: string, start: number, bodyStart: number, end: number, isStatic: boolean, params: string[], names: FunctionNames) {
    this.#clean = clean;
    this.#names = names;
    this.name = name;
    this.start = start;
    this.bodyStart = bodyStart;
    this.end = end;
    this.isStatic = isStatic;
    this.params = params;
  }

  // Only the access scans ask for locals, and not for every function: read them on first use.
  get locals(): Set<string> {
    return (this.#locals ??= readLocals(this.#clean, this));
  }

  // The reachability walks ask only for the functions they reach; the field-write analysis alone
  // never reaches most functions a file defines for other files.
  get callees(): Set<string> {
    return (this.#callees ??= this.#names.calleesOf(this));
  }
}

// The (length, first character) pairs of one file's function names: one table for every file (a
// typed array's memory lives outside the heap and is given back late), filled for the file whose
// callees were read last (`shapesOwner`, its map of names).
const shapes = new Uint8Array(64 * 128);
let shapesOwner: Map<string, FunctionInfo> | undefined;
const shapeOf = (length: number, first: number): number => Math.min(length, 63) * 128 + first;

/** A file's functions by name (the first definition of each), which each function's callees are read against. */
export class FunctionNames {
  readonly byName = new Map<string, FunctionInfo>();
  readonly #clean: string;

  constructor(clean: string) {
    this.#clean = clean;
  }

  /**
   * The names of the file's functions that `fn`'s body uses (calls, or values handed on), other
   * than its own, in order of first use. A name is sliced out of the text only when a function
   * name has its length and first character, which most names have not. Asked only once every
   * function of the file is in `byName`.
   */
  calleesOf(fn: FunctionInfo): Set<string> {
    const clean = this.#clean;
    const { byName } = this;
    if (shapesOwner !== byName) {
      shapes.fill(0);
      for (const name of byName.keys()) shapes[shapeOf(name.length, name.charCodeAt(0))] = 1;
      shapesOwner = byName;
    }
    const callees = new Set<string>();
    forEachName(clean, fn.bodyStart, fn.end, false, (at, nameEnd) => {
      // Names start with an ASCII letter or `_`, so the first character is below 128.
      if (shapes[shapeOf(nameEnd - at, clean.charCodeAt(at))] === 0) return;
      const id = clean.slice(at, nameEnd);
      if (id !== fn.name && byName.has(id)) callees.add(id);
    });
    return callees;
  }
}

/** The parameters and local variables of `fn`, without its function-local statics. */
function readLocals(clean: string, fn: FunctionInfo): Set<string> {
  const locals = new Set(fn.params);
  const body = clean.slice(fn.bodyStart, fn.end);
  // Locals: `T name`, `T *name`, `T name[…]` at a statement start, with `=` `;` `,` or `[` after.
  for (const m of body.matchAll(/(?:^|[;{}(])\s*(?:(?:const|volatile|unsigned|signed|struct|enum|union|register|auto)\s+)*([A-Za-z_][\w:<>]*)(?:\s+|\s*\*+\s*|\s*&\s*)(?:const\s+)?(\w+)\s*(?=[=;,[)])/g)) {
    const id = m[2] ?? '';
    // `Py_BEGIN_ALLOW_THREADS x = 1;`: a statement macro without a semicolon, not a type.
    if (/(BEGIN|END)_\w+|_THREADS$|^(return|else|case|goto|delete)$/.test(m[1] ?? '')) continue;
    if (!keywords.has(id) && !/^(return|static)$/.test(id)) locals.add(id);
  }
  for (const name of fn.staticLocals.keys()) locals.delete(name);
  return locals;
}

/** `static` declarations inside a function body, except excluded kinds. */
function readStaticLocals(clean: string, fn: FunctionInfo, excluded: (decl: string) => boolean): Map<string, SharedVariable> {
  const out = new Map<string, SharedVariable>();
  const body = clean.slice(fn.bodyStart, fn.end);
  if (!body.includes('static')) return out;
  for (const m of body.matchAll(/(?:^|[;{}])\s*(static\b[^;{}()]*(?:\([^;{}]*\)[^;{}]*)?);/g)) {
    const decl = m[1] ?? '';
    const declStart = fn.bodyStart + m.index + m[0].indexOf(decl);
    if (excluded(decl)) continue;
    for (const v of readDeclarators(clean, declStart, declStart + decl.length)) {
      out.set(v.name, { ...v, kind: 'static-local' });
    }
  }
  return out;
}

/**
 * The variables one declaration declares. Function prototypes and function pointers are skipped.
 *
 * Worked examples:
 *   `static PyObject *cache = NULL;`      → cache (static-global)
 *   `int promotion_state, other = 3;`     → promotion_state, other (global)
 *   `std::vector<int> Registry::items;`   → items (static-member)
 *   `static int helper(void);`            → (none)
 */
function readDeclarators(clean: string, start: number, end: number, typed?: 'static' | 'global'): SharedVariable[] {
  const decl = clean.slice(start, end);
  const isStatic = typed === 'static' || /^\s*static\b/.test(decl) || /\bstatic\b/.test(decl.split('=')[0] ?? '');
  const out: SharedVariable[] = [];
  let offset = 0;
  for (const part of splitTopLevel(decl.replace(/;\s*$/, ''), ',')) {
    const partStart = decl.indexOf(part, offset);
    offset = partStart + part.length;
    const lhs = splitTopLevel(part, '=')[0] ?? part;
    if (lhs.includes('(')) continue;
    const m = /([A-Za-z_][\w]*(?:::\w+)*)\s*(?:\[[^\]]*\]\s*)*$/.exec(lhs.trimEnd());
    if (m === null) continue;
    const full = m[1] ?? '';
    // The first declarator needs a type before it; later ones (`int a, b`) borrow it.
    if (out.length === 0 && typed === undefined && !/[\w*&>]\s*$/.test(lhs.slice(0, m.index))) continue;
    const name = full.slice(full.lastIndexOf(':') + 1);
    if (keywords.has(name)) continue;
    const kind = full.includes('::') ? 'static-member' : isStatic ? 'static-global' : 'global';
    out.push({ name, at: start + partStart + lhs.lastIndexOf(full.slice(full.lastIndexOf(':') + 1)), kind });
  }
  return out;
}

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/**
 * Calls `visit` with the offsets of each name in `clean[from, to)` that is not a member (after `.`
 * or `->`): the matches of `(?<![\w.>])([A-Za-z_]\w*)` run over that slice, without building a
 * match object per name. With `skipAfterColon`, a name right after a single `:` (a bit-field
 * width, `a ?b:c`) is skipped too and one after `::` kept: `(?<![\w.>]|[^:]:)`.
 *
 * Worked example: in `{ n = o->n + ::g; }` the names are `n` and `g` (`o` is followed by `->`
 * but not preceded by one, so it is a name too).
 */
export function forEachName(clean: string, from: number, to: number, skipAfterColon: boolean, visit: (start: number, end: number) => void): void {
  let i = from;
  while (i < to) {
    const c = clean.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && isWordChar(clean.charCodeAt(j))) j++;
    // A run of word characters starting with a digit is a number (or its suffix): no name in it.
    const prev = i > from ? clean.charCodeAt(i - 1) : -1;
    if (!(c >= 48 && c <= 57) && prev !== 46 && prev !== 62) {
      if (!(skipAfterColon && prev === 58 && i - 1 > from && clean.charCodeAt(i - 2) !== 58)) visit(i, j);
    }
    i = j;
  }
}

/** Splits on `sep` outside parentheses, brackets, braces and angle brackets. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0 && !(sep === '=' && (text[i + 1] === '=' || /[!<>=+\-*/%&|^]/.test(text[i - 1] ?? '')))) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

// The slots of `PyTypeObject` in declaration order, from `tp_name` (CPython 3.8 and later; the
// fifth is `tp_print` before 3.8, which takes no function of the extension's either way).
const typeSlots = [
  'tp_name', 'tp_basicsize', 'tp_itemsize', 'tp_dealloc', 'tp_vectorcall_offset', 'tp_getattr', 'tp_setattr', 'tp_as_async',
  'tp_repr', 'tp_as_number', 'tp_as_sequence', 'tp_as_mapping', 'tp_hash', 'tp_call', 'tp_str', 'tp_getattro', 'tp_setattro',
  'tp_as_buffer', 'tp_flags', 'tp_doc', 'tp_traverse', 'tp_clear', 'tp_richcompare', 'tp_weaklistoffset', 'tp_iter',
  'tp_iternext', 'tp_methods', 'tp_members', 'tp_getset', 'tp_base', 'tp_dict', 'tp_descr_get', 'tp_descr_set',
  'tp_dictoffset', 'tp_init', 'tp_alloc', 'tp_new', 'tp_free', 'tp_is_gc', 'tp_bases', 'tp_mro', 'tp_cache',
  'tp_subclasses', 'tp_weaklist', 'tp_del', 'tp_version_tag', 'tp_finalize', 'tp_vectorcall',
];

/**
 * The function named in each slot of a `PyTypeObject` initialiser written by position, as older
 * extensions do (`PyVarObject_HEAD_INIT(NULL, 0) "m.T", sizeof(T), 0, (destructor)T_dealloc, …`),
 * so that `tp_init` or `tp_dealloc` is known as such without designators. Only a plain list is
 * read: a table with designators or with preprocessor lines in it gives nothing, and so does one
 * whose first slot after the head is not a string (the count would be off).
 *
 * Worked example: `{ PyObject_HEAD_INIT(NULL) 0, "m.T", sizeof(T), 0, T_dealloc }` → `T_dealloc`
 * in `tp_dealloc` (the `0` after the Python 2 head is `ob_size`).
 */
function positionalTypeSlots(region: string): Map<string, string> {
  const out = new Map<string, string>();
  const open = region.indexOf('{');
  const head = /\b(PyVarObject_HEAD_INIT|PyObject_HEAD_INIT)\s*\(/.exec(region);
  if (open < 0 || head === null || head.index < open || /#|\.\s*tp_\w+\s*=/.test(region)) return out;
  const headEnd = matchParen(region, head.index + head[0].length - 1);
  if (headEnd < 0) return out;
  // Items after the head macro, split at top-level commas (only brackets nest; `<<` in flags does not).
  const items: string[] = [];
  let depth = 0;
  let from = headEnd + 1;
  for (let i = from; i < region.length; i++) {
    const c = region[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        items.push(region.slice(from, i));
        break;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      items.push(region.slice(from, i));
      from = i + 1;
    }
  }
  if (/^\s*\d*\s*$/.test(items[0] ?? '')) items.shift();
  if (!(items[0] ?? '').includes('"')) return out;
  items.forEach((item, index) => {
    const slot = typeSlots[index];
    // `&` takes its own blanks: two blank runs side by side (`\s*&?\s*`) retry every split of a
    // long run of blanks (a blanked comment) before failing.
    const name = /^\s*(?:\([^()]*\)\s*)?(?:&\s*)?([A-Za-z_]\w*)\s*$/.exec(item)?.[1];
    if (slot !== undefined && name !== undefined && !out.has(name)) out.set(name, slot);
  });
  return out;
}

/** Offset of the `)` matching the `(` at `open` in blanked text, or -1. */
export function matchParen(clean: string, open: number): number {
  let depth = 0;
  for (let i = open; i < clean.length; i++) {
    const c = clean[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Offset just past the `}` matching the `{` at `open` in blanked text, or -1. */
export function matchBrace(clean: string, open: number): number {
  let depth = 0;
  for (let i = open; i < clean.length; i++) {
    const c = clean[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

export { lockOpenApi, lockCloseApi };

/**
 * `/[\w~]$/.test(text.slice(0, at).trimEnd())` without the slice and the scan of the regex from
 * the start: the last character before `at` that `trimEnd` keeps is a word character or `~`.
 */
export function isWordOrTildeBefore(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isTrimmedSpace(text.charCodeAt(i))) i--;
  if (i < 0) return false;
  const c = text.charCodeAt(i);
  return isWordCode(c) || c === 126;
}

/** The characters `String.prototype.trimEnd` removes: white space and line terminators. */
function isTrimmedSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
}

/** The identifier characters at the end of `text` (`/(\w+)$/` without its retry at every character). */
function trailingWord(text: string): string | undefined {
  let i = text.length;
  while (i > 0 && isWordCode(text.charCodeAt(i - 1))) i--;
  return i === text.length ? undefined : text.slice(i);
}

/** `text` without trailing `[…]` groups and the blanks between them (`buf [N][M]` → `buf`). */
function withoutArraySuffixes(text: string): string {
  let t = text.trimEnd();
  while (t.endsWith(']')) {
    const open = t.lastIndexOf('[');
    if (open < 0) break;
    t = t.slice(0, open).trimEnd();
  }
  return t;
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
