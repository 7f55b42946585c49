import { cFileModel, cleanCode, forEachName, matchBrace, matchParen, splitTopLevel, type CFileModel, type EntryReason, type FunctionInfo, type SharedVariable } from './c-model.js';
import { inRanges } from './gil-ranges.js';
import { noteHandoff, unlockedCallSites, type Handoff } from './field-callers.js';
import { lockTimeline } from './locks.js';

/** What kind of unprotected write a report is, most specific first. */
export type WriteKind = 'freeList' | 'lazyInit' | 'counter' | 'write';

/** A place that matters to a report besides its own line (SARIF `relatedLocations`). */
export type RelatedOffset = { at: number; message: string };

export type SharedWriteReport = {
  kind: WriteKind;
  variable: SharedVariable;
  /** The access path as written: `arena.blocks_cached`, `cache[i]`. */
  path: string;
  function: string;
  at: number;
  end: number;
  reason: EntryReason;
  /** `low` when no entry point in this file reaches the function but other files can call it. */
  confidence: 'medium' | 'low';
  related: RelatedOffset[];
  /** Other variables filled under the same lazy-init check, whose own reports this one stands for. */
  companions?: string[];
};

export type SharedReadReport = { variable: SharedVariable; path: string; function: string; at: number; end: number; writer: string; related: RelatedOffset[] };

export type FieldWriteReport = {
  /** `self->buffer` as written. */
  path: string;
  fields: string[];
  function: string;
  at: number;
  end: number;
  reason: EntryReason;
  related: RelatedOffset[];
  /** Set when the first change hands the object's C state to this function rather than writing it. */
  callee?: string;
};

export type SharedStateAnalysis = { writes: SharedWriteReport[]; reads: SharedReadReport[]; fields: FieldWriteReport[] };

export type Access = { variable: SharedVariable; path: string; at: number; end: number; write: 'write' | 'rmw' | 'address' | 'call' | undefined; fn: string; locked: boolean; region: Region };

/** A function body or a lambda registered with `.def(...)`: code one thread runs. */
export type Region = {
  name: string;
  start: number;
  bodyStart: number;
  end: number;
  fn: FunctionInfo | undefined;
  reason: EntryReason | undefined;
  unknownCaller: boolean;
  /** Every path from an entry point calls this function with a lock held (RacerD's caller lock set). */
  lockedByCallers: boolean;
};

// C++ methods that mutate their object (std containers, smart pointers, common library setters).
const mutatingMethod = /^(push_back|push_front|emplace\w*|insert\w*|erase|clear|pop_back|pop_front|push|pop|resize|reserve|assign|swap|reset|release|append|update|merge|extract|splice|remove\w*|add\w*|set\w*|Set\w*|Add\w*|Remove\w*|Clear|Reset|Insert\w*|Push\w*|Pop\w*|store|exchange|fetch_\w+|try_emplace|put\w*|write\w*)$/;
// Names that say "free list" or "cache": push and pop on them race even when each looks atomic.
const freeListName = /free_?list|freelist|numfree|num_free|_free\b|cache|cached|pool|recycle/i;
// Functions run while an object is created or destroyed, before it is shared or after it can be.
const lifecycleName = /(^|_)(tp_)?(new|init|setup|alloc|dealloc|finalize|traverse|clear|free|del|destroy|create|cinit|ctor|dtor)$/i;
const lifecycleSlot = /`(?:Py_)?(tp_new|tp_init|tp_alloc|tp_dealloc|tp_finalize|tp_traverse|tp_clear|tp_free|tp_del|m_traverse|m_clear|m_free|bf_releasebuffer)`/;
// Entry points whose first parameter is the object the method runs on.
const methodTable = /`(PyMethodDef|PyGetSetDef|PyNumberMethods|PySequenceMethods|PyMappingMethods|PyBufferProcs|PyAsyncMethods|PyType_Slot|PyTypeObject)`|slot `(?:Py_)?(tp|nb|sq|mp|bf|am)_/;

let cachedText: string | undefined;
let cachedResult: SharedStateAnalysis | undefined;

/**
 * The shared-state reports for one C or C++ file, computed once per text.
 *
 * Steps:
 * 1. Build the file model (functions, shared variables, entry points, init-only code).
 * 2. For each function Python can run (and each non-static function other files may call),
 *    find the accesses to shared variables, with their access path and whether a lock is held.
 * 3. Report one unprotected write per variable per function, of its most specific kind; and
 *    reads of variables that some function writes unprotected.
 * 4. For methods, follow the object parameter (and aliases and helpers it is handed to) and
 *    report unprotected field writes, one per function.
 */
export function analyzeCSharedState(text: string): SharedStateAnalysis {
  if (cachedText === text && cachedResult !== undefined) return cachedResult;
  // Each part is computed on first use: the default rules read only `fields` (FT015), which needs
  // no access scan of the shared variables, and no model at all in a file without a method table.
  let accessReports: Pick<SharedStateAnalysis, 'writes' | 'reads'> | undefined;
  let fields: FieldWriteReport[] | undefined;
  const result: SharedStateAnalysis = {
    get writes() {
      // 1.
      return (accessReports ??= sharedStateReports(cFileModel(text))).writes;
    },
    get reads() {
      return (accessReports ??= sharedStateReports(cFileModel(text))).reads;
    },
    get fields() {
      // 4.
      if (fields === undefined) {
        const model = mayWriteObjectFields(text) ? cFileModel(text) : undefined;
        fields = model === undefined ? [] : fieldWrites(model);
      }
      return fields;
    },
  };
  cachedText = text;
  cachedResult = result;
  return result;
}

/** Steps 2 and 3 of `analyzeCSharedState`: the unprotected writes and the racy reads. */
function sharedStateReports(model: CFileModel): Pick<SharedStateAnalysis, 'writes' | 'reads'> {
  const { text: source } = model;
  const result: Pick<SharedStateAnalysis, 'writes' | 'reads'> = { writes: [], reads: [] };
  const regions = regionsOf(model);
  // 2.
  const accesses: Access[] = [];
  if (model.shared.size > 0 || model.functions.some((f) => f.staticLocals.size > 0)) {
    for (const region of regions) accesses.push(...sharedAccesses(model, region));
  }
  // 3.
  const unprotectedWriters = new Map<string, Access[]>();
  for (const a of accesses) {
    if (a.write === undefined || a.locked) continue;
    const list = unprotectedWriters.get(a.variable.name) ?? [];
    list.push(a);
    unprotectedWriters.set(a.variable.name, list);
  }
  const seen = new Set<string>();
  for (const a of accesses) {
    const key = `${a.variable.name}@${a.fn}`;
    if (a.write === undefined || a.locked || seen.has(key)) continue;
    seen.add(key);
    const sameFn = accesses.filter((b) => b.fn === a.fn && b.variable === a.variable && b.write !== undefined && !b.locked);
    const kind = writeKind(model, a, sameFn);
    const others = (unprotectedWriters.get(a.variable.name) ?? []).filter((b) => b.fn !== a.fn);
    const related: RelatedOffset[] = [{ at: a.variable.at, message: `\`${a.variable.name}\` declared here` }];
    for (const b of uniqueByFunction(others).slice(0, 4)) related.push({ at: b.at, message: `also written in \`${b.fn}\`` });
    const reason = a.region.reason ?? { entry: a.fn, via: a.region.fn?.isStatic === true ? 'the file that includes this one' : 'other files (it is not `static`)' };
    // `return list[--numfree];` writes two variables in one expression: one finding, on the first.
    const sameLine = result.writes.find((w) => w.function === a.fn && !source.slice(Math.min(w.at, a.at), Math.max(w.at, a.at)).includes('\n'));
    if (sameLine !== undefined) {
      sameLine.related.push({ at: a.at, message: `\`${a.path}\` is written in the same statement` });
      continue;
    }
    const confidence = a.region.reason === undefined ? 'low' : 'medium';
    if (a.variable.kind === 'static-local') {
      // Only its own function can write a function-local static, and the fixes (thread-local,
      // atomic, a once-flag, module state) edit its declaration: report there, with the write.
      related[0] = { at: a.at, message: `\`${a.path}\` written here without a lock` };
      result.writes.push({ kind, variable: a.variable, path: a.variable.name, function: a.fn, at: a.variable.at, end: a.variable.at + a.variable.name.length, reason, confidence, related });
      continue;
    }
    result.writes.push({ kind, variable: a.variable, path: a.path, function: a.fn, at: a.at, end: a.end, reason, confidence, related });
  }
  const readSeen = new Set<string>();
  for (const a of accesses) {
    const key = `${a.variable.name}@${a.fn}`;
    if (a.write !== undefined || a.locked || a.region.reason === undefined || readSeen.has(key) || seen.has(key)) continue;
    const writers = (unprotectedWriters.get(a.variable.name) ?? []).filter((b) => b.fn !== a.fn && b.region.reason !== undefined);
    const writer = writers[0];
    if (writer === undefined) continue;
    readSeen.add(key);
    const related: RelatedOffset[] = [{ at: a.variable.at, message: `\`${a.variable.name}\` declared here` }];
    for (const b of uniqueByFunction(writers).slice(0, 4)) related.push({ at: b.at, message: `written without a lock in \`${b.fn}\`` });
    result.reads.push({ variable: a.variable, path: a.path, function: a.fn, at: a.at, end: a.end, writer: writer.fn, related });
  }
  return result;
}

function uniqueByFunction(list: Access[]): Access[] {
  const seen = new Set<string>();
  return list.filter((a) => !seen.has(a.fn) && seen.add(a.fn) !== undefined);
}

/** The code regions to analyse: reached functions, `.def` lambdas, non-static unreached functions. */
export function regionsOf(model: CFileModel): Region[] {
  const regions = unlockedRegionsOf(model);
  if (!callerLocksRead.has(model)) {
    const unlocked = unlockedFunctions(model, regions);
    for (const region of regions) if (region.fn !== undefined && !unlocked.has(region.fn.name)) region.lockedByCallers = true;
    callerLocksRead.add(model);
  }
  return regions;
}

/**
 * The regions of `regionsOf` before their `lockedByCallers` is read (every one false): the walk
 * that reads it goes through every function the file's entry points and other files can reach,
 * and the field-write analysis needs it only for a helper that writes the object's fields.
 */
function unlockedRegionsOf(model: CFileModel): Region[] {
  const known = regionCache.get(model);
  if (known !== undefined) return known;
  const regions: Region[] = [];
  // A file with no entry point and no init code of its own is usually `#include`d into the file
  // that registers its functions (a unity build, as gmpy2 does): its static functions are as
  // callable as its others.
  const included = model.reached.size === 0 && model.initOnly.size === 0 && model.lambdas.length === 0;
  for (const fn of model.functions) {
    if (model.initOnly.has(fn.name)) continue;
    const reason = model.reached.get(fn.name);
    // A `static` function no entry point reaches is dead code or a callback this file registers
    // in a way the model does not see; leave it alone rather than guess.
    if (reason === undefined && ((fn.isStatic && !included) || /^(main|PyInit_\w+)$/.test(fn.name))) continue;
    regions.push({ name: fn.name, start: fn.start, bodyStart: fn.bodyStart, end: fn.end, fn, reason, unknownCaller: reason === undefined, lockedByCallers: false });
  }
  for (const lam of model.lambdas) {
    regions.push({ name: lam.name, start: lam.start, bodyStart: lam.start, end: lam.end, fn: undefined, reason: { entry: lam.name, via: lam.via }, unknownCaller: false, lockedByCallers: false });
  }
  regionCache.set(model, regions);
  return regions;
}

const regionCache = new WeakMap<CFileModel, Region[]>();
// The models whose regions have their `lockedByCallers` read.
const callerLocksRead = new WeakSet<CFileModel>();

// Cheap test before a lock-set scan: a body with none of these cannot hold a lock.
const lockWord = /ock|OCK|CRITICAL|cquire|CQUIRE|_once|guard|Guard/;

/**
 * The functions some entry point reaches through at least one call made without a lock held.
 * A helper that every caller calls under a lock (`LOCK(); helper(); UNLOCK();`) is left out, so
 * its writes count as protected: the caller's lock set carries over, as in RacerD's summaries.
 *
 * Worked example: `time_set_timer` takes `pg_timer_mutex` and calls `_pg_add_event_timer`; no
 * other entry point calls it → `_pg_add_event_timer` is not in the set.
 */
function unlockedFunctions(model: CFileModel, regions: Region[]): Set<string> {
  const { clean } = model;
  const out = new Set<string>();
  const queue: Array<{ bodyStart: number; end: number; callees: Iterable<string> }> = [];
  for (const region of regions) {
    const isRoot = region.fn === undefined || region.unknownCaller || region.reason?.entry === region.fn.name;
    if (!isRoot) continue;
    if (region.fn !== undefined) out.add(region.fn.name);
    queue.push({ bodyStart: region.bodyStart, end: region.end, callees: region.fn?.callees ?? model.byName.keys() });
  }
  for (let steps = 0; queue.length > 0 && steps < 20_000; steps++) {
    const item = queue.shift();
    if (item === undefined) break;
    const body = clean.slice(item.bodyStart, item.end);
    const held = lockWord.test(body) ? lockTimeline(clean, item.bodyStart, item.end, model.lockMacros) : undefined;
    for (const callee of item.callees) {
      const target = model.byName.get(callee);
      if (target === undefined || out.has(callee) || model.initOnly.has(callee)) continue;
      let unlockedUse = false;
      for (let i = body.indexOf(callee); i >= 0 && !unlockedUse; i = body.indexOf(callee, i + callee.length)) {
        if (/\w/.test(body[i - 1] ?? '') || /\w/.test(body[i + callee.length] ?? '')) continue;
        unlockedUse = held === undefined || !held(item.bodyStart + i);
      }
      if (!unlockedUse) continue;
      out.add(callee);
      queue.push({ bodyStart: target.bodyStart, end: target.end, callees: target.callees });
    }
  }
  return out;
}

// The (length, first character) pairs of the last model's shared variables' and function-local
// statics' names: most names in a body have neither shape and are never sliced out of the text.
// One table, refilled per model (a typed array's memory lives outside the heap).
const variableShapes = new Uint8Array(64 * 128);
let shapesModel: CFileModel | undefined;

function shapesOf(model: CFileModel): Uint8Array {
  if (shapesModel === model) return variableShapes;
  variableShapes.fill(0);
  const names = [...model.shared.keys(), ...model.functions.flatMap((fn) => [...fn.staticLocals.keys()])];
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 128) variableShapes[Math.min(name.length, 63) * 128 + first] = 1;
  }
  shapesModel = model;
  return variableShapes;
}

/** Accesses in `region` to the file's shared variables and the function's own statics. */
function sharedAccesses(model: CFileModel, region: Region): Access[] {
  const { clean, text } = model;
  const out: Access[] = [];
  const statics = region.fn?.staticLocals;
  const shapes = shapesOf(model);
  // The lock state is read only for a function with an access (most have none).
  let held: ((at: number) => boolean) | undefined;
  forEachName(clean, region.bodyStart, region.end, true, (at, nameEnd) => {
    // Names start with an ASCII letter or `_`, so the first character is below 128.
    if (shapes[Math.min(nameEnd - at, 63) * 128 + clean.charCodeAt(at)] === 0) return;
    const name = clean.slice(at, nameEnd);
    let variable = statics?.get(name);
    if (variable === undefined) {
      const global = model.shared.get(name);
      if (global === undefined || region.fn?.locals.has(name) === true) return;
      variable = global;
    }
    if (at === variable.at || inRanges(model.gilOnly, at)) return;
    const { end, write, pathEnd } = classifyAccess(clean, at, name);
    if (write === undefined && /^\s*\(/.test(clean.slice(at + name.length, at + name.length + 4))) return;
    out.push({
      variable,
      path: text.slice(at, pathEnd).replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '[…]'),
      at,
      end,
      write,
      fn: region.name,
      locked: region.lockedByCallers || (held ??= lockTimeline(clean, region.bodyStart, region.end, model.lockMacros))(at),
      region,
    });
  });
  return out;
}

/**
 * Reads the access path after the name at `at` and says whether it is written.
 *
 * Worked examples (`|` marks where the path ends):
 *   `arena.blocks_cached| = n;`     → write
 *   `counter|++`, `++counter|`      → rmw
 *   `cache[i]| += 1`                → rmw
 *   `&state|`  passed to a call     → address
 *   `registry|.insert(k)` (C++)      → call
 *   `Py_XSETREF(cache|, v)`         → write
 *   `setjmp(jump_buffer|)`          → write (also the destination of `memset`, `memcpy`, `strcpy`, …)
 */
export function classifyAccess(clean: string, at: number, name: string): { path: string; end: number; pathEnd: number; write: Access['write'] } {
  let i = at + name.length;
  let lastMember: string | undefined;
  let beforeMember = i;
  for (;;) {
    let j = i;
    while (clean[j] === ' ' || clean[j] === '\t' || clean[j] === '\n') j++;
    const member = /^(?:\.|->)\s*([A-Za-z_]\w*)/.exec(clean.slice(j, j + 80));
    if (member !== null) {
      beforeMember = i;
      lastMember = member[1];
      i = j + member[0].length;
      continue;
    }
    if (clean[j] === '[') {
      let depth = 0;
      let k = j;
      for (; k < clean.length; k++) {
        if (clean[k] === '[') depth++;
        else if (clean[k] === ']' && --depth === 0) break;
      }
      i = k + 1;
      lastMember = undefined;
      continue;
    }
    break;
  }
  const end = i;
  const after = clean.slice(end, end + 4).trimStart();
  let write: Access['write'];
  if (/^(\+\+|--)/.test(after) || /^([-+*/%&|^]|<<|>>)=/.test(after)) write = 'rmw';
  else if (/^=(?!=)/.test(after)) write = 'write';
  else if (after.startsWith('(') && lastMember !== undefined && mutatingMethod.test(lastMember)) write = 'call';
  if (write === undefined) {
    const before = clean.slice(Math.max(0, at - 24), at).trimEnd();
    if (/(\+\+|--)$/.test(before)) write = 'rmw';
    // `f(&state)` hands the address to a callee that may write through it; `p = &state` and
    // `p == &state` only take it.
    else if (/(\w\s*\(|,)\s*&$/.test(before) && end === at + name.length) write = 'address';
    else if (/\b(Py_X?SETREF|Py_CLEAR|Py_X?DECREF_AND_NULL)\s*\(\s*$/.test(before)) write = 'write';
    // The first argument of these is written: `setjmp(jump_buffer)`, `memset(table, 0, n)`.
    else if (/\b(_?setjmp|sigsetjmp|memset|memcpy|memmove|strn?cpy|strn?cat|sn?printf)\s*\(\s*$/.test(before) && /^\s*[,)]/.test(clean.slice(end, end + 8))) write = 'write';
  }
  // `items.push_back(v)`: the path is `items`, the method is the write.
  const pathEnd = write === 'call' ? beforeMember : end;
  return { path: clean.slice(at, pathEnd), end, pathEnd, write };
}

/** The most specific kind of an unprotected write, looking at all of `fn`'s writes of it. */
function writeKind(model: CFileModel, first: Access, sameFn: Access[]): WriteKind {
  const { clean } = model;
  const name = first.variable.name;
  for (const a of sameFn) {
    // `list[n++] = item` / `item = list[--n]` shapes: a push or pop on a stack of cached objects.
    if (/\[\s*\w+\s*(\+\+|--)\s*\]|\[\s*(\+\+|--)\s*\w+\s*\]/.test(clean.slice(a.at, a.end))) return 'freeList';
  }
  // `if (!cached) cached = …`: a lazily filled cache is a check-then-set, whatever its name.
  for (const a of sameFn) if (inNullGuard(clean, a.region.bodyStart, a.at, name)) return 'lazyInit';
  if (freeListName.test(name)) return 'freeList';
  if (sameFn.some((a) => a.write === 'rmw' && a.path === name)) return 'counter';
  return 'write';
}

/** True when `at` sits in the then-branch of an `if` testing `name` for NULL / zero. */
function inNullGuard(clean: string, bodyStart: number, at: number, name: string): boolean {
  const region = clean.slice(bodyStart, at);
  for (const m of region.matchAll(/\bif\s*\(/g)) {
    const open = bodyStart + m.index + m[0].length - 1;
    const close = matchParen(clean, open);
    if (close < 0 || close > at) continue;
    const cond = clean.slice(open + 1, close).replace(/\s+/g, '');
    const tests = [`!${name}`, `${name}==NULL`, `${name}==0`, `NULL==${name}`, `${name}==nullptr`, `${name}==-1`].some((t) => {
      const i = cond.indexOf(t);
      return i >= 0 && !/\w/.test(cond[i + t.length] ?? '') && !/[\w.>]/.test(cond[i - 1] ?? '');
    });
    if (!tests) continue;
    let j = close + 1;
    while (/\s/.test(clean[j] ?? '')) j++;
    const stmtEnd = clean[j] === '{' ? matchBrace(clean, j) : clean.indexOf(';', j);
    if (stmtEnd > at) return true;
  }
  return false;
}

// A method's entry: a table of one of these types, or a slot of one (see `methodTable`).
const methodTableNames = 'PyMethodDef|PyGetSetDef|PyNumberMethods|PySequenceMethods|PyMappingMethods|PyBufferProcs|PyAsyncMethods|PyType_Slot|PyTypeObject';
const methodEntryShape = new RegExp(
  [
    // The header of a table of one of the types (`static PyMethodDef foo_methods[] = {`), which
    // also holds the positional slots of a `PyTypeObject`.
    `\\b(?:${methodTableNames})\\b[^{]*=\\s*\\{`,
    // A slot named in any initialiser: `{Py_tp_iter, fn}`, `.tp_iternext = fn`.
    '\\{\\s*Py_(?:tp|nb|sq|mp|bf|am)_',
    '\\.\\s*(?:Py_)?(?:tp|nb|sq|mp|bf|am)_\\w*\\s*=',
    // An init function with one of the type names, whose callbacks would carry it.
    `\\b(?:${methodTableNames})\\s*\\(`,
  ].join('|'),
);
// What every shape above holds, searched for in the raw text before any text is blanked.
const methodEntryWord = new RegExp(`${methodTableNames}|(?:tp|nb|sq|mp|bf|am)_`);

/**
 * False only when `fieldWrites` finds nothing in `text` whatever the model: it needs an `obj->field`
 * write, and a function that is itself an entry whose `via` matches `methodTable`. Every `via` the
 * model writes names a table's type and name (from the table's header), a slot (from an
 * initialiser), an init function (a callback's), or quotes a `.def("…")` label from the raw text;
 * `methodEntryShape` finds the first three shapes in the blanked text, and `methodTable` itself
 * the last in the raw text; each holds a word of `methodEntryWord`, which the raw text is searched
 * for first. Most files past the shared-state gate (every file that mentions
 * `PyObject`) have no method table and skip the model here.
 */
export function mayWriteObjectFields(text: string): boolean {
  // Both branches of `methodTable` hold a backquote, which C code seldom has: looked for first.
  return text.includes('->') && methodEntryWord.test(text) && ((text.includes('`') && methodTable.test(text)) || methodEntryShape.test(cleanCode(text)));
}

/**
 * Unprotected writes to the fields of the object a method runs on.
 *
 * The object names of a method are its first parameter and locals cast from it
 * (`Foo *f = (Foo *)self;`); a helper that a method hands the object to gets the matching
 * parameter as an object name too.
 */
function fieldWrites(model: CFileModel): FieldWriteReport[] {
  const { clean, text } = model;
  const regions = unlockedRegionsOf(model);
  const objectParams = new Map<string, { names: Set<string>; reason: EntryReason }>();
  const queue: string[] = [];
  // Where each helper is handed the object, by helper: the callers a lock could go into.
  const handedAt = new Map<string, Handoff[]>();
  for (const region of regions) {
    const fn = region.fn;
    if (fn === undefined || region.reason === undefined || region.reason.entry !== fn.name) continue;
    if (!methodTable.test(region.reason.via) || lifecycleSlot.test(region.reason.via) || lifecycleName.test(fn.name)) continue;
    const first = fn.params[0];
    if (first === undefined || /^(mod|module|m|self_module|unused|_)$/.test(first)) continue;
    objectParams.set(fn.name, { names: new Set([first]), reason: region.reason });
    queue.push(fn.name);
  }
  // Helpers: `helper(self, …)` in a method makes `helper`'s matching parameter an object name.
  for (let steps = 0; queue.length > 0 && steps < 500; steps++) {
    const name = queue.shift() ?? '';
    const fn = model.byName.get(name);
    const info = objectParams.get(name);
    if (fn === undefined || info === undefined) continue;
    addAliases(clean, fn, info.names);
    const body = clean.slice(fn.bodyStart, fn.end);
    for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      const callee = model.byName.get(m[1] ?? '');
      if (callee === undefined || callee === fn || model.initOnly.has(callee.name) || lifecycleName.test(callee.name)) continue;
      const open = fn.bodyStart + m.index + m[0].length - 1;
      const close = matchParen(clean, open);
      if (close < 0) continue;
      const args = splitTopLevel(clean.slice(open + 1, close), ',').map((a) => a.replace(/\([^()]*\)/g, '').trim());
      args.forEach((arg, index) => {
        const param = callee.params[index];
        if (param === undefined || !info.names.has(arg)) return;
        noteHandoff(handedAt, callee.name, { caller: name, at: fn.bodyStart + m.index, param });
        const existing = objectParams.get(callee.name);
        if (existing === undefined) {
          objectParams.set(callee.name, { names: new Set([param]), reason: { entry: info.reason.entry, via: info.reason.via } });
          queue.push(callee.name);
        } else if (!existing.names.has(param)) {
          existing.names.add(param);
          queue.push(callee.name);
        }
      });
    }
  }
  const reports: FieldWriteReport[] = [];
  // Read only for a function with a write to report (most have none).
  let lockedHelpers: Set<string> | undefined;
  for (const [name, info] of objectParams) {
    const fn = model.byName.get(name);
    if (fn === undefined) continue;
    const body = clean.slice(fn.bodyStart, fn.end);
    let held: ((at: number) => boolean) | undefined;
    const fields: string[] = [];
    let first: { at: number; end: number; path: string } | undefined;
    const related: RelatedOffset[] = [];
    const writtenThrough = new Set<string>();
    for (const m of body.matchAll(/(?<![\w.>])([A-Za-z_]\w*)\s*->\s*([A-Za-z_]\w*)/g)) {
      const obj = m[1] ?? '';
      if (!info.names.has(obj) || fn.staticLocals.has(obj)) continue;
      const at = fn.bodyStart + m.index;
      if (inRanges(model.gilOnly, at)) continue;
      const access = classifyAccess(clean, at, obj);
      if (access.write === undefined || access.write === 'address') continue;
      if ((held ??= lockTimeline(clean, fn.bodyStart, fn.end, model.lockMacros))(at)) continue;
      writtenThrough.add(obj);
      const field = m[2] ?? '';
      if (fields.includes(field)) continue;
      fields.push(field);
      const path = text.slice(at, access.pathEnd).replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '[…]');
      if (first === undefined) first = { at, end: access.end, path };
      else if (related.length < 4) related.push({ at, message: `\`${path}\` also written here` });
    }
    if (first === undefined) continue;
    // A helper every caller calls with a lock held writes under that lock.
    lockedHelpers ??= new Set(regionsOf(model).filter((r) => r.lockedByCallers && r.fn !== undefined).map((r) => r.name));
    if (lockedHelpers.has(name)) continue;
    related.push(...unlockedCallSites(model, name, handedAt.get(name) ?? [], writtenThrough));
    reports.push({ path: first.path, fields, function: name, at: first.at, end: first.end, reason: info.reason, related });
  }
  return reports.sort((a, b) => a.at - b.at);
}

/** Adds locals cast from an object name: `Foo *f = (Foo *)self;`, `f = Foo_CAST(self);`. */
function addAliases(clean: string, fn: FunctionInfo, names: Set<string>): void {
  const body = clean.slice(fn.bodyStart, fn.end);
  for (const m of body.matchAll(/\b(\w+)\s*=\s*(?:\(\s*[\w\s]+\*\s*\)\s*|[A-Z]\w*\s*\(\s*)?(\w+)\s*\)?\s*;/g)) {
    if (names.has(m[2] ?? '') && m[1] !== undefined && m[1] !== m[2]) names.add(m[1]);
  }
}
